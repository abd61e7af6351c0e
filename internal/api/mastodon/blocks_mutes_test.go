package mastodon_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/testkit"
)

func TestBlockAndUnblock(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, tok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		a.Do(t, "POST", "/api/v1/accounts/"+accID(alice)+"/follow", bobTok, nil).Want(t, 200)
		// Blocking is idempotent: the second time answers the relationship too.
		for i := 0; i < 2; i++ {
			rel := a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/block", tok, nil).Want(t, 200).Map(t)
			if rel["blocking"] != true || rel["followed_by"] != false || rel["id"] != accID(bob) {
				t.Fatalf("block %d: %v", i, rel)
			}
		}
		// The blocked account no longer finds the blocker; the blocker still finds them.
		a.Do(t, "GET", "/api/v1/accounts/"+accID(alice), bobTok, nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/"+accID(bob), tok, nil).Want(t, 200)
		rel := a.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+accID(alice), bobTok, nil).Want(t, 200).List(t)
		if rel[0]["blocked_by"] != true || rel[0]["following"] != false {
			t.Fatalf("seen by the blocked: %v", rel)
		}
		accSame(t, "blocks", accIDs(a.Do(t, "GET", "/api/v1/blocks", tok, nil).Want(t, 200).List(t)), []string{accID(bob)})
		for i := 0; i < 2; i++ {
			if rel := a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/unblock", tok, nil).Want(t, 200).Map(t); rel["blocking"] != false {
				t.Fatalf("unblock %d: %v", i, rel)
			}
		}
		accSame(t, "no blocks", accIDs(a.Do(t, "GET", "/api/v1/blocks", tok, nil).Want(t, 200).List(t)), nil)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(alice)+"/block", tok, nil).Want(t, 422)
		a.Do(t, "POST", "/api/v1/accounts/424242/block", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/block", "", nil).Want(t, 401)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/block", a.Token(t, alice, "read write:follows"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/block", a.Token(t, alice, "follow"), nil).Want(t, 200) // the legacy scope
		a.Do(t, "GET", "/api/v1/blocks", a.Token(t, alice, "read:mutes"), nil).Want(t, 403)
		a.Do(t, "GET", "/api/v1/blocks", a.Token(t, alice, "read:blocks"), nil).Want(t, 200)
	})
}

func TestBlocksPagination(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, tok := a.Account(t, "alice")
	var blocked []*model.Account
	for i := 0; i < 3; i++ {
		b := a.QuickAccount(t, "b"+strconv.Itoa(i))
		a.Do(t, "POST", "/api/v1/accounts/"+accID(b)+"/block", tok, nil).Want(t, 200)
		blocked = append(blocked, b)
	}
	r := a.Do(t, "GET", "/api/v1/blocks?limit=2", tok, nil).Want(t, 200)
	accSame(t, "first page", accIDs(r.List(t)), []string{accID(blocked[2]), accID(blocked[1])})
	next := accBetween(r.Header.Get("Link"), "<", `>; rel="next"`)
	if !strings.HasPrefix(next, "https://weft.test/api/v1/blocks?limit=2&max_id=") {
		t.Fatalf("Link: %s", r.Header.Get("Link"))
	}
	accSame(t, "next page", accIDs(a.Do(t, "GET", strings.TrimPrefix(next, "https://weft.test"), tok, nil).Want(t, 200).List(t)),
		[]string{accID(blocked[0])})
}

func TestMuteAndUnmute(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, tok := a.Account(t, "alice")
		bob, carol := a.QuickAccount(t, "bob"), a.QuickAccount(t, "carol")
		rel := a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/mute", tok, url.Values{"notifications": {"false"}, "duration": {"3600"}}).
			Want(t, 200).Map(t)
		if rel["muting"] != true || rel["muting_notifications"] != false || rel["muting_expires_at"] == nil {
			t.Fatalf("mute for an hour: %v", rel)
		}
		// By default notifications are muted too, for ever.
		rel = a.Do(t, "POST", "/api/v1/accounts/"+accID(carol)+"/mute", tok, map[string]any{}).Want(t, 200).Map(t)
		if rel["muting"] != true || rel["muting_notifications"] != true || rel["muting_expires_at"] != nil {
			t.Fatalf("mute: %v", rel)
		}
		list := a.Do(t, "GET", "/api/v1/mutes", tok, nil).Want(t, 200).List(t)
		accSame(t, "mutes", accIDs(list), []string{accID(carol), accID(bob)})
		if list[0]["mute_expires_at"] != nil || list[1]["mute_expires_at"] == nil || list[1]["username"] != "bob" {
			t.Fatalf("mutes list: %v", list)
		}
		// Muting again changes the options.
		rel = a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/mute", tok, url.Values{"duration": {"0"}}).Want(t, 200).Map(t)
		if rel["muting_notifications"] != true || rel["muting_expires_at"] != nil {
			t.Fatalf("mute again: %v", rel)
		}
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/mute", tok, url.Values{"duration": {"-5"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/mute", tok, url.Values{"duration": {"soon"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/accounts/424242/mute", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(alice)+"/mute", tok, nil).Want(t, 422)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/mute", a.Token(t, alice, "write:blocks"), nil).Want(t, 403)
		for i := 0; i < 2; i++ {
			if rel := a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/unmute", tok, nil).Want(t, 200).Map(t); rel["muting"] != false {
				t.Fatalf("unmute %d: %v", i, rel)
			}
		}
		accSame(t, "after unmute", accIDs(a.Do(t, "GET", "/api/v1/mutes", tok, nil).Want(t, 200).List(t)), []string{accID(carol)})
		a.Do(t, "GET", "/api/v1/mutes", "", nil).Want(t, 401)
		a.Do(t, "GET", "/api/v1/mutes", a.Token(t, alice, "read:blocks"), nil).Want(t, 403)
	})
}
