package mastodon_test

import (
	"context"
	"net/url"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

func TestNotificationPolicy(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		p := f.get("/api/v2/notifications/policy", tok, 200).Map(t)
		for _, k := range []string{"for_not_following", "for_not_followers", "for_new_accounts", "for_private_mentions", "for_limited_accounts"} {
			if p[k] != "accept" {
				t.Fatalf("default %s = %v, want accept", k, p[k])
			}
		}
		if s := p["summary"].(map[string]any); s["pending_requests_count"] != 0.0 || s["pending_notifications_count"] != 0.0 {
			t.Fatalf("summary %v", s)
		}
		r := a.Do(t, "PATCH", "/api/v2/notifications/policy", tok, map[string]any{"for_not_following": "drop",
			"for_private_mentions": "filter"}).Want(t, 200).Map(t)
		if r["for_not_following"] != "drop" || r["for_private_mentions"] != "filter" || r["for_not_followers"] != "accept" {
			t.Fatalf("after PATCH: %v", r)
		}
		// Only the rules sent change, and the value is kept.
		a.Do(t, "PUT", "/api/v2/notifications/policy", tok, url.Values{"for_new_accounts": {"filter"}}).Want(t, 200)
		p = f.get("/api/v2/notifications/policy", tok, 200).Map(t)
		if p["for_not_following"] != "drop" || p["for_new_accounts"] != "filter" || p["for_private_mentions"] != "filter" {
			t.Fatalf("stored policy: %v", p)
		}
		v1 := f.get("/api/v1/notifications/policy", tok, 200).Map(t)
		if v1["filter_not_following"] != true || v1["filter_not_followers"] != false || v1["filter_new_accounts"] != true ||
			v1["filter_private_mentions"] != true || v1["summary"] == nil {
			t.Fatalf("v1 policy: %v", v1)
		}
		v1 = a.Do(t, "PUT", "/api/v1/notifications/policy", tok, url.Values{"filter_not_following": {"false"},
			"filter_not_followers": {"true"}}).Want(t, 200).Map(t)
		if v1["filter_not_following"] != false || v1["filter_not_followers"] != true {
			t.Fatalf("v1 update: %v", v1)
		}
		p = f.get("/api/v2/notifications/policy", tok, 200).Map(t)
		if p["for_not_following"] != "accept" || p["for_not_followers"] != "filter" {
			t.Fatalf("after the v1 update: %v", p)
		}

		a.Do(t, "PATCH", "/api/v2/notifications/policy", tok, url.Values{"for_not_following": {"ignore"}}).Want(t, 422)
		a.Do(t, "PATCH", "/api/v1/notifications/policy", tok, url.Values{"filter_not_following": {"perhaps"}}).Want(t, 422)
		a.Do(t, "PATCH", "/api/v2/notifications/policy", a.Token(t, alice, "read"), url.Values{"for_not_following": {"drop"}}).Want(t, 403)
		f.get("/api/v2/notifications/policy", a.Token(t, alice, "write"), 403)
		f.get("/api/v2/notifications/policy", "", 401)

		// No notification is ever held aside, so there are no requests.
		tlWant(t, "requests", f.ids("/api/v1/notifications/requests", tok))
		if m := f.get("/api/v1/notifications/requests/merged", tok, 200).Map(t); m["merged"] != true {
			t.Fatalf("merged: %v", m)
		}
		if e := f.get("/api/v1/notifications/requests/123", tok, 404).Map(t); e["error"] != "Record not found" {
			t.Fatalf("404 body: %v", e)
		}
		a.Do(t, "POST", "/api/v1/notifications/requests/123/accept", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/notifications/requests/123/dismiss", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/notifications/requests/accept", tok, url.Values{"id[]": {"1"}}).Want(t, 200)
		a.Do(t, "POST", "/api/v1/notifications/requests/dismiss", tok, url.Values{"id[]": {"1"}}).Want(t, 200)
	})
}

// TestNotificationPolicyDrop: a rule set to drop keeps the notifications it
// catches from being made; accounts one follows still get through the
// new-account and private-mention rules.
func TestNotificationPolicyDrop(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		ctx := context.Background()
		alice, tok := f.user("alice")
		bob, bobTok := f.user("bob")
		carol, carolTok := f.user("carol")
		f.follow(alice, carol)
		a.Settle(t)
		setPolicy := func(v url.Values) {
			t.Helper()
			a.Do(t, "PATCH", "/api/v2/notifications/policy", tok, v).Want(t, 200)
		}
		types := func() []string {
			t.Helper()
			var out []string
			for _, n := range f.get("/api/v1/notifications", tok, 200).List(t) {
				out = append(out, n["type"].(string)+":"+n["account"].(map[string]any)["username"].(string))
			}
			if out == nil {
				out = []string{}
			}
			return out
		}

		setPolicy(url.Values{"for_not_following": {"drop"}})
		f.postVis(bobTok, "hi @alice", "public")   // alice does not follow bob: dropped
		f.postVis(carolTok, "hi @alice", "public") // she follows carol
		a.Settle(t)
		tlWant(t, "not following: drop", types(), "mention:carol")

		setPolicy(url.Values{"for_not_following": {"accept"}, "for_private_mentions": {"drop"}})
		f.postVis(bobTok, "psst @alice", "direct")   // a private mention from a stranger: dropped
		f.postVis(carolTok, "psst @alice", "direct") // from someone she follows: kept
		a.Settle(t)
		f.postVis(bobTok, "hello @alice", "public") // not private: kept
		a.Settle(t)
		tlWant(t, "private mentions: drop", types(), "mention:bob", "mention:carol", "mention:carol")

		setPolicy(url.Values{"for_private_mentions": {"accept"}, "for_new_accounts": {"drop"}})
		liked := f.postVis(tok, "like me", "public")
		for _, who := range []int64{bob.ID, carol.ID} { // both accounts are new; she follows carol
			_, err := a.Service.Favourite(ctx, who, tlID(t, liked))
			testkit.Must(t, err, "like")
		}
		a.Settle(t)
		tlWant(t, "new accounts: drop", types(), "favourite:carol", "mention:bob", "mention:carol", "mention:carol")

		setPolicy(url.Values{"for_new_accounts": {"accept"}, "for_not_followers": {"drop"}})
		_, err := a.Service.Reblog(ctx, bob.ID, tlID(t, liked), "") // bob does not follow alice: dropped
		testkit.Must(t, err, "boost")
		a.Settle(t)
		f.follow(bob, alice) // the follow comes from a follower: kept
		a.Settle(t)
		_, err = a.Service.Reblog(ctx, carol.ID, tlID(t, liked), "") // carol does not follow her
		testkit.Must(t, err, "boost")
		a.Settle(t)
		tlWant(t, "not followers: drop", types(), "follow:bob", "favourite:carol", "mention:bob", "mention:carol", "mention:carol")

		// Posts of accounts one asked to hear of are not subject to the policy.
		setPolicy(url.Values{"for_not_followers": {"accept"}, "for_not_following": {"drop"}})
		_, err = a.Service.Follow(ctx, alice.ID, carol.ID, service.FollowOptions{Notify: ptr(true)})
		testkit.Must(t, err, "notify on")
		a.Settle(t)
		f.postVis(carolTok, "news", "public")
		a.Settle(t)
		if got := types(); got[0] != "status:carol" {
			t.Fatalf("status notification: %v", got)
		}
	})
}
