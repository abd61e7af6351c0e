package mastodon_test

import (
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/testkit"
)

func TestFollowRequests(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, tok := a.Account(t, "alice")
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, map[string]any{"locked": true}).Want(t, 200)
		bob, bobTok := a.Account(t, "bob")
		carol, carolTok := a.Account(t, "carol")
		dave, daveTok := a.Account(t, "dave")
		for _, requester := range []string{bobTok, carolTok, daveTok} {
			if rel := a.Do(t, "POST", "/api/v1/accounts/"+accID(alice)+"/follow", requester, nil).Want(t, 200).Map(t); rel["requested"] != true {
				t.Fatalf("request: %v", rel)
			}
		}
		me := a.Do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil).Want(t, 200).Map(t)
		if me["source"].(map[string]any)["follow_requests_count"] != float64(3) {
			t.Fatalf("follow_requests_count: %v", me["source"])
		}
		r := a.Do(t, "GET", "/api/v1/follow_requests?limit=2", tok, nil).Want(t, 200)
		accSame(t, "requests", accIDs(r.List(t)), []string{accID(dave), accID(carol)})
		next := accBetween(r.Header.Get("Link"), "<", `>; rel="next"`)
		if !strings.HasPrefix(next, "https://weft.test/api/v1/follow_requests?limit=2&max_id=") {
			t.Fatalf("Link: %s", r.Header.Get("Link"))
		}
		accSame(t, "next page", accIDs(a.Do(t, "GET", strings.TrimPrefix(next, "https://weft.test"), tok, nil).Want(t, 200).List(t)),
			[]string{accID(bob)})

		rel := a.Do(t, "POST", "/api/v1/follow_requests/"+accID(bob)+"/authorize", tok, nil).Want(t, 200).Map(t)
		if rel["id"] != accID(bob) || rel["followed_by"] != true || rel["requested_by"] != false {
			t.Fatalf("authorize: %v", rel)
		}
		rel = a.Do(t, "POST", "/api/v1/follow_requests/"+accID(carol)+"/reject", tok, nil).Want(t, 200).Map(t)
		if rel["followed_by"] != false || rel["requested_by"] != false {
			t.Fatalf("reject: %v", rel)
		}
		a.Do(t, "POST", "/api/v1/follow_requests/"+accID(carol)+"/reject", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/follow_requests/"+accID(bob)+"/authorize", tok, nil).Want(t, 404)
		a.Do(t, "POST", "/api/v1/follow_requests/424242/authorize", tok, nil).Want(t, 404)
		accSame(t, "left", accIDs(a.Do(t, "GET", "/api/v1/follow_requests", tok, nil).Want(t, 200).List(t)), []string{accID(dave)})
		// Scopes: reading needs read:follows, answering write:follows, and a user.
		a.Do(t, "GET", "/api/v1/follow_requests", a.Token(t, alice, "read:accounts"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/follow_requests/"+accID(dave)+"/authorize", a.Token(t, alice, "read"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/follow_requests/"+accID(dave)+"/authorize", "", nil).Want(t, 401)
		a.Do(t, "POST", "/api/v1/follow_requests/"+accID(dave)+"/authorize", a.Token(t, alice, "follow"), nil).Want(t, 200)
		a.Settle(t)
		following, err := a.Service.Following(t.Context(), 0, dave.ID, model.Page{Limit: 10})
		testkit.Must(t, err, "following")
		if len(following.Accounts) != 1 || following.Accounts[0].ID != alice.ID {
			t.Fatalf("dave follows: %v", following.Accounts)
		}
	})
}
