package mastodon_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"weft/internal/model"
	"weft/internal/testkit"
)

// act POSTs an action with no body and no Content-Type, as apps send them.
func (f statusFx) act(tok, id, action string, want int) map[string]any {
	f.t.Helper()
	r := f.a.Do(f.t, "POST", "/api/v1/statuses/"+id+"/"+action, tok, nil).Want(f.t, want)
	if want != 200 {
		return nil
	}
	return r.Map(f.t)
}

func TestFavouriteAndBookmark(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		id := f.postVis(aliceTok, "like me", "public")
		for range 2 { // twice is harmless and answers the same
			got := f.act(bobTok, id, "favourite", 200)
			if got["id"] != id || got["favourited"] != true || got["favourites_count"] != float64(1) {
				t.Fatalf("favourite: %v", got)
			}
		}
		a.Core.Settle(t) // the like's notification
		for range 2 {
			got := f.act(bobTok, id, "unfavourite", 200)
			if got["favourited"] != false || got["favourites_count"] != float64(0) {
				t.Fatalf("unfavourite: %v", got)
			}
		}
		for range 2 {
			if got := f.act(bobTok, id, "bookmark", 200); got["bookmarked"] != true || got["favourited"] != false {
				t.Fatalf("bookmark: %v", got)
			}
		}
		if got := a.Do(t, "GET", "/api/v1/statuses/"+id, bobTok, nil).Want(t, 200).Map(t); got["bookmarked"] != true {
			t.Fatalf("bookmark not kept: %v", got)
		}
		if got := f.act(bobTok, id, "unbookmark", 200); got["bookmarked"] != false {
			t.Fatalf("unbookmark: %v", got)
		}
		// A form or JSON body is fine too.
		if got := a.Do(t, "POST", "/api/v1/statuses/"+id+"/favourite", bobTok, map[string]any{}).Want(t, 200).Map(t); got["favourited"] != true {
			t.Fatalf("favourite with a JSON body: %v", got)
		}
		// Liking a boost likes its post.
		boost := f.act(bobTok, id, "reblog", 200)["id"].(string)
		if got := f.act(aliceTok, boost, "favourite", 200); got["id"] != id || got["favourites_count"] != float64(2) {
			t.Fatalf("favourite through a boost: %v", got)
		}
		// Scopes: the favourite scope for likes, the bookmark scope for bookmarks.
		f.act("", id, "favourite", 401)
		f.act(a.Token(t, alice, "write:statuses write:bookmarks"), id, "favourite", 403)
		f.act(a.Token(t, alice, "write:favourites"), id, "favourite", 200)
		f.act(a.Token(t, alice, "write:favourites"), id, "bookmark", 403)
		f.act(a.Token(t, alice, "write:bookmarks"), id, "unbookmark", 200)
		a.Core.Settle(t)
	})
}

func TestReblogAndUnreblog(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		id := f.postVis(aliceTok, "boost me", "public")
		boost := f.act(bobTok, id, "reblog", 200)
		inner, _ := boost["reblog"].(map[string]any)
		if boost["id"] == id || inner == nil || inner["id"] != id || boost["reblogged"] != true ||
			inner["reblogged"] != true || inner["reblogs_count"] != float64(1) || boost["account"].(map[string]any)["id"] != fmt.Sprint(bob.ID) {
			t.Fatalf("boost: %v", boost)
		}
		// Boosting again answers the same boost, 200.
		if again := f.act(bobTok, id, "reblog", 200); again["id"] != boost["id"] {
			t.Fatalf("second boost %v, first %v", again["id"], boost["id"])
		}
		// Boosting the boost boosts the post.
		if via := f.act(bobTok, boost["id"].(string), "reblog", 200); via["id"] != boost["id"] {
			t.Fatalf("boost of the boost: %v", via["id"])
		}
		// Undo answers the post, not the boost; twice is harmless.
		for range 2 {
			got := f.act(bobTok, id, "unreblog", 200)
			if got["id"] != id || got["reblogged"] != false || got["reblogs_count"] != float64(0) || got["reblog"] != nil {
				t.Fatalf("unreblog: %v", got)
			}
		}
		// A narrower visibility may be asked for; an unknown or direct one is refused.
		got := a.Do(t, "POST", "/api/v1/statuses/"+id+"/reblog", bobTok, url.Values{"visibility": {"unlisted"}}).Want(t, 200).Map(t)
		if got["visibility"] != "unlisted" {
			t.Fatalf("unlisted boost: %v", got["visibility"])
		}
		other := f.postVis(aliceTok, "another", "public")
		a.Do(t, "POST", "/api/v1/statuses/"+other+"/reblog", bobTok, map[string]any{"visibility": "loud"}).Want(t, 422)
		a.Do(t, "POST", "/api/v1/statuses/"+other+"/reblog", bobTok, map[string]any{"visibility": "direct"}).Want(t, 422)
		// Followers-only posts: their author may boost them, a follower may not.
		private := f.postVis(aliceTok, "followers", "private")
		f.follow(bob, alice)
		f.act(bobTok, private, "reblog", 403)
		if own := f.act(aliceTok, private, "reblog", 200); own["visibility"] != "private" {
			t.Fatalf("author's boost of a followers-only post: %v", own["visibility"])
		}
		// Scopes: boosting is writing statuses.
		f.act(a.Token(t, alice, "write:favourites"), other, "reblog", 403)
		f.act(a.Token(t, alice, "write:statuses"), other, "reblog", 200)
		f.act(a.Token(t, alice, "write:favourites"), other, "unreblog", 403)
		a.Core.Settle(t)
	})
}

func TestPinAndUnpin(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		var posts []string
		for i := range model.MaxPins + 1 {
			posts = append(posts, f.postVis(aliceTok, fmt.Sprint("post ", i), "public"))
		}
		for _, id := range posts[:model.MaxPins] {
			if got := f.act(aliceTok, id, "pin", 200); got["pinned"] != true {
				t.Fatalf("pin: %v", got)
			}
		}
		f.act(aliceTok, posts[0], "pin", 200) // again, at the limit: harmless
		r := a.Do(t, "POST", "/api/v1/statuses/"+posts[model.MaxPins]+"/pin", aliceTok, nil).Want(t, 422)
		if len(r.Map(t)["error"].(string)) == 0 {
			t.Fatalf("limit error: %s", r.Body)
		}
		// Someone else's post: 422 as on Mastodon; unpinning it is nothing to undo.
		f.act(bobTok, posts[0], "pin", 422)
		// pinned is there only on one's own posts, as on Mastodon.
		if got := f.act(bobTok, posts[0], "unpin", 200); got["id"] != posts[0] || got["pinned"] != nil {
			t.Fatalf("bob unpins alice's post: %v", got)
		}
		// Direct posts cannot be pinned.
		direct := f.postVis(aliceTok, "psst @bob", "direct")
		f.act(aliceTok, direct, "pin", 422)
		// Unpin makes room; twice is harmless.
		for range 2 {
			if got := f.act(aliceTok, posts[1], "unpin", 200); got["pinned"] != false {
				t.Fatalf("unpin: %v", got)
			}
		}
		f.act(aliceTok, posts[model.MaxPins], "pin", 200)
		// Scopes: pinning is writing the account.
		f.act(a.Token(t, alice, "write:statuses"), posts[1], "pin", 403)
		f.act(a.Token(t, alice, "write:accounts"), posts[1], "unpin", 200)
	})
}

func TestMuteConversation(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		root := f.postVis(aliceTok, "a thread", "public")
		reply := f.reply(bobTok, root, "an answer")
		for range 2 {
			if got := f.act(aliceTok, reply, "mute", 200); got["muted"] != true {
				t.Fatalf("mute: %v", got)
			}
		}
		// The whole conversation is muted, not only the post.
		if got := a.Do(t, "GET", "/api/v1/statuses/"+root, aliceTok, nil).Want(t, 200).Map(t); got["muted"] != true {
			t.Fatalf("root of a muted conversation: %v", got)
		}
		for range 2 {
			if got := f.act(aliceTok, root, "unmute", 200); got["muted"] != false {
				t.Fatalf("unmute: %v", got)
			}
		}
		f.act(a.Token(t, alice, "write:statuses"), root, "mute", 403)
		f.act(a.Token(t, alice, "write:mutes"), root, "mute", 200)
		f.act(a.Token(t, alice, "follow"), root, "unmute", 200) // the legacy scope grants write:mutes
	})
}

// TestActionsOnHiddenStatus: every endpoint answers 404 for a post the
// caller may not see, never 403, so its existence does not leak.
func TestActionsOnHiddenStatus(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		private := f.postVis(aliceTok, "followers only", "private")
		direct := f.postVis(aliceTok, "to nobody", "direct")
		public := f.postVis(aliceTok, "everyone", "public")
		_, err := a.Service.Block(context.Background(), alice.ID, bob.ID)
		testkit.Must(t, err, "block")
		for _, id := range []string{private, direct, public, "12345"} {
			for _, action := range []string{"favourite", "unfavourite", "reblog", "unreblog", "bookmark", "unbookmark",
				"pin", "unpin", "mute", "unmute"} {
				if r := a.Do(t, "POST", "/api/v1/statuses/"+id+"/"+action, bobTok, nil); r.Status != 404 {
					t.Errorf("%s on a hidden post: %d %s", action, r.Status, r.Body)
				}
			}
			for _, path := range []string{"", "/context", "/history", "/source", "/favourited_by", "/reblogged_by"} {
				if r := a.Do(t, "GET", "/api/v1/statuses/"+id+path, bobTok, nil); r.Status != 404 {
					t.Errorf("GET %s of a hidden post: %d %s", path, r.Status, r.Body)
				}
			}
			if r := a.Do(t, "PUT", "/api/v1/statuses/"+id, bobTok, url.Values{"status": {"x"}}); r.Status != 404 {
				t.Errorf("PUT a hidden post: %d", r.Status)
			}
			if r := a.Do(t, "DELETE", "/api/v1/statuses/"+id, bobTok, nil); r.Status != 404 {
				t.Errorf("DELETE a hidden post: %d", r.Status)
			}
		}
	})
}
