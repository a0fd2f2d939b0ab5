package webhook

import (
	"net/http"
	"net/url"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// formSupported: legacy 1.0 postbacks (application/x-www-form-urlencoded)
// are decoded with hotmart.ParseForm.
const formSupported = true

// serveForm handles a legacy 1.0 postback. Version 1.0 sends the hottok only
// as a form field; the header, when present, still decides.
func (h *Handler) serveForm(r *http.Request, rec *Delivery, body []byte) result {
	form, perr := url.ParseQuery(string(body))
	if !h.authorized(r, rec, func() string {
		if perr != nil {
			return "" // an unparsable body is not trusted for its token
		}
		return form.Get("hottok")
	}) {
		return reject(http.StatusUnauthorized, "invalid hottok")
	}
	if perr != nil {
		return reject(http.StatusBadRequest, "malformed form body")
	}
	ev, err := hotmart.ParseForm(form)
	if err != nil {
		return malformed(ev, err)
	}
	return h.dispatch(r, rec, ev)
}
