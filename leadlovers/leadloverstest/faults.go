package leadloverstest

import (
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a kind of injected failure.
type FaultKind int

// Kinds of fault.
const (
	// TooManyRequests answers 429 with the error envelope and, when
	// Fault.RetryAfter is set, a Retry-After header (fractional seconds,
	// so tests stay fast).
	TooManyRequests FaultKind = iota + 1
	// Cloudflare1015 answers Cloudflare's rate-limit block: text/plain
	// "error code: 1015" with status Fault.Status (default 429).
	Cloudflare1015
	// ServerError answers Fault.Status (default 503) with the envelope.
	ServerError
	// BodyError answers HTTP 200 with {"StatusCode":500,"Message":…}, an
	// error inside a success.
	BodyError
)

func (k FaultKind) String() string {
	switch k {
	case TooManyRequests:
		return "429"
	case Cloudflare1015:
		return "cloudflare-1015"
	case ServerError:
		return "5xx"
	case BodyError:
		return "200-with-error"
	}
	return "fault(" + strconv.Itoa(int(k)) + ")"
}

// Fault describes one injected failure.
type Fault struct {
	Kind       FaultKind
	Status     int           // HTTP status for ServerError / Cloudflare1015
	RetryAfter time.Duration // Retry-After for TooManyRequests / Cloudflare1015; 0 sends none
	// AfterApply applies the call before failing it, as when leadlovers did
	// the work but the reply was lost.
	AfterApply bool
	// Method and Path restrict the fault to matching calls
	// (case-insensitive, Path without BasePath, e.g. "/Lead"); empty
	// matches every call.
	Method, Path string
}

type queuedFault struct {
	f Fault
	n int
}

// FailNext makes the next n calls matching f.Method and f.Path fail with f.
// Queued faults are used in order, before any FailRate fault.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.queued = append(s.queued, queuedFault{f: f, n: n})
	}
}

// FailRate makes a random fraction rate (0..1) of calls fail, each with one
// of faults picked at random (a 503 when none is given). Faults are
// answered before the call is applied unless their AfterApply is set.
// FailRate(0) stops it.
func (s *Server) FailRate(rate float64, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = min(max(rate, 0), 1)
	if len(faults) == 0 {
		faults = []Fault{{Kind: ServerError, Status: http.StatusServiceUnavailable}}
	}
	s.rateOf = faults
}

// pickFault is called with s.mu held.
func (s *Server) pickFault(method, path string) (Fault, bool) {
	for i := range s.queued {
		q := &s.queued[i]
		if q.n > 0 && matches(q.f.Method, q.f.Path, method, path) {
			q.n--
			f := q.f
			if q.n == 0 {
				s.queued = append(s.queued[:i], s.queued[i+1:]...)
			}
			return f, true
		}
	}
	if s.rate > 0 && s.rng.Float64() < s.rate {
		f := s.rateOf[s.rng.IntN(len(s.rateOf))]
		if matches(f.Method, f.Path, method, path) {
			return f, true
		}
	}
	return Fault{}, false
}

func (s *Server) writeFault(w http.ResponseWriter, f Fault) int {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatFloat(f.RetryAfter.Seconds(), 'f', -1, 64))
	}
	switch f.Kind {
	case TooManyRequests:
		writeJSON(w, http.StatusTooManyRequests, envelope(429, "Limite de requisições excedido"))
		return http.StatusTooManyRequests
	case Cloudflare1015:
		st := f.Status
		if st == 0 {
			st = http.StatusTooManyRequests
		}
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.WriteHeader(st)
		_, _ = w.Write([]byte("error code: 1015"))
		return st
	case BodyError:
		writeJSON(w, http.StatusOK, map[string]any{
			"StatusCode": 500, "Message": "Erro ao processar a solicitação",
			"Exception": map[string]any{"Message": "Falha temporária"},
		})
		return http.StatusOK
	default:
		st := f.Status
		if st < 500 {
			st = http.StatusServiceUnavailable
		}
		writeJSON(w, st, envelope(st, "Serviço indisponível"))
		return st
	}
}
