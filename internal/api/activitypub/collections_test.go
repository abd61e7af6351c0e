package activitypub_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestFollowCollections(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", aliceTok, url.Values{"fediverse_sharing": {"true"}}).Want(t, 200)
		ids := id.New(nil)
		account := func(name string, sharing bool) *model.Account {
			now := time.Now().UTC().Truncate(time.Millisecond)
			acc := &model.Account{ID: ids.Next(), Username: name, FediverseSharing: sharing, Discoverable: true, CreatedAt: now, UpdatedAt: now}
			testkit.Must(t, a.Store.InTx(t.Context(), func(tx *store.Tx) error { return tx.InsertAccount(t.Context(), acc) }), "insert %s", name)
			return acc
		}
		follow := func(from, to *model.Account) {
			_, err := a.Service.Follow(t.Context(), from.ID, to.ID, service.FollowOptions{})
			testkit.Must(t, err, "%s follows %s", from.Username, to.Username)
		}
		// 41 sharing followers, one who does not share, one suspended.
		var sharing []*model.Account
		for i := range 41 {
			f := account(fmt.Sprintf("f%02d", i), true)
			follow(f, alice)
			sharing = append(sharing, f)
		}
		follow(account("quiet", false), alice)
		gone := account("gone", true)
		follow(gone, alice)
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), gone.ID), "suspend")
		follow(alice, sharing[0])
		follow(alice, account("quiet2", false))

		base := "https://" + testkit.Domain + "/users/"
		const as = "application/activity+json"
		fetch := func(path string) map[string]any {
			t.Helper()
			status, _, body := get(t, a, path, as)
			if status != 200 {
				t.Fatalf("%s: %d %s", path, status, body)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		sum := fetch("/users/alice/followers")
		if sum["type"] != "OrderedCollection" || sum["totalItems"] != 41.0 || sum["first"] != base+"alice/followers?page=true" {
			t.Fatalf("summary: %v", sum)
		}
		var items []string
		next := "/users/alice/followers?page=true"
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatal("too many pages")
			}
			p := fetch(next)
			if p["type"] != "OrderedCollectionPage" || p["partOf"] != base+"alice/followers" {
				t.Fatalf("page: %v", p)
			}
			for _, it := range p["orderedItems"].([]any) {
				items = append(items, it.(string))
			}
			next = ""
			if n, ok := p["next"].(string); ok {
				next = n[len("https://"+testkit.Domain):]
			}
		}
		if len(items) != 41 || items[0] != base+"f40" || items[40] != base+"f00" {
			t.Fatalf("%d items: first %v last %v", len(items), items[0], items[len(items)-1])
		}
		for _, it := range items {
			if it == base+"quiet" || it == base+"gone" {
				t.Errorf("%s listed", it)
			}
		}
		following := fetch("/users/alice/following?page=true")
		if following["totalItems"] != 1.0 || len(following["orderedItems"].([]any)) != 1 || following["orderedItems"].([]any)[0] != base+"f00" {
			t.Errorf("following: %v", following)
		}
		// A member who does not share has no collections; bad cursors are refused.
		if status, _, _ := get(t, a, "/users/quiet/followers", as); status != 404 {
			t.Errorf("quiet's followers: %d", status)
		}
		if status, _, _ := get(t, a, "/users/alice/followers?page=true&max_id=x", as); status != 422 {
			t.Errorf("bad max_id: %d", status)
		}
	})
}

// A member who hides their collections shows others the counts only: on
// the fediverse (no pages) and in the client API (empty lists), while
// they still see their own.
func TestHiddenCollections(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		for _, tok := range []string{aliceTok, bobTok} {
			a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, map[string]any{"fediverse_sharing": true}).Want(t, 200)
		}
		a.Do(t, "POST", fmt.Sprintf("/api/v1/accounts/%d/follow", alice.ID), bobTok, nil).Want(t, 200)
		me := a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", aliceTok, map[string]any{"hide_collections": true}).Want(t, 200).Map(t)
		if me["hide_collections"] != true || me["source"].(map[string]any)["hide_collections"] != true {
			t.Fatalf("hide_collections not shown: %v", me)
		}
		status, _, body := get(t, a, "/users/alice/followers", "application/activity+json")
		var coll map[string]any
		testkit.Must(t, json.Unmarshal([]byte(body), &coll), "decode")
		if status != 200 || coll["totalItems"] != 1.0 || coll["first"] != nil {
			t.Fatalf("hidden followers collection: %d %s", status, body)
		}
		if _, _, body := get(t, a, "/users/alice/followers?page=true", "application/activity+json"); strings.Contains(body, "/users/bob") {
			t.Fatalf("a hidden collection's page lists its members: %s", body)
		}
		if list := a.Do(t, "GET", fmt.Sprintf("/api/v1/accounts/%d/followers", alice.ID), bobTok, nil).Want(t, 200).List(t); len(list) != 0 {
			t.Fatalf("others see hidden followers: %v", list)
		}
		if list := a.Do(t, "GET", fmt.Sprintf("/api/v1/accounts/%d/followers", alice.ID), aliceTok, nil).Want(t, 200).List(t); len(list) != 1 {
			t.Fatalf("alice does not see her own followers: %v", list)
		}
	})
}
