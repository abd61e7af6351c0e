package mastodon_test

import (
	"context"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestSuggestions(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		ctx := context.Background()
		alice, tok := f.user("alice")
		acc := map[string]*model.Account{}
		for _, n := range []string{"bob", "carol", "dave", "erin", "fred", "gina", "hal", "ivy"} {
			acc[n], _ = f.user(n)
		}
		// Popularity: bob has three followers, carol two, dave one.
		for _, fan := range []string{"fred", "gina", "hal"} {
			f.follow(acc[fan], acc["bob"])
		}
		f.follow(acc["fred"], acc["carol"])
		f.follow(acc["gina"], acc["carol"])
		f.follow(acc["fred"], acc["dave"])
		a.Settle(t)
		names := func(path string) []string {
			t.Helper()
			var out []string
			for _, m := range f.get(path, tok, 200).List(t) {
				if acct, ok := m["account"].(map[string]any); ok {
					if m["source"] != "global" || m["sources"].([]any)[0] != "most_followed" {
						t.Fatalf("suggestion %v", m)
					}
					m = acct
				}
				out = append(out, m["username"].(string))
			}
			if out == nil {
				out = []string{}
			}
			return out
		}
		tlWant(t, "v1", names("/api/v1/suggestions?limit=3"), "bob", "carol", "dave")
		tlWant(t, "v2", names("/api/v2/suggestions?limit=3"), "bob", "carol", "dave")

		// Not those she follows, asked to follow, blocks, is blocked by or mutes,
		// nor undiscoverable ones, nor dismissed ones, nor herself.
		f.follow(alice, acc["bob"])
		_, err := a.Service.UpdateProfile(ctx, acc["fred"].ID, service.ProfileUpdate{Locked: ptr(true)})
		testkit.Must(t, err, "lock fred")
		f.follow(alice, acc["fred"]) // a request
		_, err = a.Service.Block(ctx, alice.ID, acc["gina"].ID)
		testkit.Must(t, err, "block")
		_, err = a.Service.Block(ctx, acc["hal"].ID, alice.ID)
		testkit.Must(t, err, "blocked")
		_, err = a.Service.Mute(ctx, alice.ID, acc["ivy"].ID, service.MuteOptions{})
		testkit.Must(t, err, "mute")
		_, err = a.Service.UpdateProfile(ctx, acc["erin"].ID, service.ProfileUpdate{Discoverable: ptr(false)})
		testkit.Must(t, err, "erin undiscoverable")
		a.Settle(t)
		tlWant(t, "filtered", names("/api/v2/suggestions"), "carol", "dave")
		a.Do(t, "DELETE", "/api/v1/suggestions/"+tlStr(acc["carol"].ID), tok, nil).Want(t, 200)
		a.Do(t, "DELETE", "/api/v1/suggestions/123", tok, nil).Want(t, 200) // unknown: fine, as on Mastodon
		a.Do(t, "DELETE", "/api/v1/suggestions/nope", tok, nil).Want(t, 200)
		tlWant(t, "dismissed", names("/api/v1/suggestions"), "dave")

		f.get("/api/v2/suggestions?limit=x", tok, 422)
		f.get("/api/v2/suggestions", "", 401)
		f.get("/api/v2/suggestions", a.Token(t, alice, "read:statuses"), 403)
		f.get("/api/v2/suggestions", a.Token(t, alice, "read:accounts"), 200)
	})
}
