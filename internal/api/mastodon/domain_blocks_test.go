package mastodon_test

import (
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

func TestDomainBlocks(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		_, bobTok := f.user("bob")
		list := func(path, tok string) (*testkit.Response, []string) {
			t.Helper()
			r := f.get(path, tok, 200)
			var out []string
			r.JSON(t, &out)
			return r, out
		}
		block := func(domain string, want int) *testkit.Response {
			t.Helper()
			return a.Do(t, "POST", "/api/v1/domain_blocks", tok, url.Values{"domain": {domain}}).Want(t, want)
		}
		if _, l := list("/api/v1/domain_blocks", tok); l == nil || len(l) != 0 {
			t.Fatalf("empty list: %v", l)
		}
		if r := block("Spam.Example", 200); string(r.Body) != "{}\n" {
			t.Fatalf("block answered %s", r.Body)
		}
		block("spam.example", 200) // again: fine
		block("https://bad.example/some/page", 200)
		a.Do(t, "POST", "/api/v1/domain_blocks", tok, map[string]string{"domain": "third.example"}).Want(t, 200)
		_, l := list("/api/v1/domain_blocks", tok)
		tlWant(t, "blocked", l, "third.example", "bad.example", "spam.example")
		_, l = list("/api/v1/domain_blocks", bobTok)
		tlWant(t, "bob's", l)

		r, l := list("/api/v1/domain_blocks?limit=2", tok)
		tlWant(t, "page 1", l, "third.example", "bad.example")
		next, _ := tlLinks(t, r)
		_, l = list(next, tok)
		tlWant(t, "page 2", l, "spam.example")

		for _, bad := range []string{"", "two words.example", "a..b", "-x.example", "weft.test"} {
			if e := block(bad, 422).Map(t); !strings.Contains(e["error"].(string), "domain") {
				t.Fatalf("%q: %v", bad, e)
			}
		}
		a.Do(t, "DELETE", "/api/v1/domain_blocks?domain=BAD.example", tok, nil).Want(t, 200)
		a.Do(t, "DELETE", "/api/v1/domain_blocks", tok, url.Values{"domain": {"never.example"}}).Want(t, 200)
		a.Do(t, "DELETE", "/api/v1/domain_blocks", tok, nil).Want(t, 422)
		_, l = list("/api/v1/domain_blocks", tok)
		tlWant(t, "after unblocking", l, "third.example", "spam.example")

		f.get("/api/v1/domain_blocks", a.Token(t, alice, "read:accounts"), 403)
		f.get("/api/v1/domain_blocks", a.Token(t, alice, "follow"), 200) // the legacy scope grants read:blocks
		block2 := a.Do(t, "POST", "/api/v1/domain_blocks", a.Token(t, alice, "read:blocks"), url.Values{"domain": {"x.example"}})
		block2.Want(t, 403)
		f.get("/api/v1/domain_blocks", "", 401)
	})
}
