package mastodon_test

import (
	"context"
	"net/url"
	"testing"

	"weft/internal/testkit"
)

// notified sets up alice with three notifications from bob, oldest first:
// a follow, a mention and a favourite. It returns their IDs newest first.
func (f tlFx) notified() (aliceTok, bobTok string, ids []string) {
	f.t.Helper()
	alice, aliceTok := f.user("alice")
	bob, bobTok := f.user("bob")
	f.follow(bob, alice)
	f.a.Settle(f.t)
	f.postVis(bobTok, "hello @alice", "public")
	f.a.Settle(f.t)
	liked := f.postVis(aliceTok, "like me", "public")
	_, err := f.a.Service.Favourite(context.Background(), bob.ID, tlID(f.t, liked))
	testkit.Must(f.t, err, "favourite")
	f.a.Settle(f.t)
	ids = f.ids("/api/v1/notifications", aliceTok)
	if len(ids) != 3 {
		f.t.Fatalf("notifications: %v, want 3", ids)
	}
	return aliceTok, bobTok, ids
}

func TestNotificationsList(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		aliceTok, bobTok, all := f.notified()
		list := f.get("/api/v1/notifications", aliceTok, 200).List(t)
		for i, typ := range []string{"favourite", "mention", "follow"} {
			if list[i]["type"] != typ || list[i]["account"].(map[string]any)["username"] != "bob" {
				t.Fatalf("notification %d: %v, want %s from bob", i, list[i], typ)
			}
		}
		if list[0]["status"] == nil || list[2]["status"] != nil {
			t.Fatalf("status: favourite %v, follow %v", list[0]["status"], list[2]["status"])
		}
		tlWant(t, "types[]", f.ids("/api/v1/notifications?types[]=mention&types[]=follow", aliceTok), all[1], all[2])
		tlWant(t, "exclude_types[]", f.ids("/api/v1/notifications?exclude_types[]=follow", aliceTok), all[0], all[1])
		tlWant(t, "unknown types ignored", f.ids("/api/v1/notifications?types[]=mention&types[]=poll", aliceTok), all[1])
		tlWant(t, "only unknown types", f.ids("/api/v1/notifications?types[]=admin.sign_up", aliceTok))
		tlWant(t, "unknown excluded", f.ids("/api/v1/notifications?exclude_types[]=poll", aliceTok), all...)
		bob := f.accountOf("bob")
		tlWant(t, "account_id", f.ids("/api/v1/notifications?account_id="+tlStr(bob.ID), aliceTok), all...)
		tlWant(t, "other account_id", f.ids("/api/v1/notifications?account_id=1", aliceTok))
		tlWant(t, "bob's own", f.ids("/api/v1/notifications", bobTok))

		r := f.get("/api/v1/notifications?limit=2", aliceTok, 200)
		tlWant(t, "page 1", tlIDs(r.List(t)), all[0], all[1])
		next, prev := tlLinks(t, r)
		tlWant(t, "page 2", f.ids(next, aliceTok), all[2])
		tlWant(t, "newer", f.ids(prev, aliceTok))
		tlWant(t, "min_id", f.ids("/api/v1/notifications?min_id="+all[2], aliceTok), all[0], all[1])

		one := f.get("/api/v1/notifications/"+all[1], aliceTok, 200).Map(t)
		if one["id"] != all[1] || one["type"] != "mention" {
			t.Fatalf("one notification: %v", one)
		}
		f.get("/api/v1/notifications/"+all[1], bobTok, 404)
		f.get("/api/v1/notifications/nope", aliceTok, 404)
		f.get("/api/v1/notifications?account_id=x", aliceTok, 422)
		f.get("/api/v1/notifications", "", 401)
		f.get("/api/v1/notifications", a.Token(t, bob, "read:statuses"), 403)
		f.get("/api/v1/notifications", a.Token(t, bob, "read:notifications"), 200)
	})
}

func TestNotificationsDismissAndClear(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		aliceTok, bobTok, all := f.notified()
		alice := f.accountOf("alice")
		a.Do(t, "POST", "/api/v1/notifications/"+all[0]+"/dismiss", a.Token(t, alice, "read"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/notifications/"+all[0]+"/dismiss", bobTok, nil).Want(t, 404) // not bob's
		if r := a.Do(t, "POST", "/api/v1/notifications/"+all[0]+"/dismiss", aliceTok, nil).Want(t, 200); string(r.Body) != "{}\n" {
			t.Fatalf("dismiss answered %s", r.Body)
		}
		f.get("/api/v1/notifications/"+all[0], aliceTok, 404)
		a.Do(t, "POST", "/api/v1/notifications/"+all[0]+"/dismiss", aliceTok, nil).Want(t, 404)
		// The older form takes the ID as a parameter.
		a.Do(t, "POST", "/api/v1/notifications/dismiss", aliceTok, url.Values{"id": {all[1]}}).Want(t, 200)
		a.Do(t, "POST", "/api/v1/notifications/dismiss", aliceTok, nil).Want(t, 422)
		tlWant(t, "after dismissals", f.ids("/api/v1/notifications", aliceTok), all[2])
		a.Do(t, "POST", "/api/v1/notifications/clear", a.Token(t, alice, "read:notifications"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/notifications/clear", a.Token(t, alice, "write:notifications"), nil).Want(t, 200)
		tlWant(t, "after clear", f.ids("/api/v1/notifications", aliceTok))
	})
}

func TestNotificationsUnreadCount(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		aliceTok, _, all := f.notified()
		count := func(query string) float64 {
			t.Helper()
			return f.get("/api/v1/notifications/unread_count"+query, aliceTok, 200).Map(t)["count"].(float64)
		}
		if n := count(""); n != 3 {
			t.Fatalf("no marker: count %v, want 3", n)
		}
		if n := count("?limit=2"); n != 2 {
			t.Fatalf("limit=2: count %v, want 2", n)
		}
		a.Do(t, "POST", "/api/v1/markers", aliceTok, url.Values{"notifications[last_read_id]": {all[2]}}).Want(t, 200)
		if n := count(""); n != 2 {
			t.Fatalf("after the marker: count %v, want 2", n)
		}
		if n := count("?types[]=mention"); n != 1 {
			t.Fatalf("types[]=mention: count %v, want 1", n)
		}
		if n := count("?exclude_types[]=mention&exclude_types[]=favourite"); n != 0 {
			t.Fatalf("all excluded: count %v, want 0", n)
		}
		if n := count("?types[]=poll"); n != 0 {
			t.Fatalf("unknown type: count %v, want 0", n)
		}
		f.get("/api/v1/notifications/unread_count?limit=x", aliceTok, 422)
		f.get("/api/v1/notifications/unread_count", "", 401)
	})
}
