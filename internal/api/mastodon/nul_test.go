package mastodon_test

import (
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// The NUL character is refused with a 422 naming the field, the same on
// both databases, wherever text comes in (PostgreSQL cannot store it and
// answered 500; SQLite stored it).
func TestNULRefused(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, tok := a.Account(t, "alice")
		for _, c := range []struct {
			method, path, token string
			body                any
			field               string
		}{
			{"POST", "/api/v1/statuses", tok, map[string]any{"status": "a\x00b"}, "status"},
			{"POST", "/api/v1/statuses", tok, url.Values{"status": {"ok"}, "spoiler_text": {"c\x00w"}}, "spoiler_text"},
			{"POST", "/api/v1/lists", tok, map[string]any{"title": "l\x00st"}, "title"},
			{"POST", "/api/v2/filters", tok, map[string]any{"title": "f\x00", "context": []string{"home"}}, "title"},
			{"POST", "/api/v1/apps", "", map[string]any{"client_name": "bad\x00app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "client_name"},
			{"GET", "/api/v2/search?q=a%00b", tok, nil, "q"},
		} {
			r := a.Do(t, c.method, c.path, c.token, c.body)
			if r.Status != 422 || !strings.Contains(string(r.Body), c.field) || !strings.Contains(string(r.Body), "NUL") {
				t.Errorf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
			}
		}
	})
}
