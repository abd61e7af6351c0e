package activitypub_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// get fetches path with an optional Accept header.
func get(t *testing.T, a *testkit.API, path, accept string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", a.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	req.Header.Set("Origin", "https://app.example")
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(b)
}

func finger(resource string) string {
	return "/.well-known/webfinger?resource=" + url.QueryEscape(resource)
}

func TestWebFinger(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		a.Account(t, "bob") // does not share with the fediverse
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", aliceTok, url.Values{"fediverse_sharing": {"true"}}).Want(t, 200)

		base := "https://" + testkit.Domain
		for _, res := range []string{
			"acct:alice@" + testkit.Domain, "alice@" + testkit.Domain, "@alice@" + testkit.Domain,
			"acct:alice@WEFT.TEST", base + "/users/alice", base + "/@alice",
		} {
			status, h, body := get(t, a, finger(res), "")
			if status != 200 {
				t.Fatalf("%s: %d %s", res, status, body)
			}
			if ct := h.Get("Content-Type"); ct != "application/jrd+json; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", res, ct)
			}
			if h.Get("Access-Control-Allow-Origin") == "" {
				t.Errorf("%s: no CORS header", res)
			}
			var j struct {
				Subject string   `json:"subject"`
				Aliases []string `json:"aliases"`
				Links   []struct{ Rel, Type, Href, Template string }
			}
			(&testkit.Response{Body: []byte(body)}).JSON(t, &j)
			if j.Subject != "acct:alice@"+testkit.Domain {
				t.Errorf("%s: subject %q", res, j.Subject)
			}
			var self, profile, subscribe bool
			for _, l := range j.Links {
				switch {
				case l.Rel == "self" && l.Type == "application/activity+json" && l.Href == base+"/users/alice":
					self = true
				case l.Rel == "http://webfinger.net/rel/profile-page" && l.Type == "text/html" && l.Href == base+"/@alice":
					profile = true
				case l.Rel == "http://ostatus.org/schema/1.0/subscribe" && strings.Contains(l.Template, "{uri}"):
					subscribe = true
				}
			}
			if !self || !profile || !subscribe {
				t.Errorf("%s: links %+v", res, j.Links)
			}
		}

		// Not found: not sharing, unknown, another server (the port counts),
		// other paths of ours.
		for _, res := range []string{
			"acct:bob@" + testkit.Domain, "acct:nobody@" + testkit.Domain, "acct:alice@other.example",
			"acct:alice@" + testkit.Domain + ":8443", "https://other.example/users/alice",
			base + "/users/alice/statuses/1", base + "/tags/alice", "acct:alice", "alice",
		} {
			if status, _, body := get(t, a, finger(res), ""); status != 404 || !strings.Contains(body, `"error"`) {
				t.Errorf("%s: %d %s, want 404 with an error", res, status, body)
			}
		}
		// Bad requests.
		if status, _, _ := get(t, a, "/.well-known/webfinger", ""); status != 400 {
			t.Errorf("no resource: %d", status)
		}
		if status, _, _ := get(t, a, finger("acct:"+strings.Repeat("a", 600)+"@"+testkit.Domain), ""); status != 400 {
			t.Errorf("long resource: %d", status)
		}

		// Suspended: gone, so other servers drop the account.
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), alice.ID), "suspend alice")
		if status, _, body := get(t, a, finger("acct:alice@"+testkit.Domain), ""); status != 410 {
			t.Errorf("suspended: %d %s, want 410", status, body)
		}
	})
}

func TestHostMeta(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		template := "https://" + testkit.Domain + "/.well-known/webfinger?resource={uri}"
		status, h, body := get(t, a, "/.well-known/host-meta", "")
		if status != 200 || h.Get("Content-Type") != "application/xrd+xml; charset=utf-8" ||
			!strings.Contains(body, `<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">`) ||
			!strings.Contains(body, `<Link rel="lrdd" template="`+template+`"/>`) {
			t.Fatalf("XRD: %d %v\n%s", status, h, body)
		}
		for _, c := range []struct{ path, accept string }{
			{"/.well-known/host-meta.json", ""}, {"/.well-known/host-meta", "application/json"},
		} {
			status, h, body := get(t, a, c.path, c.accept)
			want := `{"links":[{"rel":"lrdd","template":"` + template + `"}]}`
			if status != 200 || h.Get("Content-Type") != "application/jrd+json; charset=utf-8" || body != want {
				t.Errorf("%s (%s): %d %q\n got %s\nwant %s", c.path, c.accept, status, h.Get("Content-Type"), body, want)
			}
		}
	})
}
