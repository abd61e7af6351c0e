package mastodon_test

import (
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// TestStartupEndpoints: what apps call on start-up for features weft does
// not have answers as a Mastodon server without them does.
func TestStartupEndpoints(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		empty := func(path, tok string) {
			t.Helper()
			if r := f.get(path, tok, 200); strings.TrimSpace(string(r.Body)) != "[]" {
				t.Fatalf("%s: %s, want []", path, r.Body)
			}
		}
		notFound := func(method, path, tok string) {
			t.Helper()
			if e := a.Do(t, method, path, tok, nil).Want(t, 404).Map(t); e["error"] != "Record not found" {
				t.Fatalf("%s %s: %v", method, path, e)
			}
		}

		empty("/api/v1/announcements", tok)
		f.get("/api/v1/announcements", "", 401)
		notFound("POST", "/api/v1/announcements/1/dismiss", tok)
		a.Do(t, "POST", "/api/v1/announcements/1/dismiss", a.Token(t, alice, "read"), nil).Want(t, 403)
		notFound("PUT", "/api/v1/announcements/1/reactions/%F0%9F%91%8D", tok)
		notFound("DELETE", "/api/v1/announcements/1/reactions/%F0%9F%91%8D", tok)

		d := f.get("/api/v1/instance/extended_description", "", 200).Map(t)
		if _, ok := d["content"].(string); !ok || d["updated_at"] == nil {
			t.Fatalf("extended description: %v", d)
		}
		if r := f.get("/api/v1/instance/translation_languages", "", 200); strings.TrimSpace(string(r.Body)) != "{}" {
			t.Fatalf("translation languages: %s", r.Body)
		}
		empty("/api/v1/instance/domain_blocks", "")

		empty("/api/v1/endorsements", tok)
		f.get("/api/v1/endorsements", a.Token(t, alice, "read:statuses"), 403)
		empty("/api/v1/accounts/"+tlStr(alice.ID)+"/endorsements", "")
		f.get("/api/v1/accounts/1/endorsements", "", 404)

		push := a.Token(t, alice, "push")
		notFound("GET", "/api/v1/push/subscription", push)
		notFound("PUT", "/api/v1/push/subscription", push)
		r := a.Do(t, "POST", "/api/v1/push/subscription", push, url.Values{"subscription[endpoint]": {"https://push.example/x"},
			"subscription[keys][p256dh]": {"k"}, "subscription[keys][auth]": {"a"}}).Want(t, 422).Map(t)
		if !strings.Contains(r["error"].(string), "not supported") {
			t.Fatalf("push subscription refusal: %v", r)
		}
		a.Do(t, "DELETE", "/api/v1/push/subscription", push, nil).Want(t, 200)
		f.get("/api/v1/push/subscription", tok, 403) // read write follow has no push

		empty("/api/v1/scheduled_statuses", tok)
		notFound("GET", "/api/v1/scheduled_statuses/1", tok)
		notFound("DELETE", "/api/v1/scheduled_statuses/1", tok)
		f.get("/api/v1/scheduled_statuses", a.Token(t, alice, "read:accounts"), 403)
	})
}
