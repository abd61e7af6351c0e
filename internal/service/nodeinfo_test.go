package service_test

import (
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// TestNodeInfoUsage counts on real rows: who is a user, who was active in
// each window, which posts count, and how long the cache keeps the counts.
func TestNodeInfoUsage(t *testing.T) {
	t.Parallel()
	var clock *testkit.Clock
	on := func(d *service.Deps) {
		clock = testkit.NewClock()
		d.Now = clock.Now
	}
	testkit.EachCoreWith(t, on, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		day := 24 * time.Hour
		alice, bob, carol, dave := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol"), c.QuickAccount(t, "dave")
		erin, frank, gina := c.QuickAccount(t, "erin"), c.QuickAccount(t, "frank"), c.QuickAccount(t, "gina")
		remoteUser(t, c, clock.Now())

		f.post(carol, "will be 200 days old: outside both windows")
		clock.Advance(100 * day)
		f.post(dave, "will be 100 days old: in the half year only")
		clock.Advance(100 * day)
		p := f.post(alice, "today")
		gone := f.post(alice, "deleted: no longer a post")
		_, err := f.s.DeletePost(f.ctx, alice.ID, gone.ID)
		f.must(err, "delete alice's post")
		_, err = f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.must(err, "bob boosts: active, but a boost is not a post")
		f.post(erin, "by an account suspended next")
		f.must(f.s.SuspendAccount(f.ctx, erin.ID), "suspend erin")
		f.must(f.s.DeleteAccount(f.ctx, frank.ID), "delete frank")
		c.Settle(t)

		// Users: alice, bob, carol, dave, gina. Active in the month: alice
		// (posts) and bob (a boost); in the half year dave too. Posts:
		// carol's, dave's, alice's remaining one and erin's, which stays
		// counted as /api/v1/instance counts it.
		want := service.NodeInfoUsage{Users: 5, ActiveMonth: 2, ActiveHalfyear: 3, LocalPosts: 4}
		got, err := f.s.NodeInfoUsage(f.ctx)
		f.must(err, "count")
		if got != want {
			t.Fatalf("usage %+v, want %+v", got, want)
		}
		cache := f.s.NewNodeInfoCache()
		if got, err := cache.Usage(f.ctx); err != nil || got != want {
			t.Fatalf("first cached usage %+v, %v; want %+v", got, err, want)
		}

		// The cache answers with the old counts for ten minutes.
		f.post(gina, "a new active user")
		c.Settle(t)
		clock.Advance(9 * time.Minute)
		if got, _ := cache.Usage(f.ctx); got != want {
			t.Fatalf("usage within ten minutes %+v, want the cached %+v", got, want)
		}
		fresh := service.NodeInfoUsage{Users: 5, ActiveMonth: 3, ActiveHalfyear: 4, LocalPosts: 5}
		if got, _ := f.s.NodeInfoUsage(f.ctx); got != fresh {
			t.Fatalf("uncached usage %+v, want %+v", got, fresh)
		}
		clock.Advance(2 * time.Minute)
		if got, _ := cache.Usage(f.ctx); got != fresh {
			t.Fatalf("usage after ten minutes %+v, want %+v", got, fresh)
		}

		// A month on, alice, bob and gina have left the month's window but
		// not the half year's; dave's post is now 131 days old.
		clock.Advance(31 * day)
		want = service.NodeInfoUsage{Users: 5, ActiveMonth: 0, ActiveHalfyear: 4, LocalPosts: 5}
		if got, _ := cache.Usage(f.ctx); got != want {
			t.Fatalf("usage a month later %+v, want %+v", got, want)
		}
	})
}

// remoteUser stores an account of another server with a post of today:
// neither is this server's.
func remoteUser(t *testing.T, c *testkit.Core, now time.Time) {
	t.Helper()
	now = now.UTC().Truncate(time.Millisecond)
	ids := id.New(nil)
	a := &model.Account{ID: ids.Next(), Username: "rita", Domain: "remote.example",
		URI: "https://remote.example/users/rita", CreatedAt: now, UpdatedAt: now}
	sid := ids.Next()
	s := &model.Status{ID: sid, AccountID: a.ID, Text: "far away", ContentHTML: "<p>far away</p>",
		Visibility: model.Public, ThreadID: sid, ConversationID: sid,
		URI: "https://remote.example/users/rita/statuses/1", CreatedAt: now}
	testkit.Must(t, c.Store.InTx(t.Context(), func(tx *store.Tx) error {
		if err := tx.InsertAccount(t.Context(), a); err != nil {
			return err
		}
		return tx.InsertStatus(t.Context(), s)
	}), "store a remote account and post")
}
