package oauth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

// Redirect URIs that a browser would run or show rather than return to an
// app are refused at registration (the code would go to whoever wrote the
// page); an app's own scheme is fine.
func TestAppRedirectSchemes(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	for _, bad := range []string{"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>", "vbscript:x", "file:///etc/passwd"} {
		r := a.Do(t, "POST", "/api/v1/apps", "", map[string]any{"client_name": "x", "redirect_uris": bad})
		if r.Status != 422 || !strings.Contains(string(r.Body), "redirect_uris") {
			t.Errorf("%s: %d %s", bad, r.Status, r.Body)
		}
	}
	a.Do(t, "POST", "/api/v1/apps", "", map[string]any{"client_name": "x", "redirect_uris": "myapp://callback"}).Want(t, 200)
}

// The token request must name the redirect URI when the authorization
// request did (RFC 6749 §4.1.3); a public client (PKCE) may send no secret,
// but a secret it sends must be right.
func TestCodeExchangeChecks(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := a.User(t, "alice")
	clientID, secret := registerApp(t, a, "myapp://cb")
	code := func(redirect, challenge string) string {
		t.Helper()
		r := service.AuthorizeRequest{ClientID: clientID, RedirectURI: redirect, Scope: "read"}
		if challenge != "" {
			r.CodeChallenge, r.CodeChallengeMethod = challenge, "S256"
		}
		c, err := a.Service.IssueAuthCode(context.Background(), alice.ID, r)
		testkit.Must(t, err, "code")
		return c
	}
	exchange := func(v url.Values) int {
		return a.Do(t, "POST", "/oauth/token", "", v).Status
	}
	base := func(c string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "client_id": {clientID}, "client_secret": {secret}, "code": {c}}
	}
	// Named at authorization, missing at the exchange: refused.
	v := base(code("myapp://cb", ""))
	if st := exchange(v); st != 400 {
		t.Fatalf("exchange without the redirect_uri named at authorization: %d", st)
	}
	v = base(code("myapp://cb", ""))
	v.Set("redirect_uri", "myapp://other")
	if st := exchange(v); st != 400 {
		t.Fatalf("exchange with another redirect_uri: %d", st)
	}
	v = base(code("myapp://cb", ""))
	v.Set("redirect_uri", "myapp://cb")
	if st := exchange(v); st != 200 {
		t.Fatalf("exchange with the redirect_uri: %d", st)
	}

	// PKCE: no secret is fine, a wrong one is not.
	verifier := strings.Repeat("pkce-verifier-", 4)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	v = base(code("myapp://cb", challenge))
	v.Set("redirect_uri", "myapp://cb")
	v.Set("code_verifier", verifier)
	v.Set("client_secret", "not the secret")
	if st := exchange(v); st != 401 {
		t.Fatalf("PKCE with a wrong secret: %d", st)
	}
	v = base(code("myapp://cb", challenge))
	v.Set("redirect_uri", "myapp://cb")
	v.Set("code_verifier", verifier)
	v.Del("client_secret")
	if st := exchange(v); st != 200 {
		t.Fatalf("PKCE without a secret: %d", st)
	}
}

// The consent page runs no inline style and lets its form lead to this
// server and to the app's own redirect URI only; it is never cached nor
// sniffed.
func TestConsentPageHeaders(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	a.User(t, "alice")
	clientID, _ := registerApp(t, a, "myapp://cb")
	b := newBrowser(t, a)
	_, page := b.get("/auth/sign_in")
	b.post("/auth/sign_in", url.Values{"authenticity_token": {csrf(t, page)}, "login": {"alice"}, "password": {"correct horse battery staple"}})
	res, body := b.get("/oauth/authorize?" + url.Values{"response_type": {"code"}, "client_id": {clientID},
		"redirect_uri": {"myapp://cb"}, "scope": {"read"}}.Encode())
	if res.StatusCode != 200 || !strings.Contains(body, "Test app") {
		t.Fatalf("consent page: %d", res.StatusCode)
	}
	csp := res.Header.Get("Content-Security-Policy")
	if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "form-action 'self' myapp:;") || strings.Contains(csp, "*") {
		t.Fatalf("CSP %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("headers %v", res.Header)
	}
	if strings.Contains(body, "<style") {
		t.Fatal("inline style on the consent page")
	}
}
