package mastodon_test

import (
	"net/url"
	"testing"
	"time"

	"weft/internal/testkit"
)

func TestFeaturedTags(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		bob, bobTok := f.user("bob")
		f.postVis(tok, "first #Go post", "public")
		f.postVis(tok, "more #go and #cats", "unlisted")
		f.postVis(tok, "secret #go", "private") // not counted: followers only
		f.postVis(tok, "#weft #weft", "public")
		f.postVis(bobTok, "#go #go #go", "public") // not hers

		feature := func(name string, want int) map[string]any {
			t.Helper()
			return a.Do(t, "POST", "/api/v1/featured_tags", tok, url.Values{"name": {name}}).Want(t, want).Map(t)
		}
		goTag := feature("go", 200)
		today := time.Now().UTC().Format("2006-01-02")
		if goTag["name"] != "Go" || goTag["statuses_count"] != "2" || goTag["last_status_at"] != today ||
			goTag["url"] != "https://weft.test/@alice/tagged/Go" || goTag["id"] == "" {
			t.Fatalf("featured #go: %v", goTag)
		}
		cats := feature("#cats", 200)
		if cats["statuses_count"] != "1" {
			t.Fatalf("featured #cats: %v", cats)
		}
		never := feature("neverused", 200)
		if never["statuses_count"] != "0" || never["last_status_at"] != nil {
			t.Fatalf("featured #neverused: %v", never)
		}
		feature("GO", 422)        // featured already
		feature("not a tag", 422) // not a hashtag
		feature("", 422)
		a.Do(t, "POST", "/api/v1/featured_tags", a.Token(t, alice, "read"), url.Values{"name": {"x"}}).Want(t, 403)

		names := func(path, tok string) []string {
			t.Helper()
			var out []string
			for _, m := range f.get(path, tok, 200).List(t) {
				out = append(out, m["name"].(string))
			}
			if out == nil {
				out = []string{}
			}
			return out
		}
		// The most used first.
		tlWant(t, "own", names("/api/v1/featured_tags", tok), "Go", "cats", "neverused")
		tlWant(t, "on her profile", names("/api/v1/accounts/"+tlStr(alice.ID)+"/featured_tags", ""), "Go", "cats", "neverused")
		tlWant(t, "bob's", names("/api/v1/accounts/"+tlStr(bob.ID)+"/featured_tags", ""))
		f.get("/api/v1/accounts/1/featured_tags", "", 404)
		// Suggestions: the tags of her posts she does not feature yet.
		tlWant(t, "suggestions", names("/api/v1/featured_tags/suggestions", tok), "weft")
		f.get("/api/v1/featured_tags/suggestions", a.Token(t, alice, "read:statuses"), 403)
		if tag := f.get("/api/v1/tags/go", tok, 200).Map(t); tag["featuring"] != true {
			t.Fatalf("tag featuring: %v", tag)
		}

		a.Do(t, "DELETE", "/api/v1/featured_tags/"+cats["id"].(string), bobTok, nil).Want(t, 404) // not bob's
		a.Do(t, "DELETE", "/api/v1/featured_tags/"+cats["id"].(string), tok, nil).Want(t, 200)
		a.Do(t, "DELETE", "/api/v1/featured_tags/"+cats["id"].(string), tok, nil).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/featured_tags/x", tok, nil).Want(t, 404)
		tlWant(t, "after unfeaturing", names("/api/v1/featured_tags", tok), "Go", "neverused")

		// Mastodon 4.4's way, from a hashtag.
		if tag := a.Do(t, "POST", "/api/v1/tags/weft/feature", tok, nil).Want(t, 200).Map(t); tag["featuring"] != true {
			t.Fatalf("feature from the tag: %v", tag)
		}
		a.Do(t, "POST", "/api/v1/tags/weft/feature", tok, nil).Want(t, 200)
		if tag := a.Do(t, "POST", "/api/v1/tags/go/unfeature", tok, nil).Want(t, 200).Map(t); tag["featuring"] != false {
			t.Fatalf("unfeature from the tag: %v", tag)
		}
		tlWant(t, "after the tag endpoints", names("/api/v1/featured_tags", tok), "weft", "neverused")

		// At most ten.
		for _, n := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"} {
			feature(n, 200)
		}
		if e := feature("a9", 422); e["error"] == "" {
			t.Fatalf("limit: %v", e)
		}
	})
}
