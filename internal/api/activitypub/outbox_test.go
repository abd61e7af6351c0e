package activitypub_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

func TestOutboxAndFeatured(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, aliceTok := a.Account(t, "alice")
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", aliceTok, url.Values{"fediverse_sharing": {"true"}}).Want(t, 200)
		post := func(text, vis string) string {
			t.Helper()
			return a.Do(t, "POST", "/api/v1/statuses", aliceTok, url.Values{"status": {text}, "visibility": {vis}}).Want(t, 200).Map(t)["id"].(string)
		}
		var public []string
		for i := range 21 {
			public = append(public, post(fmt.Sprintf("post %d", i), "public"))
		}
		unlisted := post("unlisted one", "unlisted")
		post("for followers", "private")
		post("psst", "direct")
		deleted := post("gone soon", "public")
		a.Do(t, "DELETE", "/api/v1/statuses/"+deleted, aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/statuses/"+public[3]+"/pin", aliceTok, nil).Want(t, 200)
		private := post("pinned but private", "private")
		a.Do(t, "POST", "/api/v1/statuses/"+private+"/pin", aliceTok, nil).Want(t, 200)
		// Boosts are listed as Announces, unless the boosted post is one the
		// fediverse may not see (by a member who does not share).
		_, bobTok := a.Account(t, "bob")
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bobTok, url.Values{"fediverse_sharing": {"true"}}).Want(t, 200)
		bobPost := a.Do(t, "POST", "/api/v1/statuses", bobTok, url.Values{"status": {"bob shares"}}).Want(t, 200).Map(t)["id"].(string)
		_, carolTok := a.Account(t, "carol")
		carolPost := a.Do(t, "POST", "/api/v1/statuses", carolTok, url.Values{"status": {"carol does not share"}}).Want(t, 200).Map(t)["id"].(string)
		boost := a.Do(t, "POST", "/api/v1/statuses/"+bobPost+"/reblog", aliceTok, nil).Want(t, 200).Map(t)["id"].(string)
		a.Do(t, "POST", "/api/v1/statuses/"+carolPost+"/reblog", aliceTok, nil).Want(t, 200)

		const as = "application/activity+json"
		base := "https://" + testkit.Domain
		fetch := func(path string) (map[string]any, string) {
			t.Helper()
			status, _, body := get(t, a, path, as)
			if status != 200 {
				t.Fatalf("%s: %d %s", path, status, body)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatal(err)
			}
			return m, body
		}
		sum, _ := fetch("/users/alice/outbox")
		if sum["type"] != "OrderedCollection" || sum["totalItems"] != 24.0 {
			t.Fatalf("outbox: %v", sum)
		}
		var ids []string
		next := "/users/alice/outbox?page=true"
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatal("too many pages")
			}
			p, body := fetch(next)
			if strings.Contains(body, "for followers") || strings.Contains(body, "psst") || strings.Contains(body, "gone soon") {
				t.Fatalf("outbox shows what it must not: %s", body)
			}
			if strings.Contains(body, "/users/carol/") {
				t.Fatalf("outbox announces a post the fediverse may not see: %s", body)
			}
			for _, it := range p["orderedItems"].([]any) {
				c := it.(map[string]any)
				if c["type"] == "Announce" {
					if c["id"] != base+"/users/alice/statuses/"+boost+"/activity" || c["object"] != base+"/users/bob/statuses/"+bobPost {
						t.Fatalf("announce %v", c)
					}
					ids = append(ids, "announce")
					continue
				}
				obj := c["object"].(map[string]any)
				if c["type"] != "Create" || c["actor"] != base+"/users/alice" || obj["type"] != "Note" || c["id"] != obj["id"].(string)+"/activity" {
					t.Fatalf("item %v", c)
				}
				if _, has := obj["@context"]; has {
					t.Errorf("embedded note with its own @context")
				}
				ids = append(ids, obj["id"].(string))
			}
			next = ""
			if n, ok := p["next"].(string); ok {
				next = n[len(base):]
			}
		}
		if len(ids) != 23 || ids[0] != "announce" || ids[1] != base+"/users/alice/statuses/"+unlisted || ids[22] != base+"/users/alice/statuses/"+public[0] {
			t.Fatalf("%d items, first %s last %s", len(ids), ids[0], ids[len(ids)-1])
		}

		feat, body := fetch("/users/alice/collections/featured")
		items := feat["orderedItems"].([]any)
		if feat["totalItems"] != 1.0 || len(items) != 1 || items[0].(map[string]any)["id"] != base+"/users/alice/statuses/"+public[3] ||
			strings.Contains(body, "pinned but private") {
			t.Fatalf("featured: %s", body)
		}
	})
}
