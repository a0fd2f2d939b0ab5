// Command backfill imports a Hotmart account's sales history into a CSV
// file and prints a revenue report.
//
// With no configuration it runs against an in-process fake Hotmart API
// (hotmarttest) holding a few thousand generated sales:
//
//	go run ./examples/backfill
//
// With credentials (flags or HOTMART_CLIENT_ID, HOTMART_CLIENT_SECRET,
// HOTMART_BASIC) it reads the real API:
//
//	go run ./examples/backfill -from 2024-01-01 -to 2024-07-01 -out sales.csv -checkpoint sales.json
//
// SIGINT or SIGTERM stops between pages, flushes the CSV, writes the
// checkpoint and exits 130; running again with the same -out and
// -checkpoint continues, and the CSV ends up holding every sale once.
// Exit codes: 0 done, 1 import failed, 2 bad configuration, 130 interrupted.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/backfill"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
)

// Exit codes (the contract other tooling relies on).
const (
	exitOK          = 0
	exitFailed      = 1
	exitConfig      = 2
	exitInterrupted = 130
)

// csvHeader is the CSV contract: exactly these columns, in this order.
var csvHeader = []string{"transaction", "status", "product_id", "product_name", "buyer_email", "order_date",
	"approved_date", "price", "currency", "payment_type", "recurrence_number", "offer_code"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

type config struct {
	clientID, clientSecret, basic string
	sandbox                       bool
	apiURL, authURL               string
	from, to                      string
	out, checkpoint               string
	report                        bool
}

// configError is a bad or missing setting; its text names the flag.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func parse(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	var c config
	fs := flag.NewFlagSet("backfill", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.clientID, "client-id", getenv("HOTMART_CLIENT_ID"), "Hotmart client id [HOTMART_CLIENT_ID]")
	fs.StringVar(&c.clientSecret, "client-secret", getenv("HOTMART_CLIENT_SECRET"), "Hotmart client secret [HOTMART_CLIENT_SECRET]")
	fs.StringVar(&c.basic, "basic", getenv("HOTMART_BASIC"), "Hotmart Basic value [HOTMART_BASIC]")
	fs.BoolVar(&c.sandbox, "sandbox", false, "use the sandbox API")
	fs.StringVar(&c.apiURL, "api-url", getenv("HOTMART_API_URL"), "API host override [HOTMART_API_URL]")
	fs.StringVar(&c.authURL, "auth-url", getenv("HOTMART_AUTH_URL"), "token endpoint URL override [HOTMART_AUTH_URL]")
	fs.StringVar(&c.from, "from", "", "first day to import, YYYY-MM-DD")
	fs.StringVar(&c.to, "to", "", "day after the last day to import, YYYY-MM-DD (exclusive)")
	fs.StringVar(&c.out, "out", "", "CSV file to write (one row per sale)")
	fs.StringVar(&c.checkpoint, "checkpoint", "", "checkpoint JSON file; created if absent, resumed if present")
	fs.BoolVar(&c.report, "report", true, "print the revenue report")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return nil, err
		}
		return nil, &configError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, &configError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return &c, nil
}

func (c *config) demo() bool {
	return c.clientID == "" && c.clientSecret == "" && c.basic == "" && c.apiURL == "" && c.authURL == "" && !c.sandbox
}

func day(flagName, v string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &configError{fmt.Sprintf("-%s: %q is not a YYYY-MM-DD date", flagName, v)}
	}
	return t, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(stderr, "backfill:", err)
		return exitConfig
	}
	client, opts, cleanup, err := setup(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "backfill:", err)
		var ce *configError
		if errors.As(err, &ce) {
			return exitConfig
		}
		return exitFailed
	}
	defer cleanup()
	code, err := importAll(ctx, cfg, client, opts, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "backfill:", err)
	}
	return code
}

// setup builds the client: the fake server in demo mode, else from the
// credentials.
func setup(cfg *config) (*rest.Client, backfill.Options, func(), error) {
	opts := backfill.Options{Kinds: []backfill.Kind{backfill.KindSale, backfill.KindSubscription}}
	var err error
	if cfg.from != "" {
		if opts.From, err = day("from", cfg.from); err != nil {
			return nil, opts, nil, err
		}
	}
	if cfg.to != "" {
		if opts.To, err = day("to", cfg.to); err != nil {
			return nil, opts, nil, err
		}
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.To.After(opts.From) {
		return nil, opts, nil, &configError{"-to: must be after -from"}
	}
	if cfg.demo() {
		srv := resttest.NewServer(nil, resttest.WithSales(3000))
		from, to := srv.Period()
		if opts.From.IsZero() {
			opts.From = from
		}
		if opts.To.IsZero() {
			opts.To = to
		}
		c := srv.Client(rest.WithUserAgent("backfill-example"))
		return c, opts, srv.Close, nil
	}
	for _, f := range []struct{ name, env, v string }{
		{"client-id", "HOTMART_CLIENT_ID", cfg.clientID},
		{"client-secret", "HOTMART_CLIENT_SECRET", cfg.clientSecret},
		{"basic", "HOTMART_BASIC", cfg.basic},
	} {
		if f.v == "" {
			return nil, opts, nil, &configError{fmt.Sprintf("-%s (or %s) is required", f.name, f.env)}
		}
	}
	if opts.From.IsZero() {
		return nil, opts, nil, &configError{"-from is required with real credentials"}
	}
	hopts := []rest.Option{rest.WithUserAgent("backfill-example")}
	if cfg.sandbox {
		hopts = append(hopts, rest.WithEnvironment(rest.Sandbox))
	}
	if cfg.apiURL != "" {
		hopts = append(hopts, rest.WithBaseURL(cfg.apiURL))
	}
	if cfg.authURL != "" {
		hopts = append(hopts, rest.WithTokenURL(cfg.authURL))
	}
	c, err := rest.NewClient(rest.Credentials{ClientID: cfg.clientID, ClientSecret: cfg.clientSecret, Basic: cfg.basic}, hopts...)
	if err != nil {
		// Option errors name the URL at fault; map them to their flag.
		msg := err.Error()
		switch {
		case cfg.apiURL != "" && containsAny(msg, "WithBaseURL"):
			return nil, opts, nil, &configError{"-api-url: " + msg}
		case cfg.authURL != "" && containsAny(msg, "WithTokenURL"):
			return nil, opts, nil, &configError{"-auth-url: " + msg}
		}
		return nil, opts, nil, &configError{msg}
	}
	return c, opts, func() {}, nil
}

func containsAny(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func importAll(ctx context.Context, cfg *config, client *rest.Client, opts backfill.Options, stdout io.Writer) (int, error) {
	report := backfill.NewReport()
	var cp backfill.Checkpoint
	if cfg.checkpoint != "" {
		b, err := os.ReadFile(cfg.checkpoint)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return exitFailed, err
		default:
			if err := json.Unmarshal(b, &cp); err != nil {
				return exitConfig, &configError{fmt.Sprintf("-checkpoint: %s is not a checkpoint: %v", cfg.checkpoint, err)}
			}
		}
	}

	sink, err := openCSV(cfg.out, report)
	if err != nil {
		return exitFailed, err
	}
	defer sink.close()

	saveCheckpoint := func(c backfill.Checkpoint) error {
		// The CSV is flushed first, so the checkpoint never runs ahead of it.
		if err := sink.flush(); err != nil {
			return err
		}
		if cfg.checkpoint == "" {
			return nil
		}
		return writeFileAtomic(cfg.checkpoint, c)
	}
	opts.OnCheckpoint = saveCheckpoint
	err = backfill.Run(ctx, client, &cp, opts, func(r backfill.Record) error {
		if r.Sale != nil {
			if !sink.write(r.Sale) {
				return nil // already in the file from an earlier run
			}
		}
		report.Add(r)
		return nil
	})
	if ferr := saveCheckpoint(cp); ferr != nil && err == nil {
		err = ferr
	}
	if cerr := sink.close(); cerr != nil && err == nil {
		err = cerr
	}
	switch {
	case err == nil:
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return exitInterrupted, errors.New("interrupted; run again with the same -out and -checkpoint to continue")
	default:
		return exitFailed, err
	}
	if cfg.report {
		fmt.Fprintf(stdout, "Hotmart sales %s to %s (to exclusive)\n\n", opts.From.Format(time.DateOnly), opts.To.Format(time.DateOnly))
		if err := report.WriteTable(stdout); err != nil {
			return exitFailed, err
		}
	}
	return exitOK, nil
}

// csvSink appends sales to the CSV file, skipping transactions the file
// already holds (rows written by an interrupted run after its last
// checkpoint).
type csvSink struct {
	f    *os.File
	w    *csv.Writer
	have map[string]bool
}

func openCSV(path string, report *backfill.Report) (*csvSink, error) {
	s := &csvSink{have: map[string]bool{}}
	if path == "" {
		return s, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("-out: %s is not a CSV this program wrote: %w", path, err)
	}
	if len(rows) > 0 && !equal(rows[0], csvHeader) {
		f.Close()
		return nil, fmt.Errorf("-out: %s has another header; refusing to append", path)
	}
	for _, row := range rows[min(1, len(rows)):] {
		if !s.have[row[0]] {
			s.have[row[0]] = true
			report.Add(backfill.Record{Kind: backfill.KindSale, Sale: saleFromRow(row)})
		}
	}
	s.f, s.w = f, csv.NewWriter(f)
	if len(rows) == 0 {
		if err := s.w.Write(csvHeader); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func rfc3339(t hotmart.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *csvSink) write(sale *rest.Sale) bool {
	p := &sale.Purchase
	if s.have[p.Transaction] {
		return false
	}
	s.have[p.Transaction] = true
	if s.w == nil {
		return true
	}
	rec := ""
	if p.RecurrencyNumber > 0 {
		rec = strconv.Itoa(p.RecurrencyNumber)
	}
	s.w.Write([]string{p.Transaction, string(p.Status), string(sale.Product.ID), sale.Product.Name, sale.Buyer.Email,
		rfc3339(p.OrderDate), rfc3339(p.ApprovedDate), string(p.Price.Value), p.Price.CurrencyCode,
		string(p.Payment.Type), rec, p.Offer.Code})
	return true
}

// saleFromRow rebuilds what the report needs from a CSV row.
func saleFromRow(row []string) *rest.Sale {
	var s rest.Sale
	p := &s.Purchase
	p.Transaction, p.Status = row[0], hotmart.PurchaseStatus(row[1])
	if t, err := time.Parse(time.RFC3339, row[5]); err == nil {
		p.OrderDate = hotmart.Time{Time: t}
	}
	p.Price = rest.Amount{Value: hotmart.Decimal(row[7]), CurrencyCode: row[8]}
	return &s
}

func (s *csvSink) flush() error {
	if s.w == nil {
		return nil
	}
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.f.Sync()
}

func (s *csvSink) close() error {
	if s.f == nil {
		return nil
	}
	err := s.flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f, s.w = nil, nil
	return err
}

func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".checkpoint-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
