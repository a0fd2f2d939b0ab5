package accounts

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// maxRequestBody bounds a backfill request body.
const maxRequestBody = 64 << 10

// SourceError reports that listing an account's sales failed: the REST API
// (or the host's adapter of it) is at fault, not the request.
type SourceError struct {
	Account string
	Err     error
}

func (e *SourceError) Error() string {
	return "accounts: listing the sales of " + e.Account + ": " + e.Err.Error()
}

// Unwrap returns the source's error.
func (e *SourceError) Unwrap() error { return e.Err }

// BackfillHandler serves POST /accounts/{id}/backfill: mount it with that
// pattern on an http.ServeMux (it reads the path value "id"), behind the
// host's admin authentication. The body is a BackfillRequest. It answers
//
//   - 200 with a DryRunResult for "dry_run": true,
//   - 202 with an ApplyResult ({"queued": N}) otherwise, once the events are
//     queued,
//   - 400 for a bad body, 404 for an unknown account, 405 for another
//     method, 409 for an account without hotmart credentials, 413 for a
//     body over 64 KiB, 502 when the sales history cannot be listed, 500
//     otherwise;
//
// errors as {"error": "..."}, without internal detail.
func (s *Syncer) BackfillHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		id := r.PathValue("id")
		a, ok := s.reg.Get(id)
		if !ok {
			writeError(w, http.StatusNotFound, "no account with that id")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeError(w, http.StatusRequestEntityTooLarge, "body too large")
				return
			}
			writeError(w, http.StatusBadRequest, "cannot read the body")
			return
		}
		req, err := ParseBackfillRequest(body)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if a.Hotmart == nil {
			writeError(w, http.StatusConflict, "the account has no hotmart credentials")
			return
		}
		var (
			res    any
			status int
		)
		if req.DryRun {
			res, err = s.DryRun(r.Context(), a.ID, req.From, req.To)
			status = http.StatusOK
		} else {
			res, err = s.Apply(r.Context(), a.ID, req.From, req.To)
			status = http.StatusAccepted
		}
		var srcErr *SourceError
		switch {
		case errors.As(err, &srcErr):
			writeError(w, http.StatusBadGateway, "the hotmart sales history is unavailable")
		case err != nil:
			writeError(w, http.StatusInternalServerError, "backfill failed")
		default:
			writeJSON(w, status, res)
		}
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
