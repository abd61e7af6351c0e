package service_test

import (
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestBlock(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		f.follow(alice, bob)
		f.follow(bob, alice)
		f.follow(carol, alice)
		p := f.post(alice, "hi @bob")
		bp := f.post(bob, "bob's")
		_, err := f.s.Favourite(f.ctx, bob.ID, p.ID)
		f.must(err, "like")
		c.Settle(t)
		f.wantKinds(alice, "follow:bob", "follow:carol", "favourite:bob")
		f.wantKinds(bob, "follow:alice", "mention:alice")

		_, err = f.s.Block(f.ctx, alice.ID, alice.ID)
		f.wantErr(err, model.ErrInvalid, "block self")
		r, err := f.s.Block(f.ctx, alice.ID, bob.ID)
		f.must(err, "block")
		if !r.Blocking || r.Following || r.FollowedBy {
			t.Fatalf("after block %+v", r)
		}
		r, err = f.s.Block(f.ctx, alice.ID, bob.ID)
		f.wantErr(err, model.ErrAlready, "block twice")
		if !r.Blocking {
			t.Fatalf("block twice returned %+v", r)
		}
		if r := f.rel(bob, alice); !r.BlockedBy || r.Following || r.FollowedBy {
			t.Fatalf("bob → alice %+v", r)
		}
		c.Settle(t)
		if a := f.account(alice.ID); a.FollowersCount != 1 || a.FollowingCount != 0 {
			t.Fatalf("alice counters %d/%d, want 1 follower (carol), 0 following", a.FollowersCount, a.FollowingCount)
		}
		if b := f.account(bob.ID); b.FollowersCount != 0 || b.FollowingCount != 0 {
			t.Fatalf("bob counters %d/%d", b.FollowersCount, b.FollowingCount)
		}
		f.wantKinds(alice, "follow:carol")
		f.wantKinds(bob)
		f.wantIDs(f.homeIDs(alice), statusIDs(p), "alice's home")
		f.wantIDs(f.homeIDs(bob), statusIDs(bp), "bob's home")
		blocks, err := f.s.Blocks(f.ctx, alice.ID, model.Page{})
		f.must(err, "blocks")
		if got := accountNames(blocks); len(got) != 1 || got[0] != "bob" {
			t.Fatalf("blocks %v", got)
		}
		// While blocked, bob's actions on alice fail or reach nobody.
		_, err = f.s.Favourite(f.ctx, bob.ID, p.ID)
		f.wantErr(err, model.ErrNotFound, "like a blocker's post")
		f.post(bob, "hey @alice")
		c.Settle(t)
		f.wantKinds(alice, "follow:carol")

		r, err = f.s.Unblock(f.ctx, alice.ID, bob.ID)
		f.must(err, "unblock")
		if r.Blocking || r.Following || r.FollowedBy {
			t.Fatalf("after unblock %+v: follows do not come back", r)
		}
		_, err = f.s.Unblock(f.ctx, alice.ID, bob.ID)
		f.must(err, "unblock twice")
		f.follow(bob, alice)
		c.Settle(t)
		f.wantKinds(alice, "follow:carol", "follow:bob")
	})
}

func TestBlockRemovesFollowRequests(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		for _, a := range []*model.Account{alice, bob} {
			_, err := f.s.UpdateProfile(f.ctx, a.ID, service.ProfileUpdate{Locked: ptr(true)})
			f.must(err, "lock")
		}
		f.follow(alice, bob)
		f.follow(bob, alice)
		c.Settle(t)
		f.wantKinds(alice, "follow_request:bob")
		_, err := f.s.Block(f.ctx, bob.ID, alice.ID)
		f.must(err, "block")
		for _, a := range []*model.Account{alice, bob} {
			reqs, err := f.s.FollowRequests(f.ctx, a.ID, model.Page{})
			f.must(err, "requests")
			if len(reqs.Accounts) != 0 {
				t.Fatalf("%s still has requests %v", a.Username, accountNames(reqs))
			}
			f.wantKinds(a)
		}
		if r := f.rel(alice, bob); r.Requested || r.RequestedBy {
			t.Fatalf("requests survive the block: %+v", r)
		}
	})
}

func TestMute(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		f.follow(alice, bob)
		f.follow(alice, carol)
		_, err := f.s.Mute(f.ctx, alice.ID, alice.ID, service.MuteOptions{})
		f.wantErr(err, model.ErrInvalid, "mute self")
		_, err = f.s.Mute(f.ctx, alice.ID, bob.ID, service.MuteOptions{Duration: -time.Second})
		f.wantErr(err, model.ErrInvalid, "negative duration")
		r, err := f.s.Mute(f.ctx, alice.ID, bob.ID, service.MuteOptions{})
		f.must(err, "mute bob")
		if !r.Muting || !r.MutingNotifications || r.MuteExpiresAt != nil || !r.Following {
			t.Fatalf("after mute %+v", r)
		}
		r, err = f.s.Mute(f.ctx, alice.ID, carol.ID, service.MuteOptions{HideNotifications: ptr(false)})
		f.must(err, "mute carol, notifications on")
		if !r.Muting || r.MutingNotifications {
			t.Fatalf("after mute without notifications %+v", r)
		}
		if r := f.rel(bob, alice); r.Muting {
			t.Fatal("a mute shows to the muted account")
		}
		p := f.post(alice, "post")
		bp := f.post(bob, "muted @alice")
		f.post(carol, "muted too @alice")
		for _, who := range []*model.Account{bob, carol} {
			_, err = f.s.Favourite(f.ctx, who.ID, p.ID)
			f.must(err, "like")
		}
		c.Settle(t)
		f.wantIDs(f.homeIDs(alice), statusIDs(p), "alice's home hides muted accounts")
		f.wantIDs(f.publicIDs(alice.ID), statusIDs(p), "alice's public timeline hides muted accounts")
		f.wantIDs(f.accountIDs(alice.ID, bob, service.AccountTimelineOptions{}), statusIDs(bp), "a muted profile still shows")
		f.wantKinds(alice, "mention:carol", "favourite:carol")
		mutes, err := f.s.Mutes(f.ctx, alice.ID, model.Page{})
		f.must(err, "mutes")
		if len(mutes.Accounts) != 2 {
			t.Fatalf("mutes %v", accountNames(mutes))
		}

		r, err = f.s.Unmute(f.ctx, alice.ID, bob.ID)
		f.must(err, "unmute")
		if r.Muting || !r.Following {
			t.Fatalf("after unmute %+v", r)
		}
		_, err = f.s.Unmute(f.ctx, alice.ID, bob.ID)
		f.must(err, "unmute twice")
		f.wantIDs(f.homeIDs(alice), statusIDs(bp, p), "alice's home after unmuting bob")
	})
}

func TestMuteExpiry(t *testing.T) {
	t.Parallel()
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			clock := testkit.NewClock()
			c := testkit.NewCoreWith(t, d, func(deps *service.Deps) { deps.Now = clock.Now })
			f := newFx(t, c)
			alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
			f.follow(alice, bob)
			bp := f.post(bob, "bob's")
			c.Settle(t)
			r, err := f.s.Mute(f.ctx, alice.ID, bob.ID, service.MuteOptions{Duration: time.Hour})
			f.must(err, "mute for an hour")
			if !r.Muting || r.MuteExpiresAt == nil || !r.MuteExpiresAt.Equal(clock.Now().Truncate(time.Millisecond).Add(time.Hour)) {
				t.Fatalf("timed mute %+v", r)
			}
			f.wantIDs(f.homeIDs(alice), nil, "home while muted")
			_, err = f.s.Favourite(f.ctx, bob.ID, f.post(alice, "mine").ID)
			f.must(err, "like while muted")
			c.Settle(t)
			f.wantKinds(alice)

			clock.Advance(59 * time.Minute)
			if !f.rel(alice, bob).Muting {
				t.Fatal("mute ended early")
			}
			clock.Advance(2 * time.Minute)
			if r := f.rel(alice, bob); r.Muting {
				t.Fatalf("mute outlived its time: %+v", r)
			}
			if got := f.homeIDs(alice); len(got) != 2 || got[1] != bp.ID {
				t.Fatalf("home after the mute ran out = %v, want bob's post back", got)
			}
			mutes, err := f.s.Mutes(f.ctx, alice.ID, model.Page{})
			f.must(err, "mutes")
			if len(mutes.Accounts) != 0 {
				t.Fatalf("expired mute still listed: %v", accountNames(mutes))
			}
			f.must(f.s.RunHousekeeping(f.ctx, service.HousekeepingArgs{}), "expire mutes")
			if got, err := c.Store.Read().Mute(f.ctx, alice.ID, bob.ID, time.Time{}); err == nil {
				t.Fatalf("expired mute row kept: %+v", got)
			}
			// A forever mute is left alone.
			_, err = f.s.Mute(f.ctx, alice.ID, bob.ID, service.MuteOptions{})
			f.must(err, "mute forever")
			clock.Advance(24 * 365 * time.Hour)
			f.must(f.s.RunHousekeeping(f.ctx, service.HousekeepingArgs{}), "expire mutes")
			if !f.rel(alice, bob).Muting {
				t.Fatal("a mute without duration expired")
			}
		})
	}
}
