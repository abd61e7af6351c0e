package oauth_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"weft/internal/config"
	"weft/internal/service"
	"weft/internal/testkit"
)

// browser is a cookie-keeping client that does not follow redirects, so
// the test sees each step of the flow as an app's web view would.
type browser struct {
	t *testing.T
	a *testkit.API
	c *http.Client
}

func newBrowser(t *testing.T, a *testkit.API) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, a: a, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.Get(b.a.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.PostForm(b.a.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var csrfRE = regexp.MustCompile(`name="authenticity_token" value="([^"]+)"`)

func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no authenticity_token in page:\n%s", page)
	}
	return m[1]
}

func registerApp(t *testing.T, a *testkit.API, redirect string) (string, string) {
	t.Helper()
	m := a.Do(t, "POST", "/api/v1/apps", "", map[string]any{"client_name": "Test app",
		"redirect_uris": []string{redirect, service.OOB}, "scopes": "read write follow", "website": "https://app.example"}).Want(t, 200).Map(t)
	return m["client_id"].(string), m["client_secret"].(string)
}

// The authorization code flow with PKCE, as an app does it: register, send
// the user to /oauth/authorize, sign in, consent, get redirected back with
// a code, exchange it (once) for a token that works.
func TestAuthorizationCodeWithPKCE(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		c := a.User(t, "alice")
		clientID, secret := registerApp(t, a, "myapp://oauth-callback")
		verifier := strings.Repeat("v3rifier-", 6)
		sum := sha256.Sum256([]byte(verifier))
		challenge := base64.RawURLEncoding.EncodeToString(sum[:])
		q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"myapp://oauth-callback"},
			"scope": {"read write"}, "state": {"s-123"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
		authorize := "/oauth/authorize?" + q.Encode()

		b := newBrowser(t, a)
		res, _ := b.get(authorize)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/auth/sign_in?return_to=") {
			t.Fatalf("signed-out authorize: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, page := b.get(res.Header.Get("Location"))
		res, page = b.post("/auth/sign_in", url.Values{"authenticity_token": {csrf(t, page)}, "login": {"alice"},
			"password": {"wrong password"}, "return_to": {authorize}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "invalid") {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		res, _ = b.post("/auth/sign_in", url.Values{"authenticity_token": {csrf(t, page)}, "login": {c.Username},
			"password": {"correct horse battery staple"}, "return_to": {authorize}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != authorize {
			t.Fatalf("sign in: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, page = b.get(authorize)
		if !strings.Contains(page, "Test app") || !strings.Contains(page, "@alice") {
			t.Fatalf("consent page:\n%s", page)
		}
		form := url.Values{"authenticity_token": {csrf(t, page)}, "decision": {"approve"}}
		for k, v := range q {
			form[k] = v
		}
		// A forged form (no CSRF token) is refused.
		forged := url.Values{"decision": {"approve"}}
		for k, v := range q {
			forged[k] = v
		}
		if res, _ := b.post("/oauth/authorize", forged); res.StatusCode != http.StatusForbidden {
			t.Fatalf("forged consent: %d", res.StatusCode)
		}
		res, _ = b.post("/oauth/authorize", form)
		loc, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusFound || loc.Scheme != "myapp" || loc.Query().Get("state") != "s-123" || loc.Query().Get("code") == "" {
			t.Fatalf("consent: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
		code := loc.Query().Get("code")
		exchange := url.Values{"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {code},
			"redirect_uri": {"myapp://oauth-callback"}, "code_verifier": {"a-wrong-verifier-that-is-long-enough-to-be-valid-x"}}
		a.Do(t, "POST", "/oauth/token", "", exchange).Want(t, 400)
		// The code was used by that failed attempt? No: a wrong verifier
		// burns the code, as RFC 7636 recommends — start again.
		_, page = b.get(authorize)
		form.Set("authenticity_token", csrf(t, page))
		res, _ = b.post("/oauth/authorize", form)
		loc, _ = url.Parse(res.Header.Get("Location"))
		exchange.Set("code", loc.Query().Get("code"))
		exchange.Set("code_verifier", verifier)
		tok := a.Do(t, "POST", "/oauth/token", "", exchange).Want(t, 200).Map(t)
		if tok["token_type"] != "Bearer" || tok["scope"] != "read write" || tok["access_token"] == "" {
			t.Fatalf("token: %v", tok)
		}
		access := tok["access_token"].(string)
		me := a.Do(t, "GET", "/api/v1/accounts/verify_credentials", access, nil).Want(t, 200).Map(t)
		if me["username"] != "alice" {
			t.Fatalf("verify_credentials: %v", me)
		}
		// Refresh rotates: the new token works, the old one does not.
		fresh := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID},
			"client_secret": {secret}, "refresh_token": {tok["refresh_token"].(string)}}).Want(t, 200).Map(t)
		a.Do(t, "GET", "/api/v1/accounts/verify_credentials", access, nil).Want(t, 401)
		a.Do(t, "GET", "/api/v1/accounts/verify_credentials", fresh["access_token"].(string), nil).Want(t, 200)
		// Revoke.
		a.Do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {clientID}, "client_secret": {secret},
			"token": {fresh["access_token"].(string)}}).Want(t, 200)
		a.Do(t, "GET", "/api/v1/accounts/verify_credentials", fresh["access_token"].(string), nil).Want(t, 401)

		// A code is single use; a second use also revokes what the first
		// one gave (RFC 6749 §4.1.2), refreshed tokens included.
		_, page = b.get(authorize)
		form.Set("authenticity_token", csrf(t, page))
		res, _ = b.post("/oauth/authorize", form)
		loc, _ = url.Parse(res.Header.Get("Location"))
		exchange.Set("code", loc.Query().Get("code"))
		first := a.Do(t, "POST", "/oauth/token", "", exchange).Want(t, 200).Map(t)
		refreshed := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID},
			"client_secret": {secret}, "refresh_token": {first["refresh_token"].(string)}}).Want(t, 200).Map(t)
		a.Do(t, "GET", "/api/v1/accounts/verify_credentials", refreshed["access_token"].(string), nil).Want(t, 200)
		a.Do(t, "POST", "/oauth/token", "", exchange).Want(t, 400)
		a.Do(t, "GET", "/api/v1/accounts/verify_credentials", refreshed["access_token"].(string), nil).Want(t, 401)
	})
}

func TestAuthorizeRefusesBadRequests(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	clientID, _ := registerApp(t, a, "https://app.example/cb")
	b := newBrowser(t, a)
	for name, q := range map[string]url.Values{
		"unknown client":  {"response_type": {"code"}, "client_id": {"nope"}, "redirect_uri": {"https://app.example/cb"}},
		"other redirect":  {"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"https://evil.example/cb"}},
		"scope too broad": {"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"https://app.example/cb"}, "scope": {"admin:read"}},
		"not code":        {"response_type": {"token"}, "client_id": {clientID}, "redirect_uri": {"https://app.example/cb"}},
	} {
		res, page := b.get("/oauth/authorize?" + q.Encode())
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
			t.Errorf("%s: %d, Location %q (must not redirect)\n%s", name, res.StatusCode, res.Header.Get("Location"), page)
		}
	}
}

func TestOtherGrants(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	clientID, secret := registerApp(t, a, service.OOB)
	app := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {secret}, "scope": {"read"}}).Want(t, 200).Map(t)
	a.Do(t, "GET", "/api/v1/apps/verify_credentials", app["access_token"].(string), nil).Want(t, 200)
	a.Do(t, "GET", "/api/v1/timelines/home", app["access_token"].(string), nil).Want(t, 422) // no user behind it
	a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {"wrong"}}).Want(t, 401)
	// The password grant is off unless the admin switches it on.
	a.User(t, "bob")
	pw := url.Values{"grant_type": {"password"}, "client_id": {clientID}, "client_secret": {secret},
		"username": {"bob@weft.test"}, "password": {"correct horse battery staple"}}
	r := a.Do(t, "POST", "/oauth/token", "", pw).Want(t, 400)
	if !strings.Contains(string(r.Body), "unsupported_grant_type") {
		t.Fatalf("password grant off: %s", r.Body)
	}
	on := testkit.NewAPI(t, testkit.Dialects()[0], func(c *config.Config) { c.OAuthPasswordGrant = true })
	clientID, secret = registerApp(t, on, service.OOB)
	on.User(t, "bob")
	pw.Set("client_id", clientID)
	pw.Set("client_secret", secret)
	on.Do(t, "POST", "/oauth/token", "", pw).Want(t, 200)
	// Guessing through the password grant meets the same limits as the
	// sign-in form: five wrong passwords, then 429 with Retry-After, even
	// for the right one.
	wrong := url.Values{}
	for k, v := range pw {
		wrong[k] = v
	}
	wrong.Set("password", "a wrong guess")
	for range 5 {
		on.Do(t, "POST", "/oauth/token", "", wrong).Want(t, 400)
	}
	if r := on.Do(t, "POST", "/oauth/token", "", pw).Want(t, 429); r.Header.Get("Retry-After") == "" {
		t.Fatalf("no Retry-After: %v", r.Header)
	}
	meta := a.Do(t, "GET", "/.well-known/oauth-authorization-server", "", nil).Want(t, 200).Map(t)
	if meta["token_endpoint"] != "https://weft.test/oauth/token" || !strings.Contains(strings.Join(toStrings(meta["code_challenge_methods_supported"]), ","), "S256") {
		t.Fatalf("metadata: %v", meta)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
