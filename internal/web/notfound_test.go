package web_test

import (
	"net/http"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// A browser that asks for an address the web app does not have gets the
// app's 404 page, never JSON; apps and servers asking under the API's and
// the fediverse's paths keep their JSON, whatever they accept.
func TestUnknownPagesAnswerHTML(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	b := newBrowser(t, a)
	const navigation = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" // Chromium's
	get := func(path, accept string) page {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
		testkit.Must(t, err, "request")
		req.Header.Set("Accept", accept)
		return b.do(req)
	}
	for _, path := range []string{"/no-such-page", "/settings/nothing", "/no/such/page"} {
		p := get(path, navigation)
		if p.status != http.StatusNotFound || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s", path, p.status, p.header.Get("Content-Type"))
		}
		p.has(t, "This page does not exist", `href="/"`)
	}
	for _, path := range []string{"/api/v1/nothing", "/oauth/nothing", "/.well-known/nothing"} {
		p := get(path, navigation)
		if p.status != http.StatusNotFound || !strings.Contains(p.body, `"error"`) {
			t.Fatalf("%s: %d %s", path, p.status, p.body)
		}
	}
	if p := get("/no/such/page", "application/json"); p.status != http.StatusNotFound || !strings.Contains(p.body, `"error"`) {
		t.Fatalf("an app's 404: %d %s", p.status, p.body)
	}
}
