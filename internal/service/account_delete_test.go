package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.User(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		f.follow(alice, bob)
		f.follow(carol, alice)
		f.follow(bob, alice)
		f.follow(carol, bob)
		c.Settle(t)
		ap := f.post(alice, "alice's post @carol")
		bp := f.post(bob, "bob's post")
		reply := f.reply(carol, ap, "carol answers")
		c.Settle(t) // the posts are in the home timelines before the boosts come
		_, err := f.s.Favourite(f.ctx, alice.ID, bp.ID)
		f.must(err, "alice likes")
		_, err = f.s.Reblog(f.ctx, alice.ID, bp.ID, "")
		f.must(err, "alice boosts")
		_, err = f.s.Favourite(f.ctx, carol.ID, ap.ID)
		f.must(err, "carol likes alice's post")
		_, err = f.s.Bookmark(f.ctx, carol.ID, ap.ID)
		f.must(err, "carol bookmarks")
		_, err = f.s.Mute(f.ctx, bob.ID, alice.ID, service.MuteOptions{HideNotifications: ptr(false)})
		f.must(err, "bob mutes alice")
		c.Settle(t)
		_, err = f.s.Reblog(f.ctx, carol.ID, ap.ID, "") // after the fan-out: not in her home twice
		f.must(err, "carol boosts alice's post")
		c.Settle(t)
		if got := f.homeIDs(carol); len(got) != 3 {
			t.Fatalf("carol's home before = %v", got)
		}
		if b := f.status(bp.ID); b.FavouritesCount != 1 || b.ReblogsCount != 1 {
			t.Fatalf("bob's post counters before %d/%d", b.FavouritesCount, b.ReblogsCount)
		}

		// A boost of her own post: it goes with the post, before the
		// deletion reaches it (which then must not fail on it).
		_, err = f.s.Reblog(f.ctx, alice.ID, ap.ID, "")
		f.must(err, "alice boosts her own post")
		c.Settle(t)

		f.must(f.s.DeleteAccount(f.ctx, alice.ID), "delete alice")
		// At once: no sign-in, hidden everywhere.
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword})
		f.wantErr(err, model.ErrUnauthorized, "deleted account signs in")
		_, err = f.s.Account(f.ctx, bob.ID, alice.ID)
		f.wantErr(err, model.ErrNotFound, "deleted account's profile")
		_, err = f.s.CreatePost(f.ctx, alice.ID, service.PostInput{Text: "ghost"})
		f.wantErr(err, model.ErrSuspended, "deleted account posts")
		f.wantErr(f.s.DeleteAccount(f.ctx, alice.ID), model.ErrAlready, "delete twice")
		c.Settle(t)

		f.wantIDs(f.homeIDs(carol), statusIDs(reply, bp), "carol's home after")
		f.wantIDs(f.homeIDs(bob), statusIDs(bp), "bob's home after")
		f.wantIDs(f.publicIDs(0), statusIDs(bp), "public after")
		_, err = f.s.AccountTimeline(f.ctx, carol.ID, alice.ID, service.AccountTimelineOptions{}, model.Page{})
		f.wantErr(err, model.ErrNotFound, "deleted account's timeline")
		cx, err := f.s.StatusContext(f.ctx, carol.ID, reply.ID)
		f.must(err, "context of a reply to a deleted post")
		f.wantIDs(viewIDs(cx.Ancestors), nil, "ancestors of the orphaned reply")
		for _, list := range []func() (service.Timeline, error){
			func() (service.Timeline, error) { return f.s.Bookmarks(f.ctx, carol.ID, model.Page{}) },
			func() (service.Timeline, error) { return f.s.Favourites(f.ctx, carol.ID, model.Page{}) },
		} {
			tl, err := list()
			f.must(err, "carol's bookmarks/favourites")
			f.wantIDs(viewIDs(tl.Statuses), nil, "carol's bookmarks/favourites")
		}

		if b := f.status(bp.ID); b.FavouritesCount != 0 || b.ReblogsCount != 0 {
			t.Fatalf("bob's post counters after %d/%d, want 0/0", b.FavouritesCount, b.ReblogsCount)
		}
		if b := f.account(bob.ID); b.FollowersCount != 1 || b.FollowingCount != 0 {
			t.Fatalf("bob counters %d/%d, want 1 follower (carol), following 0", b.FollowersCount, b.FollowingCount)
		}
		if cr := f.account(carol.ID); cr.FollowingCount != 1 || cr.StatusesCount != 1 {
			t.Fatalf("carol's counters: following %d, statuses %d; want 1 (bob) and 1 (her reply; the boost went)",
				cr.FollowingCount, cr.StatusesCount)
		}
		f.wantIDs(f.accountIDs(bob.ID, carol, service.AccountTimelineOptions{}), statusIDs(reply), "carol's profile")
		if a := f.account(alice.ID); a.StatusesCount != 0 || a.FollowersCount != 0 || a.FollowingCount != 0 || a.DeletedAt == nil {
			t.Fatalf("deleted account %+v", a)
		}
		if r := f.rel(bob, alice); r.Following || r.FollowedBy || r.Muting {
			t.Fatalf("bob → deleted alice %+v", r)
		}
		followers, err := f.s.Followers(f.ctx, carol.ID, bob.ID, model.Page{})
		f.must(err, "bob's followers")
		if got := accountNames(followers); len(got) != 1 || got[0] != "carol" {
			t.Fatalf("bob's followers %v", got)
		}
		f.wantKinds(bob, "follow:carol")
		f.wantKinds(carol)

		for _, name := range []string{"alice", "Alice"} {
			_, err = f.s.Register(f.ctx, reg(name, "new-alice@example.com", goodPassword))
			f.wantErr(err, model.ErrConflict, "register the deleted username "+name)
		}
		_, err = f.s.Register(f.ctx, reg("alice2", "alice@weft.test", goodPassword))
		f.must(err, "the deleted account's email is free again")
	})
}

func TestSuspendAccount(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.User(t, "alice"), c.QuickAccount(t, "bob")
		f.follow(bob, alice)
		p := f.post(alice, "before the suspension")
		c.Settle(t)
		f.must(f.s.SuspendAccount(f.ctx, alice.ID), "suspend")
		f.wantErr(f.s.SuspendAccount(f.ctx, alice.ID), model.ErrAlready, "suspend twice")
		f.wantIDs(f.homeIDs(bob), nil, "bob's home while alice is suspended")
		f.wantIDs(f.publicIDs(0), nil, "public while alice is suspended")
		_, err := f.s.Status(f.ctx, bob.ID, p.ID)
		f.wantErr(err, model.ErrNotFound, "suspended account's post")
		_, err = f.s.Account(f.ctx, bob.ID, alice.ID)
		f.wantErr(err, model.ErrNotFound, "suspended account")
		if _, err := f.s.Account(f.ctx, alice.ID, alice.ID); err != nil {
			t.Fatalf("a suspended account cannot see itself: %v", err)
		}
		_, err = f.s.Favourite(f.ctx, alice.ID, p.ID)
		f.wantErr(err, model.ErrSuspended, "suspended account likes")
		_, err = f.s.Follow(f.ctx, alice.ID, bob.ID, service.FollowOptions{})
		f.wantErr(err, model.ErrSuspended, "suspended account follows")
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword})
		f.wantErr(err, model.ErrSuspended, "suspended account signs in")

		f.must(f.s.UnsuspendAccount(f.ctx, alice.ID), "unsuspend")
		f.wantIDs(f.homeIDs(bob), statusIDs(p), "bob's home after unsuspension")
		f.wantIDs(f.publicIDs(0), statusIDs(p), "public after unsuspension")
		if r := f.rel(bob, alice); !r.Following {
			t.Fatalf("suspension broke the follow: %+v", r)
		}

		f.must(f.s.DeleteAccount(f.ctx, bob.ID), "delete bob")
		f.wantErr(f.s.SuspendAccount(f.ctx, bob.ID), model.ErrInvalid, "suspend a deleted account")
		f.wantErr(f.s.UnsuspendAccount(f.ctx, bob.ID), model.ErrInvalid, "unsuspend a deleted account")
		f.wantErr(f.s.SuspendAccount(f.ctx, 5555), model.ErrNotFound, "suspend a missing account")
		c.Settle(t)
	})
}
