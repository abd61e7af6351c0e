package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"weft/internal/store"
	"weft/internal/testkit"
)

// Page-weight budgets (issue 14), as a browser receives them (gzip): the
// home page with 20 posts at most 60 KB, the stylesheet and the script at
// most 20 KB each. Sizes, not times: the same on any machine, so checked
// on every run; the figures are in docs/benchmarks.md.
func TestPageWeight(t *testing.T) {
	a := testkit.NewAPI(t, store.SQLite, nil)
	cookie := seedHome(t, a, 5, true)
	fetch := func(path string) (plain, sent int, body string) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: "_weft_session", Value: cookie})
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: %d, Content-Encoding %q", path, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		raw, _ := io.ReadAll(res.Body)
		req.Header.Del("Accept-Encoding")
		rec = httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		return rec.Body.Len(), len(raw), rec.Body.String()
	}
	plain, sent, home := fetch("/")
	if n := len(regexp.MustCompile(`<article class="post`).FindAllString(home, -1)); n != 20 {
		t.Fatalf("the home page shows %d posts, want 20", n)
	}
	t.Logf("home, 20 posts: %.1f KB of HTML, %.1f KB sent", float64(plain)/1000, float64(sent)/1000)
	if sent > 60_000 {
		t.Errorf("home with 20 posts: %d bytes sent, budget 60 KB", sent)
	}
	for name, re := range map[string]string{"CSS": `href="(/assets/app-[0-9a-f]+\.css)"`, "JS": `src="(/assets/app-[0-9a-f]+\.js)"`} {
		m := regexp.MustCompile(re).FindStringSubmatch(home)
		if m == nil {
			t.Fatalf("no %s on the page", name)
		}
		plain, sent, _ := fetch(m[1])
		t.Logf("%s: %.1f KB, %.1f KB sent", name, float64(plain)/1000, float64(sent)/1000)
		if sent > 20_000 {
			t.Errorf("%s: %d bytes sent, budget 20 KB", name, sent)
		}
	}
}
