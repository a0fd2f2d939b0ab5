package hotmartkit_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The dependency rules of the design, checked against what `go list`
// reports, so that an import that breaks them fails here rather than in a
// review.

const module = "github.com/hotmartkit/hotmartkit"

// mayImport is the design's "may import" table: for each package of the
// module, the packages of the module it may import directly. A prefix
// ending in "/" allows a whole tree. Packages not listed (examples,
// the root, packages added by later work) are not checked by this table.
var mayImport = map[string][]string{
	"hotmart":                   {"internal/"},
	"hotmart/rest":              {"hotmart", "internal/"},
	"hotmart/backfill":          {"hotmart", "hotmart/rest", "internal/"},
	"hotmart/hotmarttest":       {"hotmart", "internal/"},
	"hotmart/rest/resttest":     {"hotmart", "hotmart/rest", "internal/"},
	"segment":                   {"hotmart", "internal/suggest"},
	"webhook":                   {"hotmart"},
	"leadlovers":                {"segment", "hotmart", "internal/"},
	"sendpulse":                 {"segment", "hotmart", "internal/"},
	"leadlovers/leadloverstest": {"leadlovers", "internal/"},
	"sendpulse/sendpulsetest":   {"sendpulse", "internal/"},
	// pipeline redacts error text with the pure redaction helpers, which
	// link no HTTP client.
	// pipeline also builds the fictitious event of "test with an e-mail"
	// with the event factory, which links no REST client.
	"pipeline": {"webhook", "segment", "hotmart", "hotmart/hotmarttest", "internal/redact"},
	// accounts is the database-free core of several accounts: the host
	// wires it to the REST client and the durable store.
	"accounts": {"hotmart", "segment", "internal/"},
	"console":  {"webhook", "segment", "pipeline", "durable", "hotmart", "internal/"},
	"durable":  {"webhook", "pipeline", "segment", "hotmart", "internal/"},
}

// Module paths (prefixes) of the heavy dependencies.
const (
	oauth2    = "golang.org/x/oauth2"
	retryable = "github.com/hashicorp/go-retryablehttp"
	validator = "github.com/go-playground/validator"
	river     = "github.com/riverqueue/"
	pgx       = "github.com/jackc/pgx"
	sqlite    = "modernc.org/sqlite"
)

// mustNotLink lists, per package, dependencies that must not appear
// anywhere in its transitive imports.
var mustNotLink = map[string][]string{
	// The pure packages link no HTTP client, OAuth, validation or database
	// code of ours or of anyone's.
	"segment": {oauth2, retryable, validator, river, pgx, sqlite, module + "/internal/httpx", module + "/hotmart/rest",
		module + "/leadlovers", module + "/sendpulse", module + "/webhook", "net/http"},
	"webhook": {oauth2, retryable, validator, river, pgx, sqlite, module + "/internal/httpx", module + "/hotmart/rest",
		module + "/leadlovers", module + "/sendpulse"},
	"hotmart": {oauth2, retryable, validator, river, pgx, sqlite, "net/http", module + "/internal/httpx"},
	// Providers and the REST client do not link the durable engine, and
	// providers know nothing of the webhook handler.
	"hotmart/rest": {river, pgx, sqlite, module + "/webhook"},
	"leadlovers":   {river, pgx, sqlite, module + "/webhook"},
	"sendpulse":    {river, pgx, sqlite, module + "/webhook"},
	"pipeline":     {river, pgx, sqlite, oauth2, retryable},
	"accounts":     {river, pgx, sqlite, oauth2, retryable, module + "/hotmart/rest"},
	// The event factory is for webhook-side tests; the REST fake is apart.
	"hotmart/hotmarttest": {oauth2, retryable, validator, river, pgx, sqlite, module + "/hotmart/rest"},
}

// knownViolations are rule breaks another change is removing; each is
// reported in the log rather than failing, and the test says when one has
// gone so the entry can be deleted.
var knownViolations = map[string]string{}

type listedPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func goList(t *testing.T, pkgs ...string) []listedPackage {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	cmd := exec.Command("go", append([]string{"list", "-json=ImportPath,Imports,Deps"}, pkgs...)...)
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var list []listedPackage
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		list = append(list, p)
	}
	return list
}

func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	return strings.CutPrefix(path, module+"/")
}

func allowed(rules []string, imp string) bool {
	for _, r := range rules {
		if imp == r || (strings.HasSuffix(r, "/") && strings.HasPrefix(imp, r)) {
			return true
		}
	}
	return false
}

func TestMayImportTable(t *testing.T) {
	checked := map[string]bool{}
	for _, p := range goList(t, "./...") {
		name, ok := rel(p.ImportPath)
		if !ok {
			continue
		}
		rules, listed := mayImport[name]
		if !listed {
			continue
		}
		checked[name] = true
		for _, imp := range p.Imports {
			r, ours := rel(imp)
			if !ours {
				continue
			}
			if !allowed(rules, r) {
				t.Errorf("%s imports %s; the design allows only %v", name, r, rules)
			}
		}
	}
	for name := range mayImport {
		if !checked[name] {
			t.Errorf("package %s of the table was not found by go list", name)
		}
	}
}

func TestForbiddenDependencies(t *testing.T) {
	var pkgs []string
	for name := range mustNotLink {
		pkgs = append(pkgs, "./"+name)
	}
	slices.Sort(pkgs)
	seen := map[string]bool{}
	for _, p := range goList(t, pkgs...) {
		name, _ := rel(p.ImportPath)
		for _, bad := range mustNotLink[name] {
			for _, d := range p.Deps {
				if d != bad && !strings.HasPrefix(d, strings.TrimSuffix(bad, "/")) {
					continue
				}
				if bad == "net/http" && d != "net/http" {
					continue // net/http/... subpackages are checked by their own rule only when listed
				}
				key := name + " -> " + bad
				if why, known := knownViolations[key]; known {
					seen[key] = true
					t.Logf("known: %s links %s (%s)", name, d, why)
					break
				}
				t.Errorf("%s links %s, which the design forbids for it", name, d)
				break
			}
		}
	}
	for key := range knownViolations {
		if !seen[key] {
			t.Logf("known violation %q is gone: delete it from knownViolations", key)
		}
	}
}
