package webhook

import (
	"net/http"
)

// formSupported reports whether legacy 1.0 form bodies are accepted; it
// needs hotmart.ParseForm, which is not in this build yet.
const formSupported = false

func (h *Handler) serveForm(_ *http.Request, _ *Delivery, _ []byte) result {
	return reject(http.StatusUnsupportedMediaType, "unsupported content type")
}
