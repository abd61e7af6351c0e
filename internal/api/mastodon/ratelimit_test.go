package mastodon_test

import (
	"fmt"
	"net/url"
	"testing"

	"weft/internal/config"
	"weft/internal/testkit"
)

// The API's limits as an attacker meets them: minting app-only tokens
// (client_credentials) gives no fresh budget — they count against the
// client IP, 300 per 5 minutes — and tokens can be minted 60 times per
// 5 minutes per IP. Before, each new token brought 300 more requests (900
// × 200 from one IP already limited). A member's tokens share their
// account's budget (1,500).
func TestRateLimitsCannotBeMinted(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], func(c *config.Config) { c.RateLimit = true })
	app := a.Do(t, "POST", "/api/v1/apps", "", map[string]any{"client_name": "app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
		"scopes": "read"}).Want(t, 200).Map(t)
	mint := func() (int, string) {
		r := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"},
			"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {"read"}})
		if r.Status != 200 {
			return r.Status, ""
		}
		return 200, r.Map(t)["access_token"].(string)
	}
	_, first := mint()
	used := 1 // the app's registration
	for ; used < 300; used++ {
		a.Do(t, "GET", "/api/v1/apps/verify_credentials", first, nil).Want(t, 200)
	}
	a.Do(t, "GET", "/api/v1/apps/verify_credentials", first, nil).Want(t, 429)
	_, second := mint()
	if r := a.Do(t, "GET", "/api/v1/apps/verify_credentials", second, nil); r.Status != 429 {
		t.Fatalf("a freshly minted app token brought a fresh budget: %d", r.Status)
	}
	// Minting itself is limited: 60 per 5 minutes (two so far).
	for i := 2; i < 60; i++ {
		if st, _ := mint(); st != 200 {
			t.Fatalf("token %d: %d", i+1, st)
		}
	}
	if st, _ := mint(); st != 429 {
		t.Fatalf("the 61st token in 5 minutes: %d", st)
	}

	// A member's two tokens share the account's budget, apart from the IP's.
	alice, _ := a.Account(t, "alice")
	one, two := a.Token(t, alice, "read"), a.Token(t, alice, "read")
	r := a.Do(t, "GET", "/api/v1/accounts/verify_credentials", one, nil).Want(t, 200)
	if r.Header.Get("X-RateLimit-Limit") != "1500" || r.Header.Get("X-RateLimit-Remaining") != "1499" {
		t.Fatalf("headers: %v", r.Header)
	}
	r = a.Do(t, "GET", "/api/v1/accounts/verify_credentials", two, nil).Want(t, 200)
	if got := r.Header.Get("X-RateLimit-Remaining"); got != fmt.Sprint(1498) {
		t.Fatalf("the second token of the account: remaining %s", got)
	}
}
