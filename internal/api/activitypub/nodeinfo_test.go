package activitypub_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"

	"weft/internal/api/activitypub"
	"weft/internal/service"
	"weft/internal/testkit"
)

// serveNodeInfo serves the NodeInfo routes of a core over real HTTP.
func serveNodeInfo(t *testing.T, c *testkit.Core) string {
	t.Helper()
	srv := activitypub.New(c.Service, c.Fed, activitypub.Settings{Domain: testkit.Domain, BaseURL: "https://" + testkit.Domain},
		slog.New(slog.DiscardHandler))
	mux := http.NewServeMux()
	srv.NodeInfoRoutes(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}

// fetchJSON GETs url and decodes its JSON body into v, returning the
// Content-Type.
func fetchJSON(t *testing.T, url string, v any) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, b)
	}
	return res.Header.Get("Content-Type")
}

func TestNodeInfoDiscovery(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		url := serveNodeInfo(t, c)
		var got struct {
			Links []struct{ Rel, Href string } `json:"links"`
		}
		ct := fetchJSON(t, url+"/.well-known/nodeinfo", &got)
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			t.Errorf("Content-Type %q, want application/json", ct)
		}
		base := "https://" + testkit.Domain
		want := []struct{ Rel, Href string }{
			{"http://nodeinfo.diaspora.software/ns/schema/2.0", base + "/nodeinfo/2.0"},
			{"http://nodeinfo.diaspora.software/ns/schema/2.1", base + "/nodeinfo/2.1"},
		}
		if !reflect.DeepEqual(got.Links, want) {
			t.Errorf("links %+v, want %+v", got.Links, want)
		}
	})
}

// TestNodeInfoDocuments checks both schemas' shape, content type and
// content on a server with two users, one of them posting.
func TestNodeInfoDocuments(t *testing.T) {
	t.Parallel()
	described := func(d *service.Deps) {
		d.Settings.Instance = service.InstanceInfo{Name: "weft test", Description: "A server for tests.", Registrations: "approval"}
	}
	testkit.EachCoreWith(t, described, func(t *testing.T, c *testkit.Core) {
		alice := c.QuickAccount(t, "alice")
		c.QuickAccount(t, "bob")
		c.Post(t, alice, service.PostInput{Text: "hello"})
		c.Settle(t)
		url := serveNodeInfo(t, c)

		for _, v := range []string{"2.0", "2.1"} {
			var doc map[string]any
			ct := fetchJSON(t, url+"/nodeinfo/"+v, &doc)
			if want := `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + v + `#"`; ct != want {
				t.Errorf("%s: Content-Type %q, want %q", v, ct, want)
			}
			// The schemas allow no other top-level properties.
			keys := slices.Sorted(maps.Keys(doc))
			if want := []string{"metadata", "openRegistrations", "protocols", "services", "software", "usage", "version"}; !slices.Equal(keys, want) {
				t.Errorf("%s: keys %v, want %v", v, keys, want)
			}
			var d struct {
				Version  string
				Software struct {
					Name, Version string
					Repository    *string
					Homepage      *string
				}
				Protocols         []string
				Services          struct{ Inbound, Outbound []string }
				OpenRegistrations *bool
				Usage             struct {
					Users struct {
						Total, ActiveMonth, ActiveHalfyear int64
					}
					LocalPosts int64
				}
				Metadata struct{ NodeName, NodeDescription string }
			}
			fetchJSON(t, url+"/nodeinfo/"+v, &d)
			if d.Version != v || d.Software.Name != "weft" || d.Software.Version == "" {
				t.Errorf("%s: version %q, software %+v", v, d.Version, d.Software)
			}
			// Repository is a 2.1 property; 2.0 forbids it. No homepage is sent.
			if hasRepo := d.Software.Repository != nil && *d.Software.Repository != ""; hasRepo != (v == "2.1") {
				t.Errorf("%s: repository %v", v, d.Software.Repository)
			}
			if d.Software.Homepage != nil {
				t.Errorf("%s: homepage %q", v, *d.Software.Homepage)
			}
			if !slices.Equal(d.Protocols, []string{"activitypub"}) {
				t.Errorf("%s: protocols %v", v, d.Protocols)
			}
			if d.Services.Inbound == nil || len(d.Services.Inbound) != 0 || d.Services.Outbound == nil || len(d.Services.Outbound) != 0 {
				t.Errorf("%s: services %+v, want two empty lists", v, d.Services)
			}
			if d.OpenRegistrations == nil || !*d.OpenRegistrations {
				t.Errorf("%s: openRegistrations %v, want true with approval", v, d.OpenRegistrations)
			}
			if u := d.Usage; u.Users.Total != 2 || u.Users.ActiveMonth != 1 || u.Users.ActiveHalfyear != 1 || u.LocalPosts != 1 {
				t.Errorf("%s: usage %+v", v, u)
			}
			if d.Metadata.NodeName != "weft test" || d.Metadata.NodeDescription != "A server for tests." {
				t.Errorf("%s: metadata %+v", v, d.Metadata)
			}
		}

		// Closed sign-ups (here set by an admin, which overrides the
		// configuration) are not open registrations.
		admin, err := c.Service.Register(t.Context(), service.Registration{Username: "boss", Email: "boss@example.com",
			Password: "correct horse battery", Admin: true})
		testkit.Must(t, err, "admin")
		info := c.Service.InstanceInfo(t.Context())
		info.Registrations, info.Name = "closed", "renamed"
		_, err = c.Service.UpdateInstanceInfo(t.Context(), admin.ID, info)
		testkit.Must(t, err, "close sign-ups")
		var d struct {
			OpenRegistrations *bool
			Metadata          struct{ NodeName string }
		}
		fetchJSON(t, url+"/nodeinfo/2.1", &d)
		if d.OpenRegistrations == nil || *d.OpenRegistrations || d.Metadata.NodeName != "renamed" {
			t.Errorf("closed: openRegistrations %v, name %q; want false, renamed", d.OpenRegistrations, d.Metadata.NodeName)
		}
	})
}
