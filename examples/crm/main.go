// Command crm turns Hotmart payments into deals in the SendPulse CRM, as
// SendPulse's own "deals from payments" integration does: one deal per
// transaction, moved between pipeline steps as the payment status changes,
// with its buyer as the deal's contact (found by e-mail, or created once).
//
// Run it without configuration for a demo against an in-process fake
// SendPulse:
//
//	go run ./examples/crm
//
// To serve, give a hottok and SendPulse credentials:
//
//	HOTMART_HOTTOK=... SENDPULSE_API_KEY=... go run ./examples/crm
//
// Environment: HOTMART_HOTTOK; SENDPULSE_API_KEY, or SENDPULSE_CLIENT_ID and
// SENDPULSE_CLIENT_SECRET; ADDR (default :8080); SENDPULSE_PIPELINE (the
// pipeline's name, default the account's first pipeline); SENDPULSE_BASE_URL
// (default https://api.sendpulse.com). The webhook route is /hotmart/webhook.
// The pipeline must have steps named as in stepNames (crm.go); edit that
// table to match yours.
//
// Missing or conflicting configuration exits 2 with one line per problem; a
// SendPulse account that cannot be read at start exits 1. SIGINT or SIGTERM
// lets in-flight deliveries finish, then exits 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process, so that tests can call it.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, problems := readConfig(getenv)
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		return 2
	}
	if cfg.demo {
		sp := sendpulsetest.NewServer(nil)
		defer sp.Close()
		if err := runDemo(ctx, sp, stdout); err != nil {
			fmt.Fprintln(stderr, "demo:", err)
			return 1
		}
		return 0
	}
	mux, err := newMux(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "ADDR:", err)
		return 1
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s%s\n", ln.Addr(), webhookPath)
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	case <-ctx.Done():
	}
	// Answer the deliveries in flight: an unanswered one is sent again.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "shutdown:", err)
		return 1
	}
	return 0
}
