package mastodon_test

import (
	"net/url"
	"testing"

	"weft/internal/testkit"
)

func TestListsCRUD(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		_, bobTok := f.user("bob")
		l := a.Do(t, "POST", "/api/v1/lists", tok, url.Values{"title": {" Friends "}}).Want(t, 200).Map(t)
		if l["title"] != "Friends" || l["replies_policy"] != "list" || l["exclusive"] != false {
			t.Fatalf("created: %v", l)
		}
		id := l["id"].(string)
		l2 := a.Do(t, "POST", "/api/v1/lists", tok, map[string]any{"title": "Work", "replies_policy": "none", "exclusive": true}).
			Want(t, 200).Map(t)
		if l2["replies_policy"] != "none" || l2["exclusive"] != true {
			t.Fatalf("created with options: %v", l2)
		}
		tlWant(t, "lists", f.ids("/api/v1/lists", tok), id, l2["id"].(string))
		tlWant(t, "bob's lists", f.ids("/api/v1/lists", bobTok))
		if got := f.get("/api/v1/lists/"+id, tok, 200).Map(t); got["title"] != "Friends" {
			t.Fatalf("get: %v", got)
		}
		// Updating changes only what is sent.
		u := a.Do(t, "PUT", "/api/v1/lists/"+id, tok, url.Values{"replies_policy": {"followed"}, "exclusive": {"true"}}).Want(t, 200).Map(t)
		if u["title"] != "Friends" || u["replies_policy"] != "followed" || u["exclusive"] != true {
			t.Fatalf("updated: %v", u)
		}
		u = a.Do(t, "PUT", "/api/v1/lists/"+id, tok, url.Values{"title": {"Pals"}}).Want(t, 200).Map(t)
		if u["title"] != "Pals" || u["replies_policy"] != "followed" {
			t.Fatalf("renamed: %v", u)
		}
		// Bad input.
		a.Do(t, "POST", "/api/v1/lists", tok, url.Values{}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/lists", tok, url.Values{"title": {"  "}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/lists", tok, url.Values{"title": {"x"}, "replies_policy": {"all"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/lists", tok, url.Values{"title": {"x"}, "exclusive": {"perhaps"}}).Want(t, 422)
		a.Do(t, "PUT", "/api/v1/lists/"+id, tok, url.Values{"title": {""}}).Want(t, 422)
		// Someone else's list does not exist for them.
		f.get("/api/v1/lists/"+id, bobTok, 404)
		a.Do(t, "PUT", "/api/v1/lists/"+id, bobTok, url.Values{"title": {"mine"}}).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/lists/"+id, bobTok, nil).Want(t, 404)
		f.get("/api/v1/lists/12345", tok, 404)
		f.get("/api/v1/lists/abc", tok, 404)
		// Scopes.
		f.get("/api/v1/lists", "", 401)
		f.get("/api/v1/lists", a.Token(t, alice, "read:statuses"), 403)
		f.get("/api/v1/lists", a.Token(t, alice, "read:lists"), 200)
		a.Do(t, "POST", "/api/v1/lists", a.Token(t, alice, "read:lists"), url.Values{"title": {"x"}}).Want(t, 403)
		a.Do(t, "DELETE", "/api/v1/lists/"+id, a.Token(t, alice, "write:lists"), nil).Want(t, 200)
		f.get("/api/v1/lists/"+id, tok, 404)
		tlWant(t, "after delete", f.ids("/api/v1/lists", tok), l2["id"].(string))
	})
}

func TestListMembers(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		bob, _ := f.user("bob")
		carol, _ := f.user("carol")
		dave, _ := f.user("dave")
		_, eveTok := f.user("eve")
		f.follow(alice, bob)
		f.follow(alice, carol)
		id := a.Do(t, "POST", "/api/v1/lists", tok, url.Values{"title": {"Friends"}}).Want(t, 200).Map(t)["id"].(string)
		members := "/api/v1/lists/" + id + "/accounts"
		add := func(tok string, want int, ids ...string) {
			t.Helper()
			a.Do(t, "POST", members, tok, url.Values{"account_ids[]": ids}).Want(t, want)
		}
		add(tok, 404, tlStr(dave.ID))                // not followed
		add(tok, 404, tlStr(bob.ID), tlStr(dave.ID)) // all or nothing
		tlWant(t, "nothing added", f.ids(members, tok))
		add(tok, 200, tlStr(bob.ID), tlStr(carol.ID))
		add(tok, 422, tlStr(bob.ID)) // already in it
		add(tok, 422)                // none given
		add(tok, 422, "x")
		add(eveTok, 404, tlStr(bob.ID)) // not eve's list
		tlWant(t, "members", f.ids(members, tok), tlStr(carol.ID), tlStr(bob.ID))
		r := f.get(members+"?limit=1", tok, 200)
		tlWant(t, "page 1", tlIDs(r.List(t)), tlStr(carol.ID))
		next, _ := tlLinks(t, r)
		tlWant(t, "page 2", f.ids(next, tok), tlStr(bob.ID))
		r = f.get(members+"?limit=0", tok, 200)
		if len(r.List(t)) != 2 || r.Header.Get("Link") != "" {
			t.Fatalf("limit=0: %d members, Link %q", len(r.List(t)), r.Header.Get("Link"))
		}
		f.get(members, eveTok, 404)
		tlWant(t, "bob's lists", f.ids("/api/v1/accounts/"+tlStr(bob.ID)+"/lists", tok), id)
		tlWant(t, "dave's lists", f.ids("/api/v1/accounts/"+tlStr(dave.ID)+"/lists", tok))
		tlWant(t, "bob in eve's lists", f.ids("/api/v1/accounts/"+tlStr(bob.ID)+"/lists", eveTok))
		f.get("/api/v1/accounts/999/lists", tok, 404)

		// Removing: ones not in the list are ignored; form or JSON.
		a.Do(t, "DELETE", members, tok, url.Values{"account_ids[]": {tlStr(bob.ID), tlStr(dave.ID)}}).Want(t, 200)
		tlWant(t, "after removal", f.ids(members, tok), tlStr(carol.ID))
		a.Do(t, "DELETE", members, eveTok, map[string]any{"account_ids": []string{tlStr(carol.ID)}}).Want(t, 404)
		// Unfollowing takes the account out of one's lists, as on Mastodon.
		_, err := a.Service.Unfollow(t.Context(), alice.ID, carol.ID)
		testkit.Must(t, err, "unfollow")
		tlWant(t, "after unfollow", f.ids(members, tok))
		a.Do(t, "POST", members, a.Token(t, alice, "read:lists"), url.Values{"account_ids[]": {tlStr(bob.ID)}}).Want(t, 403)
	})
}
