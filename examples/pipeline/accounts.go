package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// Several accounts (-accounts FILE): one webhook URL, the hottok picks the
// account; each account runs its own rules on its own providers; accounts
// with Hotmart REST credentials are reconciled every -sync-interval, and
// POST /accounts/{id}/backfill applies the rules to their history.

// loadAccounts reads the accounts file. Every problem is one line naming
// the account and field; the program prints them and exits 2.
func loadAccounts(c config, getenv func(string) string) (*accounts.Config, problems) {
	lookup := func(name string) (string, bool) {
		v := getenv(name)
		return v, v != ""
	}
	conf, err := accounts.LoadFile(c.accountsFile, lookup,
		accounts.WithCompileOptions(segment.WithProviders(leadlovers.Spec, sendpulse.Spec)))
	if err == nil {
		return conf, nil
	}
	var (
		ce *accounts.ConfigError
		p  problems
	)
	if errors.As(err, &ce) {
		for _, line := range ce.Lines() {
			p.add("-accounts [ACCOUNTS_FILE]: %s", line)
		}
		return nil, p
	}
	p.add("-accounts [ACCOUNTS_FILE]: %v", err)
	return nil, p
}

// accountSet is what several-accounts mode adds to the app.
type accountSet struct {
	reg    *accounts.Registry
	syncer *accounts.Syncer
	procs  map[string]*pipeline.Pipeline
}

// newAccountsApp wires several accounts: per account, its providers'
// clients and executors, its pipeline and its REST client; one engine, one
// webhook handler that resolves the account by hottok.
func newAccountsApp(c config, conf *accounts.Config, o appOptions) (*app, problems) {
	var p problems
	set := &accountSet{procs: map[string]*pipeline.Pipeline{}}
	routes := map[string]webhook.Processor{}
	for _, a := range conf.Accounts {
		pl, err := accountPipeline(a, o)
		if err != nil {
			p.add("-accounts [ACCOUNTS_FILE]: accounts[%s]: %v", a.ID, err)
			continue
		}
		set.procs[a.ID], routes[a.ID] = pl, pl
		if a.Hotmart != nil {
			cl, err := restClient(a.Hotmart, o)
			if err != nil {
				p.add("-accounts [ACCOUNTS_FILE]: accounts[%s].hotmart: %v", a.ID, err)
				continue
			}
			a.Client = cl
		}
	}
	if len(p) > 0 {
		return nil, p
	}
	reg, err := conf.Registry()
	if err != nil {
		var ce *accounts.ConfigError
		if errors.As(err, &ce) {
			for _, line := range ce.Lines() {
				p.add("-accounts [ACCOUNTS_FILE]: %s", line)
			}
			return nil, p
		}
		p.add("-accounts [ACCOUNTS_FILE]: %v", err)
		return nil, p
	}
	set.reg = reg
	eng, err := openEngine(c, webhook.ByAccount(routes), o)
	if err != nil {
		p.add("-db [DATABASE_URL]: %v", err)
		return nil, p
	}
	set.syncer, err = accounts.NewSyncer(reg, restSales{}, syncStore{eng.AccountStore()}, o.syncOptions...)
	if err == nil && c.syncInterval > 0 {
		var ids []string
		for _, a := range reg.Synced() {
			ids = append(ids, a.ID)
		}
		if len(ids) > 0 {
			err = eng.ScheduleSync(syncFunc(set.syncer, func(r *accounts.SyncReport) {
				o.logger.Info("sync", "account", r.Account, "calls", r.Calls, "sales", r.Sales, "queued", r.Queued,
					"known", r.Known, "invalid", r.Invalid)
			}), ids, c.syncInterval)
		}
	}
	if err != nil {
		_ = eng.Stop(context.Background())
		p.add("-sync-interval [SYNC_INTERVAL]: %v", err)
		return nil, p
	}
	wh, err := webhook.New(
		webhook.WithHottokResolver(reg.ResolveHottok),
		webhook.WithProcessor(eng.Intake()),
		webhook.WithStore(nil),
		webhook.WithHistory(eng.History()),
		webhook.WithLogger(o.logger),
	)
	if err != nil {
		_ = eng.Stop(context.Background())
		p.add("-accounts [ACCOUNTS_FILE]: %v", err)
		return nil, p
	}
	first := conf.Accounts[0]
	a := &app{cfg: c, program: first.Program, pipeline: set.procs[first.ID], webhook: wh, engine: eng,
		events: eng, history: wh.History(), accounts: set}
	a.mux = a.routes()
	if c.adminToken != "" {
		a.mux.Handle("POST /accounts/{id}/backfill", a.admin(set.syncer.BackfillHandler()))
		a.mux.Handle("POST /segmentations/{id}/test", a.admin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pl, ok := set.procs[r.URL.Query().Get("account")]
			if !ok {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "give the account: ?account=<id>"})
				return
			}
			a.testSegmentationOf(w, r, pl)
		})))
		if err := a.mountConsole(o.logger); err != nil {
			_ = eng.Stop(context.Background())
			p.add("-admin-token [ADMIN_TOKEN]: %v", err)
			return nil, p
		}
	}
	return a, nil
}

// accountPipeline builds one account's executors and pipeline.
func accountPipeline(a *accounts.Account, o appOptions) (*pipeline.Pipeline, error) {
	copts := []segment.Option{segment.WithProviders(leadlovers.Spec, sendpulse.Spec)}
	popts := []pipeline.Option{pipeline.WithLogger(o.logger.With("account", a.ID)),
		pipeline.WithRuleStore(pipeline.NewMemoryRules(a.Rules), copts...)}
	if o.observer != nil {
		popts = append(popts, pipeline.WithObserver(o.observer))
	}
	a.Executors = map[string]segment.Executor{}
	if ll := a.Leadlovers; ll != nil {
		lopts := []leadlovers.Option{leadlovers.WithLogger(o.logger), leadlovers.WithUserAgent("hotmartkit-pipeline")}
		if ll.BaseURL != "" {
			lopts = append(lopts, leadlovers.WithBaseURL(ll.BaseURL))
		}
		if o.retryWait > 0 {
			lopts = append(lopts, leadlovers.WithRetry(3, o.retryWait, 4*o.retryWait), leadlovers.WithThrottleWait(o.retryWait, 4*o.retryWait), leadlovers.WithRateLimit(0, 1))
		}
		lc, err := leadlovers.NewClient(leadlovers.Credentials{Token: ll.Token}, lopts...)
		if err != nil {
			return nil, fmt.Errorf("leadlovers: %w", err)
		}
		ex, err := leadlovers.NewExecutor(lc, leadlovers.WithExecutorLogger(o.logger))
		if err != nil {
			return nil, fmt.Errorf("leadlovers: %w", err)
		}
		a.Executors["leadlovers"] = ex
	}
	if sp := a.SendPulse; sp != nil {
		sopts := []sendpulse.Option{sendpulse.WithLogger(o.logger), sendpulse.WithUserAgent("hotmartkit-pipeline")}
		if sp.BaseURL != "" {
			sopts = append(sopts, sendpulse.WithBaseURL(sp.BaseURL))
		}
		if o.retryWait > 0 {
			sopts = append(sopts, sendpulse.WithRetry(3, o.retryWait, 4*o.retryWait), sendpulse.WithRateLimit(0, 1))
		}
		creds := sendpulse.Credentials{APIKey: sp.APIKey}
		if sp.APIKey == "" {
			creds = sendpulse.Credentials{ClientID: sp.ClientID, ClientSecret: sp.ClientSecret}
		}
		sc, err := sendpulse.NewClient(creds, sopts...)
		if err != nil {
			return nil, fmt.Errorf("sendpulse: %w", err)
		}
		ex, err := sendpulse.NewExecutor(sc, sendpulse.WithExecutorLogger(o.logger))
		if err != nil {
			return nil, fmt.Errorf("sendpulse: %w", err)
		}
		a.Executors["sendpulse"] = ex
	}
	for name, ex := range a.Executors {
		popts = append(popts, pipeline.WithExecutor(name, ex))
	}
	return pipeline.New(nil, popts...)
}

// restClient is an account's Hotmart REST client; it paces its calls to
// the account's rate limit.
func restClient(h *accounts.HotmartCredentials, o appOptions) (*rest.Client, error) {
	var opts []rest.Option
	if h.APIURL != "" {
		opts = append(opts, rest.WithBaseURL(h.APIURL))
	}
	if h.AuthURL != "" {
		opts = append(opts, rest.WithTokenURL(h.AuthURL))
	}
	opts = append(opts, rest.WithLogger(o.logger), rest.WithUserAgent("hotmartkit-pipeline"))
	opts = append(opts, o.restOptions...)
	return rest.NewClient(rest.Credentials{ClientID: h.ClientID, ClientSecret: h.ClientSecret, Basic: h.Basic}, opts...)
}

// restSales is the accounts.SalesSource over each account's REST client:
// one GET /sales/history per page, every status, 500 sales a page.
type restSales struct{}

func (restSales) ListSales(ctx context.Context, a *accounts.Account, q accounts.SalesQuery) (*accounts.SalesPage, error) {
	cl, ok := a.Client.(*rest.Client)
	if !ok || cl == nil {
		return nil, errors.New("no REST client")
	}
	statuses := make([]hotmart.PurchaseStatus, len(accounts.SaleStatuses))
	for i, s := range accounts.SaleStatuses {
		statuses[i] = hotmart.PurchaseStatus(s)
	}
	opts := &rest.SalesHistoryListOptions{
		ListOptions: rest.ListOptions{MaxResults: 500, PageToken: q.PageToken},
		SalesFilter: rest.SalesFilter{StartDate: q.From, EndDate: q.To.Add(-time.Millisecond), TransactionStatus: statuses},
	}
	page, err := cl.Sales.History(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := &accounts.SalesPage{Sales: make([]accounts.Sale, 0, len(page.Items))}
	for _, s := range page.Items {
		out.Sales = append(out.Sales, saleOf(s))
	}
	if page.Next != nil {
		out.NextPageToken = page.Next.PageToken
	}
	return out, nil
}

func saleOf(s rest.Sale) accounts.Sale {
	return accounts.Sale{
		Transaction:      s.Purchase.Transaction,
		Status:           string(s.Purchase.Status),
		ProductID:        s.Product.ID.String(),
		ProductName:      s.Product.Name,
		BuyerEmail:       s.Buyer.Email,
		BuyerName:        s.Buyer.Name,
		ProducerName:     s.Producer.Name,
		Price:            s.Purchase.Price.Value.String(),
		Currency:         s.Purchase.Price.CurrencyCode,
		OrderDate:        s.Purchase.OrderDate.Time,
		ApprovedDate:     s.Purchase.ApprovedDate.Time,
		PaymentType:      string(s.Purchase.Payment.Type),
		Installments:     s.Purchase.Payment.InstallmentsNumber,
		RecurrenceNumber: s.Purchase.RecurrencyNumber,
		OfferCode:        s.Purchase.Offer.Code,
		TrackingSource:   s.Purchase.Tracking.Source,
		TrackingSCK:      s.Purchase.Tracking.SourceSCK,
		TrackingExternal: s.Purchase.Tracking.ExternalCode,
	}
}
