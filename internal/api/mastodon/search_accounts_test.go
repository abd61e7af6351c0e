package mastodon_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestSearchAccounts(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		viewer, tok := a.Account(t, "viewer")
		al := a.QuickAccount(t, "al")
		alice := a.QuickAccount(t, "alice")
		alfred := a.QuickAccount(t, "alfred")
		zoe := a.QuickAccount(t, "zoe")
		name := "Alma Zoe"
		_, err := a.Service.UpdateProfile(t.Context(), zoe.ID, service.ProfileUpdate{DisplayName: &name})
		testkit.Must(t, err, "display name")
		blocker := a.QuickAccount(t, "alblocker")
		_, err = a.Service.Block(t.Context(), blocker.ID, viewer.ID)
		testkit.Must(t, err, "block")
		now := time.Now().UTC().Truncate(time.Millisecond)
		ids := id.New(nil)
		remoteAccount := func(username string) *model.Account {
			r := &model.Account{ID: ids.Next(), Username: username, Domain: "remote.example",
				URI: "https://remote.example/users/" + username, CreatedAt: now, UpdatedAt: now}
			testkit.Must(t, a.Store.InTx(t.Context(), func(tx *store.Tx) error { return tx.InsertAccount(t.Context(), r) }), "remote")
			return r
		}
		remote, other := remoteAccount("alrik"), remoteAccount("alma")

		search := func(query string) []string {
			t.Helper()
			return accIDs(a.Do(t, "GET", "/api/v1/accounts/search?"+query, tok, nil).Want(t, 200).List(t))
		}
		// Usernames (the exact one first), then display names; never the
		// blocker, never remote accounts by prefix.
		accSame(t, "al", search("q=AL"), []string{accID(al), accID(alfred), accID(alice), accID(zoe)})
		accSame(t, "@al", search("q=%40al&limit=2"), []string{accID(al), accID(alfred)})
		accSame(t, "offset", search("q=al&limit=2&offset=2"), []string{accID(alice), accID(zoe)})
		accSame(t, "local acct", search("q="+url.QueryEscape("alice@weft.test")), []string{accID(alice)})
		accSame(t, "remote acct", search("q="+url.QueryEscape("@alrik@remote.example")), []string{accID(remote)})
		accSame(t, "unknown remote", search("q="+url.QueryEscape("al@elsewhere.example")+"&resolve=true"), nil)
		accSame(t, "empty", search("q="), nil)
		accSame(t, "no q", search(""), nil)
		accSame(t, "bad UTF-8 elsewhere", search("q=al%ff"), nil)
		a.Do(t, "GET", "/api/v1/accounts/search?q=al%00", tok, nil).Want(t, 422) // NUL is refused in every parameter
		accSame(t, "bad UTF-8", search("q=%ff%fe"), nil)
		accSame(t, "big limit is clamped", search("q=al&limit=500"), []string{accID(al), accID(alfred), accID(alice), accID(zoe)})
		_, err = a.Service.Follow(t.Context(), viewer.ID, alice.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")
		// Following across servers needs fediverse sharing, and stays a
		// request until the other server accepts it.
		_, err = a.Service.Follow(t.Context(), viewer.ID, remote.ID, service.FollowOptions{})
		if !errors.Is(err, model.ErrInvalid) {
			t.Fatalf("a member who does not share follows a remote account: %v", err)
		}
		sharing := true
		_, err = a.Service.UpdateProfile(t.Context(), viewer.ID, service.ProfileUpdate{FediverseSharing: &sharing})
		testkit.Must(t, err, "share")
		_, err = a.Service.Follow(t.Context(), viewer.ID, remote.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow remote")
		testkit.Must(t, a.Service.RemoteFollowAccepted(t.Context(), remote.ID, viewer.ID), "accept")
		accSame(t, "following", search("q=al&following=true"), []string{accID(alice)})
		accSame(t, "following remote", search("q=alrik@remote.example&following=true"), []string{accID(remote)})
		accSame(t, "other remote", search("q=alma@remote.example"), []string{accID(other)})
		accSame(t, "not following", search("q=alma@remote.example&following=true"), nil)

		a.Do(t, "GET", "/api/v1/accounts/search?q=al&offset=5000", tok, nil).Want(t, 422)
		a.Do(t, "GET", "/api/v1/accounts/search?q=al&limit=0", tok, nil).Want(t, 422)
		a.Do(t, "GET", "/api/v1/accounts/search?q=al&following=maybe", tok, nil).Want(t, 422)
		a.Do(t, "GET", "/api/v1/accounts/search?q=al", "", nil).Want(t, 401)
		a.Do(t, "GET", "/api/v1/accounts/search?q=al", a.Token(t, viewer, "read:follows"), nil).Want(t, 403)
		a.Do(t, "GET", "/api/v1/accounts/search?q=al", a.Token(t, viewer, "read:accounts"), nil).Want(t, 200)
	})
}
