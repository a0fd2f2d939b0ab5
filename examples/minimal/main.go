// Command minimal is the smallest useful hotmartkit program: it mounts the
// webhook handler in an existing http.ServeMux and prints every approved
// purchase. Replace the print with your own code.
//
//	HOTMART_HOTTOK=<token from Hotmart's webhook settings> go run ./examples/minimal
//
// Configuration comes from the environment: HOTMART_HOTTOK (required) and
// ADDR (default :8080). Point Hotmart's webhook at http://<host>/hotmart/webhook.
// SIGINT or SIGTERM lets in-flight deliveries finish before the program exits.
package main

import (
	"cmp"
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process, so that tests can call it.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
	hottok := getenv("HOTMART_HOTTOK")
	if hottok == "" {
		fmt.Fprintln(stderr, "HOTMART_HOTTOK: required (the token of Hotmart's webhook settings)")
		return 2
	}
	mux, err := newMux(hottok, stdout)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", cmp.Or(getenv("ADDR"), ":8080"))
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
	// Shutdown waits for deliveries being processed: answering them lets
	// Hotmart know they are done instead of delivering them again.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "shutdown:", err)
		return 1
	}
	return 0
}
