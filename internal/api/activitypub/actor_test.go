package activitypub_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

func TestActorDocument(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		a.Account(t, "bob") // does not share with the fediverse
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", aliceTok, url.Values{
			"fediverse_sharing": {"true"}, "display_name": {"Alice"}, "note": {"I <3 #weft"}, "locked": {"true"},
			"fields_attributes[0][name]": {"site"}, "fields_attributes[0][value]": {"https://alice.example"},
		}).Want(t, 200)
		base := "https://" + testkit.Domain
		id := base + "/users/alice"

		var keys []string
		for _, accept := range []string{"application/activity+json", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`} {
			status, h, body := get(t, a, "/users/alice", accept)
			if status != 200 || h.Get("Content-Type") != "application/activity+json; charset=utf-8" {
				t.Fatalf("%s: %d %v %s", accept, status, h, body)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"id": id, "type": "Person", "preferredUsername": "alice", "name": "Alice", "url": base + "/@alice",
				"inbox": id + "/inbox", "outbox": id + "/outbox", "followers": id + "/followers", "following": id + "/following",
				"featured": id + "/collections/featured", "manuallyApprovesFollowers": true, "discoverable": true,
			}
			for k, v := range want {
				if doc[k] != v {
					t.Errorf("%s = %v, want %v", k, doc[k], v)
				}
			}
			if !strings.Contains(doc["summary"].(string), "&lt;3") || !strings.Contains(doc["summary"].(string), base+"/tags/weft") {
				t.Errorf("summary %q", doc["summary"])
			}
			if ep := doc["endpoints"].(map[string]any); ep["sharedInbox"] != base+"/inbox" {
				t.Errorf("endpoints %v", ep)
			}
			att := doc["attachment"].([]any)
			if len(att) != 1 || att[0].(map[string]any)["type"] != "PropertyValue" || att[0].(map[string]any)["name"] != "site" {
				t.Errorf("attachment %v", att)
			}
			if p, _ := doc["published"].(string); !strings.HasSuffix(p, "T00:00:00Z") {
				t.Errorf("published %q", p)
			}
			pk := doc["publicKey"].(map[string]any)
			if pk["id"] != id+"#main-key" || pk["owner"] != id {
				t.Errorf("publicKey %v", pk)
			}
			pub, err := httpsig.ParsePublicKeyPEM([]byte(pk["publicKeyPem"].(string)))
			if err != nil || pub.N.BitLen() != 2048 {
				t.Fatalf("public key: %v", err)
			}
			keys = append(keys, pk["publicKeyPem"].(string))
		}
		if keys[0] != keys[1] {
			t.Error("the key changed between two fetches")
		}

		// Browsers go to the profile page.
		req, _ := http.NewRequest("GET", a.URL+"/users/alice", nil)
		req.Header.Set("Accept", "text/html")
		client := *a.Client
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != base+"/@alice" {
			t.Errorf("browser: %d %s", res.StatusCode, res.Header.Get("Location"))
		}

		// Members who do not share do not exist on the fediverse; unknown
		// names neither; suspended accounts are gone.
		for _, name := range []string{"bob", "nobody"} {
			if status, _, _ := get(t, a, "/users/"+name, "application/activity+json"); status != 404 {
				t.Errorf("%s: %d, want 404", name, status)
			}
		}
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), alice.ID), "suspend alice")
		if status, _, _ := get(t, a, "/users/alice", "application/activity+json"); status != 410 {
			t.Errorf("suspended: %d, want 410", status)
		}
	})
}

func TestInstanceActor(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		base := "https://" + testkit.Domain
		var keys []string
		for range 2 {
			status, h, body := get(t, a, "/actor", "application/activity+json")
			if status != 200 || h.Get("Content-Type") != "application/activity+json; charset=utf-8" {
				t.Fatalf("/actor: %d %s", status, body)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatal(err)
			}
			if doc["id"] != base+"/actor" || doc["type"] != "Application" || doc["preferredUsername"] != testkit.Domain {
				t.Fatalf("instance actor: %v", doc)
			}
			pk := doc["publicKey"].(map[string]any)
			if _, err := httpsig.ParsePublicKeyPEM([]byte(pk["publicKeyPem"].(string))); err != nil || pk["id"] != base+"/actor#main-key" {
				t.Fatalf("key: %v %v", pk, err)
			}
			keys = append(keys, pk["publicKeyPem"].(string))
		}
		if keys[0] != keys[1] {
			t.Error("the instance key changed")
		}
		// The outbox the actor names exists (an empty collection: the
		// server publishes nothing of its own).
		status, _, body := get(t, a, "/actor/outbox", "application/activity+json")
		var outbox map[string]any
		if status != 200 || json.Unmarshal([]byte(body), &outbox) != nil || outbox["id"] != base+"/actor/outbox" ||
			outbox["type"] != "OrderedCollection" || outbox["totalItems"] != 0.0 {
			t.Errorf("/actor/outbox: %d %s", status, body)
		}
		for _, res := range []string{"acct:" + testkit.Domain + "@" + testkit.Domain, base + "/actor"} {
			status, _, body := get(t, a, finger(res), "")
			if status != 200 || !strings.Contains(body, `"href":"`+base+`/actor"`) {
				t.Errorf("%s: %d %s", res, status, body)
			}
		}
	})
}
