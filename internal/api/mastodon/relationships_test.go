package mastodon_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestFollowAndRelationships(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, tok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		carol := a.QuickAccount(t, "carol")
		dave := a.QuickAccount(t, "dave")
		erin := a.QuickAccount(t, "erin")
		_, err := a.Service.UpdateProfile(t.Context(), carol.ID, service.ProfileUpdate{Locked: &accTrue})
		testkit.Must(t, err, "lock carol")
		follow := func(target *model.Account, body any) map[string]any {
			t.Helper()
			return a.Do(t, "POST", "/api/v1/accounts/"+accID(target)+"/follow", tok, body).Want(t, 200).Map(t)
		}
		rel := follow(bob, url.Values{"reblogs": {"false"}, "notify": {"true"}})
		if rel["id"] != accID(bob) || rel["following"] != true || rel["showing_reblogs"] != false || rel["notifying"] != true {
			t.Fatalf("follow: %v", rel)
		}
		// Following again changes only what is sent (JSON this time).
		rel = follow(bob, map[string]any{"reblogs": true})
		if rel["following"] != true || rel["showing_reblogs"] != true || rel["notifying"] != true {
			t.Fatalf("follow again: %v", rel)
		}
		// A locked account gets a request.
		if rel = follow(carol, nil); rel["following"] != false || rel["requested"] != true {
			t.Fatalf("follow locked: %v", rel)
		}
		r := a.Do(t, "POST", "/api/v1/accounts/"+accID(alice)+"/follow", tok, nil).Want(t, 403)
		if !strings.Contains(string(r.Body), "your own account") {
			t.Fatalf("self-follow: %s", r.Body)
		}
		a.Do(t, "POST", "/api/v1/accounts/424242/follow", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(dave)+"/follow", tok, url.Values{"notify": {"sure"}}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(dave)+"/follow", "", nil).Want(t, 401)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(dave)+"/follow", a.Token(t, alice, "read"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/accounts/"+accID(dave)+"/follow", a.Token(t, alice, "write:follows"), nil).Want(t, 200)
		// Blocked by the target: refused (403 on Mastodon).
		_, err = a.Service.Block(t.Context(), erin.ID, alice.ID)
		testkit.Must(t, err, "block")
		a.Do(t, "POST", "/api/v1/accounts/"+accID(erin)+"/follow", tok, nil).Want(t, 403)

		// Relationships: in the order asked, unknown IDs left out.
		_, err = a.Service.Follow(t.Context(), bob.ID, alice.ID, service.FollowOptions{})
		testkit.Must(t, err, "bob follows alice")
		list := a.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+accID(carol)+"&id[]=999&id[]="+accID(bob)+"&id[]="+accID(erin),
			tok, nil).Want(t, 200).List(t)
		accSame(t, "relationships", accIDs(list), []string{accID(carol), accID(bob), accID(erin)})
		if list[0]["requested"] != true || list[1]["followed_by"] != true || list[1]["following"] != true ||
			list[2]["blocked_by"] != true {
			t.Fatalf("relationships: %v", list)
		}
		one := a.Do(t, "GET", "/api/v1/accounts/relationships?id="+accID(bob), tok, nil).Want(t, 200).List(t)
		accSame(t, "one id", accIDs(one), []string{accID(bob)})
		// Suspended accounts only with with_suspended.
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), dave.ID), "suspend")
		accSame(t, "suspended", accIDs(a.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+accID(dave), tok, nil).Want(t, 200).List(t)), nil)
		accSame(t, "with_suspended", accIDs(a.Do(t, "GET", "/api/v1/accounts/relationships?with_suspended=true&id[]="+accID(dave),
			tok, nil).Want(t, 200).List(t)), []string{accID(dave)})
		a.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+accID(bob), a.Token(t, alice, "read:accounts"), nil).Want(t, 403)
		a.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+accID(bob), "", nil).Want(t, 401)

		// Unfollow, twice; and withdrawing a request.
		for i := 0; i < 2; i++ {
			rel = a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/unfollow", tok, nil).Want(t, 200).Map(t)
			if rel["following"] != false || rel["followed_by"] != true {
				t.Fatalf("unfollow %d: %v", i, rel)
			}
		}
		rel = a.Do(t, "POST", "/api/v1/accounts/"+accID(carol)+"/unfollow", tok, nil).Want(t, 200).Map(t)
		if rel["requested"] != false {
			t.Fatalf("withdrawn request: %v", rel)
		}
		a.Do(t, "POST", "/api/v1/accounts/"+accID(bob)+"/unfollow", bobTok, nil).Want(t, 200) // not following: harmless
	})
}

func TestFollowersAndFollowing(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, _ := a.Account(t, "alice")
		var fans []*model.Account
		for i := 0; i < 5; i++ {
			f := a.QuickAccount(t, "fan"+strconv.Itoa(i))
			_, err := a.Service.Follow(t.Context(), f.ID, alice.ID, service.FollowOptions{})
			testkit.Must(t, err, "follow")
			fans = append(fans, f)
		}
		_, err := a.Service.Follow(t.Context(), alice.ID, fans[0].ID, service.FollowOptions{})
		testkit.Must(t, err, "follow back")
		path := "/api/v1/accounts/" + accID(alice) + "/followers"
		r := a.Do(t, "GET", path+"?limit=2", "", nil).Want(t, 200)
		accSame(t, "first page", accIDs(r.List(t)), []string{accID(fans[4]), accID(fans[3])})
		link := r.Header.Get("Link")
		next := accBetween(link, "<", `>; rel="next"`)
		if !strings.HasPrefix(next, "https://weft.test"+path+"?limit=2&max_id=") || !strings.Contains(link, `rel="prev"`) {
			t.Fatalf("Link: %s", link)
		}
		r = a.Do(t, "GET", strings.TrimPrefix(next, "https://weft.test"), "", nil).Want(t, 200)
		accSame(t, "second page", accIDs(r.List(t)), []string{accID(fans[2]), accID(fans[1])})
		prev := accBetween(r.Header.Get("Link"), `rel="next", <`, `>; rel="prev"`)
		accSame(t, "back", accIDs(a.Do(t, "GET", strings.TrimPrefix(prev, "https://weft.test"), "", nil).Want(t, 200).List(t)),
			[]string{accID(fans[4]), accID(fans[3])})
		following := a.Do(t, "GET", "/api/v1/accounts/"+accID(alice)+"/following", "", nil).Want(t, 200).List(t)
		accSame(t, "following", accIDs(following), []string{accID(fans[0])})
		accSame(t, "fan follows", accIDs(a.Do(t, "GET", "/api/v1/accounts/"+accID(fans[1])+"/following", "", nil).Want(t, 200).List(t)),
			[]string{accID(alice)})
		// Suspended followers are left out; a blocked caller finds nothing.
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), fans[4].ID), "suspend")
		accSame(t, "without the suspended", accIDs(a.Do(t, "GET", path+"?limit=1", "", nil).Want(t, 200).List(t)), []string{accID(fans[3])})
		_, err = a.Service.Block(t.Context(), alice.ID, fans[2].ID)
		testkit.Must(t, err, "block")
		a.Do(t, "GET", path, a.Token(t, fans[2], "read"), nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/424242/followers", "", nil).Want(t, 404)
	})
}

func TestFamiliarFollowers(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		viewer, tok := a.Account(t, "viewer")
		target, other := a.QuickAccount(t, "target"), a.QuickAccount(t, "other")
		f1, f2, stranger := a.QuickAccount(t, "f1"), a.QuickAccount(t, "f2"), a.QuickAccount(t, "stranger")
		for _, pair := range [][2]*model.Account{{viewer, f1}, {viewer, f2}, {f1, target}, {f2, target}, {stranger, target}, {f1, other}} {
			_, err := a.Service.Follow(t.Context(), pair[0].ID, pair[1].ID, service.FollowOptions{})
			testkit.Must(t, err, "follow")
		}
		list := a.Do(t, "GET", "/api/v1/accounts/familiar_followers?id[]="+accID(target)+"&id[]=999&id[]="+accID(stranger),
			tok, nil).Want(t, 200).List(t)
		accSame(t, "entries", accIDs(list), []string{accID(target), accID(stranger)})
		accSame(t, "target's", accIDs(accMaps(list[0]["accounts"])), []string{accID(f2), accID(f1)})
		if accs := list[1]["accounts"].([]any); len(accs) != 0 {
			t.Fatalf("stranger's: %v", accs)
		}
		many := url.Values{}
		for i := 0; i < 41; i++ {
			many.Add("id[]", strconv.Itoa(1000+i))
		}
		a.Do(t, "GET", "/api/v1/accounts/familiar_followers?"+many.Encode(), tok, nil).Want(t, 422)
		a.Do(t, "GET", "/api/v1/accounts/familiar_followers?id[]="+accID(target), a.Token(t, viewer, "read:accounts"), nil).Want(t, 403)
		a.Do(t, "GET", "/api/v1/accounts/familiar_followers?id[]="+accID(target), "", nil).Want(t, 401)
	})
}

// accBetween returns the part of s after the first start and before the next end.
func accBetween(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, end)
	return out
}

func accMaps(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		out = append(out, m)
	}
	return out
}

var accTrue = true
