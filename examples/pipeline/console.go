package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"

	"github.com/hotmartkit/hotmartkit/console"
)

// consolePrefix is where the operator console is served when an admin
// token is set. Without one nothing is mounted there, so every /admin/…
// path answers 404.
const consolePrefix = "/admin"

// mountConsole serves the operator console at /admin/ over the app's event
// log, delivery history, rule store and pipeline.
func (a *app) mountConsole(logger *slog.Logger) error {
	opts := []console.Option{
		console.WithPrefix(consolePrefix),
		console.WithEvents(a.events),
		console.WithHistory(a.history),
		console.WithLogger(logger),
	}
	if a.accounts == nil {
		opts = append(opts, console.WithRules(a.rules, a.copts...), console.WithPipeline(a.pipeline))
	} else {
		// Several accounts: each has its own rules (from its rules file);
		// the console shows events and deliveries, with an account selector.
		var ids []string
		for _, acct := range a.accounts.reg.Accounts() {
			ids = append(ids, acct.ID)
		}
		opts = append(opts, console.WithAccounts(ids...))
	}
	c, err := console.New(a.cfg.adminToken, opts...)
	if err != nil {
		return err
	}
	a.mux.Handle(consolePrefix+"/", c)
	return nil
}

// demoAdminToken makes a fresh admin token for a served demo, so a demo
// left running does not open its console to a well-known token.
func demoAdminToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "demo-" + hex.EncodeToString(b[:])
}

// serveDemo prints where the console is and blocks until ctx ends
// (Ctrl-C), while the demo's server keeps answering.
func serveDemo(ctx context.Context, out io.Writer, baseURL, token string) error {
	fmt.Fprintf(out, "\nOperator console: %s%s/\nAdmin token:      %s\n(serving until Ctrl-C)\n", baseURL, consolePrefix, token)
	<-ctx.Done()
	fmt.Fprintln(out, "stopped, bye")
	return nil
}
