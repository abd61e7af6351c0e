package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestReblogCounts(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		p := f.post(alice, "boost me")
		b, err := f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.must(err, "boost")
		if b.Status.ReblogOfID != p.ID || b.Reblog == nil || b.Reblog.Status.ID != p.ID || !b.Reblog.Reblogged ||
			b.Reblog.Status.ReblogsCount != 1 || b.Status.Visibility != model.Public || b.Account.ID != bob.ID {
			t.Fatalf("boost view %+v", b)
		}
		if n := f.status(p.ID).ReblogsCount; n != 1 {
			t.Fatalf("reblogs_count = %d", n)
		}
		if n := f.account(bob.ID).StatusesCount; n != 1 {
			t.Fatalf("booster's statuses_count = %d, want 1", n)
		}
		again, err := f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.wantErr(err, model.ErrAlready, "second boost")
		if again == nil || again.Status.ID != b.Status.ID {
			t.Fatalf("second boost returned %+v, want the existing boost %d", again, b.Status.ID)
		}
		// Boosting a boost boosts the post.
		cb, err := f.s.Reblog(f.ctx, carol.ID, b.Status.ID, "")
		f.must(err, "boost the boost")
		if cb.Status.ReblogOfID != p.ID || cb.Reblog.Status.ID != p.ID {
			t.Fatalf("boost of a boost targets %d, want the post %d", cb.Status.ReblogOfID, p.ID)
		}
		if n := f.status(p.ID).ReblogsCount; n != 2 {
			t.Fatalf("reblogs_count = %d, want 2", n)
		}
		by, err := f.s.RebloggedBy(f.ctx, alice.ID, p.ID, model.Page{})
		f.must(err, "reblogged by")
		if got := accountNames(by); len(got) != 2 || got[0] != "carol" || got[1] != "bob" {
			t.Fatalf("reblogged by %v, want carol, bob (newest first)", got)
		}
		c.Settle(t)
		f.wantKinds(alice, "reblog:bob", "reblog:carol")

		// Unboost, by the post's ID or by the boost's own ID.
		v, err := f.s.Unreblog(f.ctx, bob.ID, p.ID)
		f.must(err, "unboost")
		if v.Status.ID != p.ID || v.Reblogged || v.Status.ReblogsCount != 1 {
			t.Fatalf("unboost returned %+v, want the post with one boost left", v.Status)
		}
		_, err = f.s.Unreblog(f.ctx, carol.ID, cb.Status.ID)
		f.must(err, "unboost by boost ID")
		_, err = f.s.Unreblog(f.ctx, carol.ID, p.ID)
		f.must(err, "unboost when not boosted")
		if n := f.status(p.ID).ReblogsCount; n != 0 {
			t.Fatalf("reblogs_count after unboosts = %d", n)
		}
		if n := f.account(bob.ID).StatusesCount; n != 0 {
			t.Fatalf("bob's statuses_count after unboost = %d", n)
		}
		_, err = f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.must(err, "boost again after unboost")
	})
}

func TestReblogRules(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		f.follow(bob, alice)
		private := f.postVis(alice, "followers only", model.Private)
		direct := f.postVis(alice, "hi @bob", model.Direct)
		public := f.post(alice, "public")
		_, err := f.s.Reblog(f.ctx, bob.ID, private.ID, "")
		f.wantErr(err, model.ErrForbidden, "boost someone else's followers-only post")
		_, err = f.s.Reblog(f.ctx, bob.ID, direct.ID, "")
		f.wantErr(err, model.ErrForbidden, "boost a direct post")
		_, err = f.s.Reblog(f.ctx, alice.ID, direct.ID, "")
		f.wantErr(err, model.ErrForbidden, "author boosts own direct post")
		own, err := f.s.Reblog(f.ctx, alice.ID, private.ID, "")
		f.must(err, "author boosts own followers-only post")
		if own.Status.Visibility != model.Private {
			t.Fatalf("own boost visibility %s, want private", own.Status.Visibility)
		}
		_, err = f.s.Reblog(f.ctx, bob.ID, public.ID, model.Direct)
		f.wantErr(err, model.ErrInvalid, "direct boost")
		_, err = f.s.Reblog(f.ctx, bob.ID, public.ID, "everyone")
		f.wantErr(err, model.ErrInvalid, "unknown boost visibility")
		nb, err := f.s.Reblog(f.ctx, bob.ID, public.ID, model.Unlisted)
		f.must(err, "unlisted boost of a public post")
		if nb.Status.Visibility != model.Unlisted {
			t.Fatalf("narrowed boost visibility %s", nb.Status.Visibility)
		}
		_, err = f.s.Reblog(f.ctx, bob.ID, 31337, "")
		f.wantErr(err, model.ErrNotFound, "boost a missing post")
		c.Settle(t)
		f.wantKinds(alice, "follow:bob", "reblog:bob")
	})
}

func TestReblogsInHome(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol, dave := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol"), c.QuickAccount(t, "dave")
		f.follow(carol, bob) // sees bob's boosts
		f.follow(carol, alice)
		_, err := f.s.Follow(f.ctx, dave.ID, bob.ID, service.FollowOptions{Reblogs: ptr(false)})
		f.must(err, "dave follows bob without boosts")
		f.follow(alice, bob)
		c.Settle(t)
		if r := f.rel(dave, bob); !r.Following || r.ShowingReblogs {
			t.Fatalf("dave → bob %+v, want following without boosts", r)
		}
		erin := c.QuickAccount(t, "erin")
		old := f.post(erin, "erin's post, carol does not follow her")
		seen := f.post(alice, "alice's post, already in carol's home")
		c.Settle(t)
		b1, err := f.s.Reblog(f.ctx, bob.ID, old.ID, "")
		f.must(err, "bob boosts erin")
		_, err = f.s.Reblog(f.ctx, bob.ID, seen.ID, "")
		f.must(err, "bob boosts alice")
		mine := f.post(bob, "bob's own post")
		c.Settle(t)

		home := f.home(carol, model.Page{})
		f.wantIDs(viewIDs(home.Statuses), []int64{mine.ID, b1.Status.ID, seen.ID}, "carol's home")
		if r := home.Statuses[1].Reblog; r == nil || r.Status.ID != old.ID || r.Account.ID != erin.ID {
			t.Fatalf("boost entry %+v, want erin's post inside", home.Statuses[1])
		}
		f.wantIDs(f.homeIDs(dave), statusIDs(mine), "dave's home (boosts off)")
		// A boost of alice's own post does not come back to her home.
		f.wantIDs(f.homeIDs(alice), []int64{mine.ID, b1.Status.ID, seen.ID}, "alice's home")

		// Switching boosts back on affects new boosts.
		_, err = f.s.Follow(f.ctx, dave.ID, bob.ID, service.FollowOptions{Reblogs: ptr(true)})
		f.must(err, "boosts on")
		late := f.post(erin, "later")
		b3, err := f.s.Reblog(f.ctx, bob.ID, late.ID, "")
		f.must(err, "boost")
		c.Settle(t)
		f.wantIDs(f.homeIDs(dave), []int64{b3.Status.ID, mine.ID}, "dave's home (boosts on)")
	})
}

// A new follow brings the followed account's recent boosts into the home
// timeline; they must not duplicate a post that is there already.
func TestFollowMergeDeduplicatesBoosts(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol, dave := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol"), c.QuickAccount(t, "dave")
		f.follow(dave, alice)
		c.Settle(t)
		p := f.post(alice, "popular")
		for _, who := range []*model.Account{bob, carol} {
			_, err := f.s.Reblog(f.ctx, who.ID, p.ID, "")
			f.must(err, "boost")
		}
		c.Settle(t)
		f.wantIDs(f.homeIDs(dave), statusIDs(p), "dave's home before")
		f.follow(dave, bob)
		f.follow(dave, carol)
		c.Settle(t)
		f.wantIDs(f.homeIDs(dave), statusIDs(p), "dave's home after following two boosters")
	})
}
