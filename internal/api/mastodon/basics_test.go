package mastodon_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"weft/internal/config"
	"weft/internal/testkit"
)

func TestInstanceDocuments(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		v1 := a.Do(t, "GET", "/api/v1/instance/", "", nil).Want(t, 200).Map(t) // trailing slash works
		if !strings.Contains(v1["version"].(string), "(compatible; weft ") || v1["uri"] != "weft.test" {
			t.Fatalf("v1 version/uri: %v %v", v1["version"], v1["uri"])
		}
		if v1["urls"].(map[string]any)["streaming_api"] != "wss://weft.test" {
			t.Fatalf("v1 streaming: %v", v1["urls"])
		}
		v2 := a.Do(t, "GET", "/api/v2/instance", "", nil).Want(t, 200).Map(t)
		conf := v2["configuration"].(map[string]any)
		if conf["urls"].(map[string]any)["streaming"] != "wss://weft.test" ||
			conf["statuses"].(map[string]any)["max_characters"] != float64(500) {
			t.Fatalf("v2 configuration: %v", conf)
		}
	})
}

func TestUnknownEndpointIsJSON404(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	r := a.Do(t, "GET", "/api/v1/no_such_thing", "", nil).Want(t, 404)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || !strings.Contains(string(r.Body), `"error"`) {
		t.Fatalf("404 answer: %s %s", r.Header.Get("Content-Type"), r.Body)
	}
}

func TestTokenErrors(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := a.QuickAccount(t, "alice")
	a.Do(t, "GET", "/api/v1/accounts/verify_credentials", "", nil).Want(t, 401)
	a.Do(t, "GET", "/api/v1/accounts/verify_credentials", "not-a-token", nil).Want(t, 401)
	readOnly := a.Token(t, alice, "read")
	a.Do(t, "GET", "/api/v1/accounts/verify_credentials", readOnly, nil).Want(t, 200)
	r := a.Do(t, "POST", "/api/v1/statuses", readOnly, url.Values{"status": {"hi"}}).Want(t, 403)
	if !strings.Contains(string(r.Body), "outside the authorized scopes") {
		t.Fatalf("403 body %s", r.Body)
	}
	profile := a.Token(t, alice, "profile")
	a.Do(t, "GET", "/api/v1/accounts/verify_credentials", profile, nil).Want(t, 200)
	a.Do(t, "GET", "/api/v1/timelines/home", profile, nil).Want(t, 403)
	// A revoked token stops working at once.
	if err := a.Service.RevokeTokenValue(t.Context(), readOnly); err != nil {
		t.Fatal(err)
	}
	a.Do(t, "GET", "/api/v1/accounts/verify_credentials", readOnly, nil).Want(t, 401)
}

func TestPostAndReadBack(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, tok := a.Account(t, "alice")
		// JSON, form and no-Content-Type bodies all work.
		s1 := a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "one", "visibility": "unlisted"}).Want(t, 200).Map(t)
		s2 := a.Do(t, "POST", "/api/v1/statuses", tok, url.Values{"status": {"two #weft"}, "sensitive": {"True"}}).Want(t, 200).Map(t)
		if s1["visibility"] != "unlisted" || s2["sensitive"] != true || len(s2["tags"].([]any)) != 1 {
			t.Fatalf("created: %v / %v", s1, s2)
		}
		got := a.Do(t, "GET", "/api/v1/statuses/"+s1["id"].(string), "", nil).Want(t, 200).Map(t)
		if got["content"] != "<p>one</p>" || got["favourited"] != nil {
			t.Fatalf("anonymous read: content %v, favourited %v (want absent)", got["content"], got["favourited"])
		}
		a.Do(t, "GET", "/api/v1/statuses/12345", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/not-an-id", "", nil).Want(t, 404)
		// Over-long posts get Mastodon's 422 with the reason.
		r := a.Do(t, "POST", "/api/v1/statuses", tok, url.Values{"status": {strings.Repeat("x", 501)}}).Want(t, 422)
		if !strings.Contains(string(r.Body), "too long") {
			t.Fatalf("422 body %s", r.Body)
		}
		// The same Idempotency-Key posts once.
		req := func() map[string]any {
			req, _ := http.NewRequest("POST", a.URL+"/api/v1/statuses", strings.NewReader("status=retry"))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Idempotency-Key", "key-1")
			res, err := a.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var m map[string]any
			if err := decode(res, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		if first, again := req(), req(); first["id"] != again["id"] {
			t.Fatalf("Idempotency-Key posted twice: %v, %v", first["id"], again["id"])
		}
	})
}

func TestHomeTimelinePaginationLinks(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, tok := a.Account(t, "alice")
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, a.Do(t, "POST", "/api/v1/statuses", tok, url.Values{"status": {"post"}}).Want(t, 200).Map(t)["id"].(string))
	}
	r := a.Do(t, "GET", "/api/v1/timelines/home?limit=2", tok, nil).Want(t, 200)
	page := r.List(t)
	if len(page) != 2 || page[0]["id"] != ids[4] || page[1]["id"] != ids[3] {
		t.Fatalf("first page: %v", page)
	}
	link := r.Header.Get("Link")
	if !strings.Contains(link, "https://weft.test/api/v1/timelines/home?limit=2&max_id="+ids[3]+`>; rel="next"`) ||
		!strings.Contains(link, "min_id="+ids[4]+`>; rel="prev"`) {
		t.Fatalf("Link: %s", link)
	}
	older := a.Do(t, "GET", "/api/v1/timelines/home?limit=2&max_id="+ids[3], tok, nil).Want(t, 200).List(t)
	if len(older) != 2 || older[0]["id"] != ids[2] {
		t.Fatalf("next page: %v", older)
	}
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	req, _ := http.NewRequest("OPTIONS", a.URL+"/api/v1/statuses", nil)
	req.Header.Set("Origin", "https://elk.zone")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", res.StatusCode, res.Header)
	}
}

func TestNodeInfo(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	a.QuickAccount(t, "alice")
	links := a.Do(t, "GET", "/.well-known/nodeinfo", "", nil).Want(t, 200).Map(t)["links"].([]any)
	if href := links[0].(map[string]any)["href"]; href != "https://weft.test/nodeinfo/2.0" {
		t.Fatalf("links: %v", links)
	}
	ni := a.Do(t, "GET", "/nodeinfo/2.0", "", nil).Want(t, 200).Map(t)
	if ni["software"].(map[string]any)["name"] != "weft" || ni["usage"].(map[string]any)["users"].(map[string]any)["total"] != float64(1) {
		t.Fatalf("nodeinfo: %v", ni)
	}
}

// A server whose URLs are https tells browsers to keep to https (HSTS).
func TestHSTS(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil) // https://weft.test
	r := a.Do(t, "GET", "/api/v1/instance", "", nil).Want(t, 200)
	if got := r.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Fatalf("Strict-Transport-Security %q", got)
	}
}

// /metrics is not public on the main port: this machine may read it, a
// client behind the proxy may not, unless it brings metrics_token.
func TestMetricsNotPublic(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		c.MetricsToken = "a-long-enough-metrics-secret"
	})
	get := func(xff, token string) int {
		req, err := http.NewRequest("GET", a.URL+"/metrics", nil)
		testkit.Must(t, err, "request")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := a.Client.Do(req)
		testkit.Must(t, err, "GET /metrics")
		res.Body.Close()
		return res.StatusCode
	}
	if st := get("203.0.113.5", ""); st != 404 {
		t.Fatalf("from the internet, without the token: %d", st)
	}
	if st := get("203.0.113.5", "a-long-enough-metrics-secret"); st != 200 {
		t.Fatalf("with the token: %d", st)
	}
	b := testkit.NewAPI(t, testkit.Dialects()[0], func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	for xff, want := range map[string]int{"": 200, "203.0.113.5": 404} {
		req, _ := http.NewRequest("GET", b.URL+"/metrics", nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		res, err := b.Client.Do(req)
		testkit.Must(t, err, "GET /metrics")
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("no token, X-Forwarded-For %q: %d, want %d", xff, res.StatusCode, want)
		}
	}
}
