package mastodon_test

import (
	"net/url"
	"reflect"
	"testing"

	"weft/internal/testkit"
)

// Lists are assembled from cached JSON (status_json.go); a single status
// is encoded from the entity struct. Both must give the same object, field
// for field, for every kind of status and viewer.
func TestListJSONEqualsEntityJSON(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		f.follow(alice, bob)
		f.follow(bob, alice)
		root := f.post(bobTok, url.Values{"status": {"hello #weft @alice <b>&amp;</b> \"quotes\""}, "language": {"en"}})["id"].(string)
		reply := f.reply(aliceTok, root, "@bob answer")
		cw := f.post(aliceTok, map[string]any{"status": "spoilers", "spoiler_text": "film", "visibility": "private"})["id"].(string)
		a.Do(t, "POST", "/api/v1/statuses/"+root+"/favourite", aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/statuses/"+root+"/bookmark", aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/statuses/"+reply+"/reblog", bobTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/statuses/"+root+"/reblog", aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/statuses/"+cw+"/pin", aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/statuses/"+root+"/mute", aliceTok, nil).Want(t, 200)
		a.Do(t, "PUT", "/api/v1/statuses/"+reply, aliceTok, url.Values{"status": {"@bob edited answer"}}).Want(t, 200)
		_ = alice
		_ = bob
		a.Settle(t)

		compare := func(t *testing.T, list []map[string]any, tok string) {
			t.Helper()
			if len(list) == 0 {
				t.Fatal("empty list")
			}
			for _, got := range list {
				id := got["id"].(string)
				want := a.Do(t, "GET", "/api/v1/statuses/"+id, tok, nil).Want(t, 200).Map(t)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("status %s in a list:\n%v\nalone:\n%v", id, got, want)
				}
			}
		}
		for _, tok := range []string{aliceTok, bobTok} {
			compare(t, a.Do(t, "GET", "/api/v1/timelines/home?limit=40", tok, nil).Want(t, 200).List(t), tok)
			// twice: the second time from the caches
			compare(t, a.Do(t, "GET", "/api/v1/timelines/home?limit=40", tok, nil).Want(t, 200).List(t), tok)
		}
		compare(t, a.Do(t, "GET", "/api/v1/timelines/public", "", nil).Want(t, 200).List(t), "")
		ctx := a.Do(t, "GET", "/api/v1/statuses/"+root+"/context", aliceTok, nil).Want(t, 200).Map(t)
		var desc []map[string]any
		for _, d := range ctx["descendants"].([]any) {
			desc = append(desc, d.(map[string]any))
		}
		compare(t, desc, aliceTok)
		// pinned appears on the viewer's own pinnable posts only
		for _, s := range a.Do(t, "GET", "/api/v1/timelines/home", aliceTok, nil).Want(t, 200).List(t) {
			own := s["account"].(map[string]any)["username"] == "alice" && s["reblog"] == nil
			if _, has := s["pinned"]; has != own {
				t.Errorf("status %s by %v: pinned present = %v", s["id"], s["account"].(map[string]any)["username"], has)
			}
		}
	})
}

// Cached JSON is never stale: a like, an edit, a profile change and a
// suspension show in the next read of a timeline.
func TestListJSONFollowsChanges(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		f.follow(alice, bob)
		id := f.post(bobTok, url.Values{"status": {"first"}})["id"].(string)
		first := func() map[string]any {
			t.Helper()
			a.Settle(t)
			for _, s := range a.Do(t, "GET", "/api/v1/timelines/home", aliceTok, nil).Want(t, 200).List(t) {
				if s["id"] == id {
					return s
				}
			}
			return nil
		}
		if s := first(); s == nil || s["content"] != "<p>first</p>" {
			t.Fatalf("before: %v", s)
		}
		a.Do(t, "POST", "/api/v1/statuses/"+id+"/favourite", aliceTok, nil).Want(t, 200)
		if s := first(); s["favourites_count"] != 1.0 || s["favourited"] != true {
			t.Fatalf("after a like: count %v favourited %v", s["favourites_count"], s["favourited"])
		}
		a.Do(t, "PUT", "/api/v1/statuses/"+id, bobTok, url.Values{"status": {"second"}}).Want(t, 200)
		if s := first(); s["content"] != "<p>second</p>" || s["edited_at"] == nil {
			t.Fatalf("after an edit: %v", s)
		}
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bobTok, url.Values{"display_name": {"Bob B."}}).Want(t, 200)
		if s := first(); s["account"].(map[string]any)["display_name"] != "Bob B." {
			t.Fatalf("after a profile change: %v", s["account"])
		}
		f.post(bobTok, url.Values{"status": {"another"}})
		if s := first(); s["account"].(map[string]any)["statuses_count"] != 2.0 {
			t.Fatalf("statuses_count after a second post: %v", s["account"].(map[string]any)["statuses_count"])
		}
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), bob.ID), "suspend bob")
		if s := first(); s != nil {
			t.Fatalf("a suspended account's post still shows: %v", s)
		}
		_ = alice
	})
}
