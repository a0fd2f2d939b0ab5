package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/hotmartkit/hotmartkit/internal/pgtest"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// These tests run the built program as separate processes, as an operator
// would, against fake providers in the test process.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func programBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "hotmartkit-pipeline-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "pipeline")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// postgresURL is a fresh PostgreSQL database for this test (see pgtest.URL).
func postgresURL(t *testing.T) string {
	t.Helper()
	return pgtest.URL(t)
}

// proc is one running program.
type proc struct {
	cmd    *exec.Cmd
	base   string
	hook   string
	stderr *syncBuffer
	done   chan struct{}
	code   int
}

type fakes struct {
	ll *leadloverstest.Server
	sp *sendpulsetest.Server
}

func newFakes(t *testing.T) fakes {
	ll := leadloverstest.NewServer(t)
	sp := sendpulsetest.NewServer(t)
	return fakes{ll, sp}
}

func startProc(t *testing.T, f fakes, dbURL string, extra ...string) *proc {
	t.Helper()
	rules := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(rules, demoRules, 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-addr", "127.0.0.1:0", "-rules", rules, "-leadlovers-url", f.ll.URL(), "-sendpulse-url", f.sp.URL(),
		"-db", dbURL, "-admin-token", "adm", "-job-timeout", "5s", "-retry-max-delay", "500ms"}, extra...)
	cmd := exec.Command(programBinary(t), args...)
	cmd.Env = []string{"HOTMART_HOTTOK=test-hottok", "LEADLOVERS_TOKEN=" + f.ll.Token(), "SENDPULSE_API_KEY=" + f.sp.Credentials().APIKey}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	go func() {
		err := cmd.Wait()
		p.code = cmd.ProcessState.ExitCode()
		_ = err
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	re := regexp.MustCompile(`listening on (http://[^/\s]+)(/\S*)`)
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-lines:
			if m := re.FindStringSubmatch(l); m != nil {
				p.base, p.hook = m[1], m[1]+m[2]
				return p
			}
		case <-p.done:
			t.Fatalf("program exited %d before listening:\n%s", p.code, p.stderr.String())
		case <-timeout:
			t.Fatalf("program did not start:\n%s", p.stderr.String())
		}
	}
}

func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// terminate sends SIGTERM and returns the exit code.
func (p *proc) terminate(t *testing.T, within time.Duration) int {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.code
	case <-time.After(within):
		t.Fatalf("no exit %s after SIGTERM:\n%s", within, p.stderr.String())
		return -1
	}
}

// countEvents asks a process how many events are in state.
func countEvents(t *testing.T, base, state string) int {
	t.Helper()
	code, body := get(t, base+"/events?limit=100000&state="+state, "Bearer adm")
	var evs []map[string]any
	if code != http.StatusOK || json.Unmarshal(body, &evs) != nil {
		return -1
	}
	return len(evs)
}

func waitAllDone(t *testing.T, base string, n int, within time.Duration, logs ...*proc) {
	t.Helper()
	deadline := time.Now().Add(within)
	for countEvents(t, base, "done") != n {
		if time.Now().After(deadline) {
			var b strings.Builder
			for _, s := range []string{"queued", "running", "retrying", "dead", "stale"} {
				fmt.Fprintf(&b, "%s=%d ", s, countEvents(t, base, s))
			}
			for _, p := range logs {
				b.WriteString("\n" + lastLines(p.stderr.String(), 20))
			}
			t.Fatalf("after %s, %d of %d events done; %s", within, countEvents(t, base, "done"), n, b.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}

func effectsOf(f fakes) []string {
	return world{ll: f.ll, sp: f.sp}.effects()
}

// baselineEffects is what a fault-free, in-request run of events does.
func baselineEffects(t *testing.T, events [][]byte) []string {
	t.Helper()
	w := newWorld(t)
	for i, body := range events {
		if code := w.deliver(body); code != http.StatusOK {
			t.Fatalf("baseline event %d: HTTP %d", i, code)
		}
	}
	return w.effects()
}

func checkExactlyOnce(t *testing.T, f fakes, want []string, n int) {
	t.Helper()
	got := effectsOf(f)
	sort.Strings(got)
	// The SendPulse executor defines its deal attributes once per process
	// (not per sale); processes starting together may each define them
	// (a known race of sendpulse.Executor.dealAttributes across replicas,
	// reported; deals are found by their name marker, so sales are not
	// affected). Per-sale effects must match exactly.
	const setup = "sp pipeline.attribute.create"
	got, gotSetup := withoutEffect(got, setup)
	want, wantSetup := withoutEffect(want, setup)
	if gotSetup < wantSetup || gotSetup > 4*wantSetup {
		t.Fatalf("%d attribute definitions, want %d per process", gotSetup, wantSetup)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("effects differ from a fault-free run: got %d, want %d\n%s", len(got), len(want), firstDiff(got, want))
	}
	for i := 0; i < n; i++ {
		if i%4 == 3 { // cart abandonment: no transaction, leadlovers only
			continue
		}
		email := fmt.Sprintf("buyer%04d@example.com", i)
		if c := len(f.sp.ContactsByEmail(email)); c != 1 {
			t.Fatalf("%s: %d contacts", email, c)
		}
		if d := len(f.sp.DealsByTransaction(fmt.Sprintf("HP9%09d", i))); d != 1 {
			t.Fatalf("%s: %d deals", email, d)
		}
	}
}

func withoutEffect(effects []string, drop string) ([]string, int) {
	out := effects[:0:0]
	n := 0
	for _, e := range effects {
		if e == drop {
			n++
			continue
		}
		out = append(out, e)
	}
	return out, n
}

// SIGKILL in the middle of processing, then a restart: every action ends
// up done exactly once.
func TestSIGKILLMidProcessingThenRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process")
	}
	t.Parallel() // mostly waiting on other processes
	const n = 24
	events := reliabilityEvents(n)
	want := baselineEffects(t, events)
	f := newFakes(t)
	f.ll.SetLatency(20 * time.Millisecond)
	f.sp.SetLatency(10 * time.Millisecond)
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "hk.db")

	p1 := startProc(t, f, dbURL)
	for i, body := range events {
		if code := deliver(t, p1.hook, body, "test-hottok"); code != http.StatusOK {
			t.Fatalf("event %d: HTTP %d", i, code)
		}
	}
	// Kill it once work is under way but not finished.
	deadline := time.Now().Add(20 * time.Second)
	for len(f.ll.Calls())+len(f.sp.Calls()) < 10 {
		if time.Now().After(deadline) {
			t.Fatal("no provider calls")
		}
		time.Sleep(5 * time.Millisecond)
	}
	p1.kill()
	if done := countEventsDirect(t, f, n); done >= n {
		t.Skip("everything finished before the kill; machine too fast for this test")
	}

	p2 := startProc(t, f, dbURL)
	waitAllDone(t, p2.base, n, 90*time.Second, p2)
	checkExactlyOnce(t, f, want, n)
	// A redelivery after the restart calls no provider.
	calls := len(f.ll.Calls()) + len(f.sp.Calls())
	if code := deliver(t, p2.hook, events[0], "test-hottok"); code != http.StatusOK {
		t.Fatalf("redelivery: %d", code)
	}
	time.Sleep(200 * time.Millisecond)
	if c := len(f.ll.Calls()) + len(f.sp.Calls()); c != calls {
		t.Fatalf("redelivery after restart made %d provider calls", c-calls)
	}
	if code := p2.terminate(t, 20*time.Second); code != 0 {
		t.Fatalf("SIGTERM: exit %d\n%s", code, p2.stderr.String())
	}
}

// countEventsDirect is a rough progress probe from the provider side: the
// number of sales with a deal.
func countEventsDirect(t *testing.T, f fakes, n int) int {
	done := 0
	for i := 0; i < n; i++ {
		if len(f.sp.DealsByTransaction(fmt.Sprintf("HP9%09d", i))) > 0 || i%4 == 3 {
			done++
		}
	}
	return done
}

// SIGTERM while jobs run: exit 0 within the shutdown timeout, and the
// unfinished work runs after the next start.
func TestSIGTERMMidProcessingExitsZero(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process")
	}
	t.Parallel() // mostly waiting on other processes
	const n = 16
	events := reliabilityEvents(n)
	want := baselineEffects(t, events)
	f := newFakes(t)
	f.ll.SetLatency(150 * time.Millisecond)
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "hk.db")
	p1 := startProc(t, f, dbURL, "-shutdown-timeout", "1s")
	for _, body := range events {
		deliver(t, p1.hook, body, "test-hottok")
	}
	for len(f.ll.Calls()) < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	if code := p1.terminate(t, 15*time.Second); code != 0 {
		t.Fatalf("SIGTERM mid-processing: exit %d\n%s", code, p1.stderr.String())
	}
	t.Logf("exited 0 after %s", time.Since(start))
	f.ll.SetLatency(0)
	p2 := startProc(t, f, dbURL)
	waitAllDone(t, p2.base, n, 90*time.Second, p2)
	checkExactlyOnce(t, f, want, n)
}

// Three processes on one PostgreSQL, deliveries spread over all three, 20%
// provider faults, one process killed and restarted: every action exactly
// once, one contact and one deal per sale.
func TestThreeProcessesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process")
	}
	t.Parallel() // mostly waiting on other processes
	dbURL := postgresURL(t)
	const n = 48 // the real clients' rate limits pace SendPulse calls
	events := reliabilityEvents(n)
	want := baselineEffects(t, events)
	f := newFakes(t)
	f.ll.FailRate(0.2,
		leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusServiceUnavailable},
		leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusBadGateway, AfterApply: true},
		leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: time.Millisecond},
	)
	f.sp.FailRate(0.2)
	f.ll.SetLatency(5 * time.Millisecond)

	// All three migrate an empty database at once.
	procs := make([]*proc, 3)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); procs[i] = startProc(t, f, dbURL) }()
	}
	wg.Wait()
	for _, p := range procs {
		if p == nil {
			t.FailNow()
		}
	}

	var (
		mu      sync.Mutex
		targets = []string{procs[0].hook, procs[1].hook, procs[2].hook}
	)
	send := func(from, to int) {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 12)
		for i := from; i < to; i++ {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				for attempt := 0; ; attempt++ {
					mu.Lock()
					url := targets[(i+attempt)%3]
					mu.Unlock()
					resp, err := postRaw(url, events[i])
					if err == nil && resp == http.StatusOK {
						return
					}
					if attempt > 50 {
						t.Errorf("event %d never accepted", i)
						return
					}
					time.Sleep(20 * time.Millisecond) // Hotmart retries elsewhere
				}
			}()
		}
		wg.Wait()
	}
	send(0, n/2)
	// Kill one process mid-processing and start it again.
	procs[1].kill()
	mu.Lock()
	targets[1] = procs[0].hook
	mu.Unlock()
	procs[1] = startProc(t, f, dbURL)
	mu.Lock()
	targets[1] = procs[1].hook
	mu.Unlock()
	send(n/2, n)

	waitAllDone(t, procs[0].base, n, 120*time.Second, procs...)
	f.ll.FailRate(0)
	f.sp.FailRate(0)
	checkExactlyOnce(t, f, want, n)
	for _, p := range procs {
		if code := p.terminate(t, 30*time.Second); code != 0 {
			t.Fatalf("SIGTERM: exit %d\n%s", code, p.stderr.String())
		}
	}
}

// postRaw delivers without failing the test on a connection error (a
// killed process refuses connections; Hotmart would retry).
func postRaw(url string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hotmart-Hottok", "test-hottok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
