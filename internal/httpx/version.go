package httpx

import (
	"runtime"
	"strings"
)

// Version is the hotmartkit release the user agent reports.
const Version = "0.1.0"

// UserAgent returns "hotmartkit/<version> go/<go version>", followed by app
// when it is not empty.
func UserAgent(app string) string {
	ua := "hotmartkit/" + Version + " go/" + strings.TrimPrefix(runtime.Version(), "go")
	if app = strings.TrimSpace(app); app != "" {
		ua += " " + app
	}
	return ua
}
