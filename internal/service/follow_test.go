package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestFollow(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		_, err := f.s.Follow(f.ctx, alice.ID, alice.ID, service.FollowOptions{})
		f.wantErr(err, model.ErrInvalid, "follow self")
		_, err = f.s.Follow(f.ctx, alice.ID, 777, service.FollowOptions{})
		f.wantErr(err, model.ErrNotFound, "follow a missing account")

		r, err := f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{})
		f.must(err, "follow")
		if !r.Following || !r.ShowingReblogs || r.Notifying || r.Requested || r.ID != alice.ID {
			t.Fatalf("relationship after follow %+v", r)
		}
		f.follow(carol, alice)
		f.follow(alice, bob)
		if r := f.rel(alice, bob); !r.Following || !r.FollowedBy {
			t.Fatalf("mutual follow %+v", r)
		}
		// Following again changes only the options given, and counts once.
		r, err = f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{Notify: ptr(true)})
		f.must(err, "follow again with notify")
		if !r.Following || !r.Notifying || !r.ShowingReblogs {
			t.Fatalf("after notify on %+v", r)
		}
		r, err = f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{Reblogs: ptr(false)})
		f.must(err, "follow again without boosts")
		if !r.Notifying || r.ShowingReblogs {
			t.Fatalf("after boosts off %+v, want notify kept", r)
		}
		if a := f.account(alice.ID); a.FollowersCount != 2 || a.FollowingCount != 1 {
			t.Fatalf("alice counters %d/%d, want 2 followers, 1 following", a.FollowersCount, a.FollowingCount)
		}
		if b := f.account(bob.ID); b.FollowersCount != 1 || b.FollowingCount != 1 {
			t.Fatalf("bob counters %d/%d", b.FollowersCount, b.FollowingCount)
		}
		followers, err := f.s.Followers(f.ctx, 0, alice.ID, model.Page{})
		f.must(err, "followers")
		following, err := f.s.Following(f.ctx, 0, bob.ID, model.Page{})
		f.must(err, "following")
		if got := accountNames(followers); len(got) != 2 || got[0] != "carol" || got[1] != "bob" {
			t.Fatalf("alice's followers %v, want carol, bob", got)
		}
		if got := accountNames(following); len(got) != 1 || got[0] != "alice" {
			t.Fatalf("bob follows %v", got)
		}

		p := f.post(alice, "bob asked to be told")
		c.Settle(t)
		f.wantKinds(alice, "follow:bob", "follow:carol")
		f.wantKinds(bob, "follow:alice", "status:alice")
		f.wantKinds(carol)
		if n := f.notes(bob, service.NotificationFilter{Types: []model.NotificationType{model.NotifyStatus}}); n[0].Status.Status.ID != p.ID {
			t.Fatalf("status notification about %d", n[0].Status.Status.ID)
		}

		r, err = f.s.Unfollow(f.ctx, bob.ID, alice.ID)
		f.must(err, "unfollow")
		if r.Following || !r.FollowedBy {
			t.Fatalf("after unfollow %+v", r)
		}
		_, err = f.s.Unfollow(f.ctx, bob.ID, alice.ID)
		f.must(err, "unfollow twice")
		if a := f.account(alice.ID); a.FollowersCount != 1 {
			t.Fatalf("alice's followers_count after unfollow = %d", a.FollowersCount)
		}
		if b := f.account(bob.ID); b.FollowingCount != 0 {
			t.Fatalf("bob's following_count after unfollow = %d", b.FollowingCount)
		}
	})
}

func TestFollowHomeMerge(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		p1 := f.post(alice, "one")
		p2 := f.postVis(alice, "followers only", model.Private)
		other := f.post(carol, "carol's")
		f.reply(alice, other, "reply to carol") // not merged: bob does not follow carol
		thread := f.reply(alice, p1, "self-reply")
		f.postVis(alice, "direct to carol @carol", model.Direct)
		own := f.post(bob, "bob's own")
		f.wantIDs(f.homeIDs(bob), statusIDs(own), "bob's home before")

		f.follow(bob, alice)
		c.Settle(t)
		f.wantIDs(f.homeIDs(bob), statusIDs(own, thread, p2, p1), "bob's home after following")

		fresh := f.post(alice, "after the follow")
		f.reply(alice, other, "another reply to carol, whom bob does not follow")
		toBob := f.reply(alice, own, "a reply to bob reaches him")
		c.Settle(t)
		f.wantIDs(f.homeIDs(bob), statusIDs(toBob, fresh, own, thread, p2, p1), "bob's home with new posts")

		_, err := f.s.Unfollow(f.ctx, bob.ID, alice.ID)
		f.must(err, "unfollow")
		c.Settle(t)
		f.wantIDs(f.homeIDs(bob), statusIDs(own), "bob's home after unfollowing (replies to him included)")
		// Posting after the unfollow does not reach bob.
		f.post(alice, "bob is gone")
		c.Settle(t)
		f.wantIDs(f.homeIDs(bob), statusIDs(own), "bob's home later")
	})
}

func TestFollowLockedAccount(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		_, err := f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Locked: ptr(true)})
		f.must(err, "lock")
		secret := f.postVis(alice, "for followers", model.Private)

		r, err := f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{})
		f.must(err, "request")
		if r.Following || !r.Requested {
			t.Fatalf("after request %+v", r)
		}
		_, err = f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{})
		f.must(err, "request twice")
		f.follow(carol, alice)
		c.Settle(t)
		if r := f.rel(alice, bob); !r.RequestedBy || r.FollowedBy {
			t.Fatalf("alice → bob %+v, want requested by", r)
		}
		reqs, err := f.s.FollowRequests(f.ctx, alice.ID, model.Page{})
		f.must(err, "requests")
		if got := accountNames(reqs); len(got) != 2 || got[0] != "carol" || got[1] != "bob" {
			t.Fatalf("requests %v", got)
		}
		f.wantKinds(alice, "follow_request:bob", "follow_request:carol")
		if a := f.account(alice.ID); a.FollowersCount != 0 {
			t.Fatalf("requests counted as followers: %d", a.FollowersCount)
		}
		_, err = f.s.Status(f.ctx, bob.ID, secret.ID)
		f.wantErr(err, model.ErrNotFound, "followers-only post before authorization")

		r, err = f.s.AuthorizeFollowRequest(f.ctx, alice.ID, bob.ID)
		f.must(err, "authorize")
		if !r.FollowedBy || r.RequestedBy {
			t.Fatalf("alice → bob after authorize %+v", r)
		}
		r, err = f.s.RejectFollowRequest(f.ctx, alice.ID, carol.ID)
		f.must(err, "reject")
		if r.FollowedBy || r.RequestedBy {
			t.Fatalf("alice → carol after reject %+v", r)
		}
		_, err = f.s.RejectFollowRequest(f.ctx, alice.ID, carol.ID)
		f.wantErr(err, model.ErrNotFound, "reject twice")
		_, err = f.s.AuthorizeFollowRequest(f.ctx, alice.ID, carol.ID)
		f.wantErr(err, model.ErrNotFound, "authorize a rejected request")
		c.Settle(t)
		if r := f.rel(bob, alice); !r.Following || r.Requested {
			t.Fatalf("bob → alice %+v", r)
		}
		if r := f.rel(carol, alice); r.Following || r.Requested {
			t.Fatalf("carol → alice %+v", r)
		}
		f.wantKinds(alice) // answered requests leave no notification
		if a := f.account(alice.ID); a.FollowersCount != 1 {
			t.Fatalf("followers_count = %d", a.FollowersCount)
		}
		_, err = f.s.Status(f.ctx, bob.ID, secret.ID)
		f.must(err, "followers-only post after authorization")
		f.wantIDs(f.homeIDs(bob), statusIDs(secret), "bob's home after authorization")

		// Withdrawing a request.
		dave := c.QuickAccount(t, "dave")
		f.follow(dave, alice)
		r, err = f.s.Unfollow(f.ctx, dave.ID, alice.ID)
		f.must(err, "withdraw")
		if r.Requested || r.Following {
			t.Fatalf("after withdrawing %+v", r)
		}
	})
}

func TestFollowGoneOrBlocked(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		_, err := f.s.Block(f.ctx, alice.ID, bob.ID)
		f.must(err, "block")
		_, err = f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{})
		f.wantErr(err, model.ErrForbidden, "follow someone who blocks you")
		_, err = f.s.Follow(f.ctx, alice.ID, bob.ID, service.FollowOptions{})
		f.wantErr(err, model.ErrForbidden, "follow someone you block")
		f.must(f.s.SuspendAccount(f.ctx, carol.ID), "suspend carol")
		_, err = f.s.Follow(f.ctx, alice.ID, carol.ID, service.FollowOptions{})
		f.wantErr(err, model.ErrNotFound, "follow a suspended account")
		_, err = f.s.Follow(f.ctx, carol.ID, alice.ID, service.FollowOptions{})
		f.wantErr(err, model.ErrSuspended, "a suspended account follows")
	})
}
