package mastodon_test

import (
	"net/url"
	"slices"
	"testing"

	"weft/internal/model"
	"weft/internal/testkit"
)

func TestListTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		bob, bobTok := f.user("bob")
		carol, carolTok := f.user("carol")
		dave, daveTok := f.user("dave")
		_, eveTok := f.user("eve")
		for _, b := range []*model.Account{bob, carol, dave} {
			f.follow(alice, b)
		}
		a.Settle(t)
		old := f.postVis(bobTok, "before the list", "public")
		oldPrivate := f.postVis(bobTok, "followers only", "private")
		carolPost := f.postVis(carolTok, "carol here", "public")
		alicePost := f.postVis(tok, "alice here", "public")
		a.Settle(t)

		id := a.Do(t, "POST", "/api/v1/lists", tok, url.Values{"title": {"Bob"}}).Want(t, 200).Map(t)["id"].(string)
		a.Do(t, "POST", "/api/v1/lists/"+id+"/accounts", tok, url.Values{"account_ids[]": {tlStr(bob.ID)}}).Want(t, 200)
		timeline := "/api/v1/timelines/list/" + id
		// Adding a member brings their recent posts in, followers-only ones included.
		tlWant(t, "merged on add", f.ids(timeline, tok), oldPrivate, old)

		b1 := f.postVis(bobTok, "new post", "public")
		f.postVis(daveTok, "not a member", "public")
		f.postVis(bobTok, "psst @carol", "direct")
		toAlice := f.postVis(bobTok, "hi @alice", "direct")
		replyCarol := f.post(bobTok, url.Values{"status": {"@carol yes"}, "in_reply_to_id": {carolPost}})
		replyAlice := f.post(bobTok, url.Values{"status": {"@alice sure"}, "in_reply_to_id": {alicePost}})
		a.Settle(t)
		// Replies to non-members stay out (replies_policy "list"); replies to
		// the owner come in; direct posts never do, not even to the owner.
		tlWant(t, "list timeline", f.ids(timeline, tok), replyAlice, b1, oldPrivate, old)
		if home := f.ids("/api/v1/timelines/home", tok); !slices.Contains(home, toAlice) || !slices.Contains(home, replyCarol) {
			t.Fatalf("home timeline misses the direct post or the reply: %v", home)
		}

		a.Do(t, "PUT", "/api/v1/lists/"+id, tok, url.Values{"replies_policy": {"followed"}}).Want(t, 200)
		replyFollowed := f.post(bobTok, url.Values{"status": {"@carol again"}, "in_reply_to_id": {carolPost}})
		a.Settle(t)
		a.Do(t, "PUT", "/api/v1/lists/"+id, tok, url.Values{"replies_policy": {"none"}}).Want(t, 200)
		f.post(bobTok, url.Values{"status": {"@carol once more"}, "in_reply_to_id": {carolPost}})
		replyOwner := f.post(bobTok, url.Values{"status": {"@alice hey"}, "in_reply_to_id": {alicePost}})
		// A member's boost comes in too.
		davePost := f.postVis(daveTok, "dave's", "public")
		a.Settle(t)
		boost, err := a.Service.Reblog(t.Context(), bob.ID, tlID(t, davePost), model.Public)
		testkit.Must(t, err, "boost")
		boostID := tlStr(boost.Status.ID)
		a.Settle(t)
		tlWant(t, "after policy changes", f.ids(timeline+"?limit=4", tok), boostID, replyOwner, replyFollowed, replyAlice)

		// Pagination.
		r := f.get(timeline+"?limit=2", tok, 200)
		next, prev := tlLinks(t, r)
		tlWant(t, "page 2", f.ids(next, tok), replyFollowed, replyAlice)
		tlWant(t, "newer", f.ids(prev, tok))

		// Exclusive: the member's new posts stay out of the home timeline.
		a.Do(t, "PUT", "/api/v1/lists/"+id, tok, url.Values{"exclusive": {"true"}}).Want(t, 200)
		excl := f.postVis(bobTok, "only in the list", "public")
		other := f.postVis(daveTok, "dave again", "public")
		a.Settle(t)
		if home := f.ids("/api/v1/timelines/home", tok); slices.Contains(home, excl) || !slices.Contains(home, other) {
			t.Fatalf("exclusive list: home %v should have %s and not %s", home, other, excl)
		}
		if got := f.ids(timeline+"?limit=1", tok); !slices.Equal(got, []string{excl}) {
			t.Fatalf("exclusive list timeline: %v, want %s", got, excl)
		}

		// Only the owner reads it; scopes.
		f.get(timeline, eveTok, 404)
		f.get(timeline, "", 401)
		f.get(timeline, a.Token(t, alice, "read:statuses"), 403)
		f.get(timeline, a.Token(t, alice, "read:lists"), 200)
		f.get("/api/v1/timelines/list/404", tok, 404)

		// A member removed, or unfollowed, leaves the timeline with their posts.
		a.Do(t, "DELETE", "/api/v1/lists/"+id+"/accounts", tok, url.Values{"account_ids[]": {tlStr(bob.ID)}}).Want(t, 200)
		tlWant(t, "after removal", f.ids(timeline, tok))
		a.Do(t, "POST", "/api/v1/lists/"+id+"/accounts", tok, url.Values{"account_ids[]": {tlStr(bob.ID)}}).Want(t, 200)
		if len(f.ids(timeline, tok)) == 0 {
			t.Fatal("re-added member brought nothing back")
		}
		_, err = a.Service.Unfollow(t.Context(), alice.ID, bob.ID)
		testkit.Must(t, err, "unfollow")
		a.Settle(t)
		tlWant(t, "after unfollow", f.ids(timeline, tok))
	})
}
