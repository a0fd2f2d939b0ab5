// Command pipeline is hotmartkit's flagship program: it receives Hotmart
// webhooks, decides with segmentation rules what each event triggers, and
// adds, moves or removes leads in leadlovers and creates or moves deals and
// contacts in the SendPulse CRM.
//
// Run it with no configuration (or -demo) for a self-contained demo against
// in-process fake providers:
//
//	go run ./examples/pipeline
//
// Served mode, against real accounts:
//
//	HOTMART_HOTTOK=... LEADLOVERS_TOKEN=... SENDPULSE_API_KEY=... \
//	  go run ./examples/pipeline -rules rules.json -admin-token secret
//
// Flags (environment variable in brackets): -addr [ADDR] (default :8080),
// -path (default /hotmart/webhook), -rules [RULES_FILE], -hottok
// [HOTMART_HOTTOK, comma-separated for rotation], -admin-token [ADMIN_TOKEN],
// -leadlovers-token [LEADLOVERS_TOKEN], -leadlovers-url [LEADLOVERS_BASE_URL],
// -sendpulse-api-key [SENDPULSE_API_KEY] or -sendpulse-client-id and
// -sendpulse-client-secret [SENDPULSE_CLIENT_ID, SENDPULSE_CLIENT_SECRET],
// -sendpulse-url [SENDPULSE_BASE_URL], -demo, -serve.
//
// Durable mode (the default in served mode): -db [DATABASE_URL] is
// sqlite:PATH (default sqlite:hotmartkit.db), postgres://… or
// postgresql://… (several replicas share the work), or memory (the simple
// in-request mode); -workers [WORKERS] (4), -max-attempts [MAX_ATTEMPTS]
// (25), -retry-max-delay [RETRY_MAX_DELAY] (1h), -job-timeout [JOB_TIMEOUT]
// (1m), -shutdown-timeout (30s). Deliveries are committed and answered 200;
// workers run the rules from the database.
//
// Several accounts: -accounts FILE [ACCOUNTS_FILE] (a JSON accounts file,
// see package accounts) replaces -hottok, -rules and the provider flags;
// the hottok picks the account, each account runs its own rules on its own
// providers, and accounts with Hotmart REST credentials are reconciled every
// -sync-interval [SYNC_INTERVAL] (15m; 0 = off). With an admin token,
// POST /accounts/{id}/backfill applies the rules to an account's history,
// and /events and /deliveries accept ?account=.
//
// Routes: POST <path> (the webhook), GET /healthz, and with an admin token
// GET /deliveries, POST /segmentations/{id}/test and, in durable mode,
// GET /events?state=S&limit=N, GET /events/{event_id} and
// POST /events/{event_id}/replay, all behind
// "Authorization: Bearer <admin token>", and the operator console under
// /admin/. -serve (which implies -demo) runs the demo, then keeps serving
// its console (URL and admin token printed) until Ctrl-C. Configuration
// errors exit with status 2 and one line per problem on stderr. SIGINT or
// SIGTERM stops accepting, lets running work finish within
// -shutdown-timeout (what is left runs after the next start) and exits 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, probs := parseConfig(args, getenv)
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(stderr, p)
		}
		return 2
	}
	if cfg.demo {
		if err := runDemo(ctx, stdout, cfg.serve); err != nil {
			fmt.Fprintln(stderr, "demo:", err)
			return 1
		}
		return 0
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var a *app
	if cfg.accountsFile != "" {
		conf, probs := loadAccounts(cfg, getenv)
		if len(probs) == 0 {
			a, probs = newAccountsApp(cfg, conf, appOptions{logger: logger})
		}
		if len(probs) > 0 {
			for _, p := range probs {
				fmt.Fprintln(stderr, p)
			}
			return 2
		}
		if err := serve(ctx, a, stdout, logger); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		return 0
	}
	rules, probs := loadRules(cfg)
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(stderr, p)
		}
		return 2
	}
	a, probs = newApp(cfg, rules, appOptions{logger: logger})
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(stderr, p)
		}
		return 2
	}
	if err := serve(ctx, a, stdout, logger); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// serve listens until ctx ends, then drains in-flight requests.
func serve(ctx context.Context, a *app, stdout io.Writer, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", a.cfg.addr)
	if err != nil {
		return fmt.Errorf("-addr [ADDR]: %w", err)
	}
	srv := &http.Server{
		Handler:           a.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      a.cfg.writeTimeout(),
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if err := a.start(ctx); err != nil {
		ln.Close()
		_ = a.stop(context.Background())
		return err
	}
	mode := "memory"
	if a.engine != nil {
		mode = "durable, " + a.engine.Dialect()
	}
	what := fmt.Sprintf("%d segmentations", a.program.Len())
	if a.accounts != nil {
		what = fmt.Sprintf("%d accounts", len(a.accounts.reg.Accounts()))
	}
	fmt.Fprintf(stdout, "listening on http://%s%s (%s, %s)\n", ln.Addr(), a.cfg.path, what, mode)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		_ = a.stop(context.Background())
		return err
	case <-ctx.Done():
	}
	// Stop accepting and answer what is in flight, then stop taking jobs and
	// let running ones finish, all within -shutdown-timeout. Work left over
	// is in the database and runs after the next start: that is still a
	// clean exit.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.shutdownTimeoutOr(30*time.Second))
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("shutdown: requests still in flight were cut", "error", err.Error())
		_ = srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = a.stop(shutdownCtx)
		return err
	}
	if err := a.stop(shutdownCtx); err != nil {
		logger.Warn("shutdown: running jobs were cancelled; they run again after the next start", "error", err.Error())
	}
	fmt.Fprintln(stdout, "drained, bye")
	return nil
}

func (c config) shutdownTimeoutOr(d time.Duration) time.Duration {
	if c.shutdownTimeout > 0 {
		return c.shutdownTimeout
	}
	return d
}
