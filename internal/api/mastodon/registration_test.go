package mastodon_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"weft/internal/config"
	"weft/internal/service"
	"weft/internal/testkit"
)

// accAppToken registers an app with scopes and returns an app-only token
// (client credentials) with tokenScopes.
func accAppToken(t *testing.T, a *testkit.API, scopes, tokenScopes string) string {
	t.Helper()
	app := a.Do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"signup"}, "redirect_uris": {service.OOB},
		"scopes": {scopes}}).Want(t, 200).Map(t)
	tok := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app["client_id"].(string)},
		"client_secret": {app["client_secret"].(string)}, "scope": {tokenScopes}}).Want(t, 200).Map(t)
	return tok["access_token"].(string)
}

func TestRegistration(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		appTok := accAppToken(t, a, "read write follow", "write:accounts")
		body := url.Values{"username": {"newbie"}, "email": {"newbie@example.com"}, "password": {"a long enough secret"},
			"agreement": {"true"}, "locale": {"de"}, "reason": {"hi"}}
		r := a.Do(t, "POST", "/api/v1/accounts", appTok, body).Want(t, 200)
		tok := r.Map(t)
		if tok["token_type"] != "Bearer" || tok["scope"] != "read write follow" || tok["created_at"] == nil ||
			r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("token: %v %v", tok, r.Header)
		}
		me := a.Do(t, "GET", "/api/v1/accounts/verify_credentials", tok["access_token"].(string), nil).Want(t, 200).Map(t)
		if me["username"] != "newbie" {
			t.Fatalf("new account: %v", me)
		}
		u, err := a.Service.User(t.Context(), accMustID(t, me["id"]))
		testkit.Must(t, err, "user")
		if u.Locale != "de" || u.Email != "newbie@example.com" {
			t.Fatalf("user: %+v", u)
		}
		// Every problem at once, in Mastodon's shape. JSON bodies work too.
		r = a.Do(t, "POST", "/api/v1/accounts", appTok, map[string]any{"username": "NEWBIE", "email": "not an address",
			"password": "short"}).Want(t, 422)
		var v struct {
			Error   string                         `json:"error"`
			Details map[string][]map[string]string `json:"details"`
		}
		r.JSON(t, &v)
		if !strings.HasPrefix(v.Error, "Validation failed: Username has already been taken") ||
			v.Details["username"][0]["error"] != "ERR_TAKEN" || v.Details["email"][0]["error"] != "ERR_INVALID" ||
			v.Details["password"][0]["error"] != "ERR_TOO_SHORT" || v.Details["agreement"][0]["error"] != "ERR_ACCEPTED" {
			t.Fatalf("422: %s", r.Body)
		}
		r = a.Do(t, "POST", "/api/v1/accounts", appTok, url.Values{"agreement": {"1"}}).Want(t, 422)
		v.Details = nil
		r.JSON(t, &v)
		if len(v.Details) != 3 || v.Details["username"][0]["error"] != "ERR_BLANK" || v.Details["email"][0]["description"] != "can't be blank" {
			t.Fatalf("blank: %s", r.Body)
		}
		r = a.Do(t, "POST", "/api/v1/accounts", appTok, url.Values{"username": {"admin"}, "email": {"newbie@EXAMPLE.com"},
			"password": {strings.Repeat("x", 300)}, "agreement": {"true"}}).Want(t, 422)
		v.Details = nil
		r.JSON(t, &v)
		if v.Details["username"][0]["error"] != "ERR_RESERVED" || v.Details["email"][0]["error"] != "ERR_TAKEN" ||
			v.Details["password"][0]["error"] != "ERR_TOO_LONG" {
			t.Fatalf("reserved/taken/long: %s", r.Body)
		}
		// Who may call: an app's own token with write:accounts.
		ok := url.Values{"username": {"other"}, "email": {"other@example.com"}, "password": {"a long enough secret"}, "agreement": {"true"}}
		a.Do(t, "POST", "/api/v1/accounts", "", ok).Want(t, 401)
		a.Do(t, "POST", "/api/v1/accounts", accAppToken(t, a, "read write", "read"), ok).Want(t, 403)
		_, userTok := a.Account(t, "someone")
		r = a.Do(t, "POST", "/api/v1/accounts", userTok, ok).Want(t, 403)
		if !strings.Contains(string(r.Body), "client credentials") {
			t.Fatalf("user token: %s", r.Body)
		}
		a.Do(t, "POST", "/api/v1/accounts", appTok, ok).Want(t, 200)
	})
}

func TestRegistrationModes(t *testing.T) {
	t.Parallel()
	for mode, want := range map[string]string{"closed": "Registrations are closed", "approval": "approval"} {
		a := testkit.NewAPI(t, testkit.Dialects()[0], func(c *config.Config) { c.Registrations = mode })
		r := a.Do(t, "POST", "/api/v1/accounts", accAppToken(t, a, "read write", "write"), url.Values{"username": {"x"},
			"email": {"x@example.com"}, "password": {"a long enough secret"}, "agreement": {"true"}}).Want(t, 403)
		if !strings.Contains(string(r.Body), want) {
			t.Fatalf("%s: %s", mode, r.Body)
		}
		if _, err := a.Service.AccountByUsername(t.Context(), "x"); err == nil {
			t.Fatalf("%s: the account was made", mode)
		}
	}
}

func accMustID(t *testing.T, v any) int64 {
	t.Helper()
	s, _ := v.(string)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an ID: %v", v)
	}
	return id
}
