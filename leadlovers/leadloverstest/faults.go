package leadloverstest

import (
	"github.com/hotmartkit/hotmartkit/internal/fakekit"
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
	case ServerError, 0:
		return "5xx"
	case BodyError:
		return "200-with-error"
	}
	return "fault(" + strconv.Itoa(int(k)) + ")"
}

// Fault is one injected failure, the same value type in every test kit of
// this module, plus Kind for leadlovers' own failure forms.
type Fault struct {
	// Kind is the form of the failure; 0 is ServerError.
	Kind FaultKind
	// Status is the HTTP status for ServerError (default 503) and
	// Cloudflare1015 (default 429).
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header (in
	// fractional seconds, so tests stay fast).
	RetryAfter time.Duration
	// AfterApply applies the call before failing it, as when leadlovers did
	// the work but the reply was lost.
	AfterApply bool
	// Method and Path restrict the fault to matching calls: Method without
	// case; Path (without BasePath) equal to the call's path without case,
	// or a suffix of it when it starts with "*". Empty fields match every
	// call.
	Method, Path string
}

func (f Fault) core() fakekit.Fault {
	return fakekit.Fault{Kind: int(f.Kind), Status: f.Status, RetryAfter: f.RetryAfter, AfterApply: f.AfterApply, Method: f.Method, Path: f.Path}
}

func fromCore(f fakekit.Fault) Fault {
	return Fault{Kind: FaultKind(f.Kind), Status: f.Status, RetryAfter: f.RetryAfter, AfterApply: f.AfterApply, Method: f.Method, Path: f.Path}
}

// FailNext makes the next n calls matching f.Method and f.Path fail with f.
// Queued faults are used in order, before any FailRate fault.
func (s *Server) FailNext(n int, f Fault) { s.core.FailNext(n, f.core()) }

// FailRate makes a random fraction rate (0..1) of calls fail, each with one
// of faults picked at random (a 503 when none is given). Faults are
// answered before the call is applied unless their AfterApply is set.
// FailRate(0) stops it.
func (s *Server) FailRate(rate float64, faults ...Fault) {
	cf := make([]fakekit.Fault, len(faults))
	for i, f := range faults {
		cf[i] = f.core()
	}
	s.core.FailRate(rate, fakekit.Fault{Kind: int(ServerError), Status: http.StatusServiceUnavailable}, cf...)
}

func (s *Server) pickFault(method, path string) (Fault, bool) {
	f, ok := s.core.Pick(method, path)
	return fromCore(f), ok
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
