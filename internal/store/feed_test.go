package store_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

// feed inserts a home timeline entry for s and reports whether it was added.
func (f *fx) feed(owner *model.Account, s *model.Status, window int) bool {
	f.t.Helper()
	e := store.FeedEntry{AccountID: owner.ID, EntryID: s.ID, ObjectID: s.ID, AuthorID: s.AccountID}
	if s.ReblogOfID != 0 {
		e.ObjectID = s.ReblogOfID
	}
	var added bool
	f.tx(func(tx *store.Tx) (err error) {
		added, err = tx.InsertFeedEntry(f.ctx, e, window)
		return err
	})
	return added
}

func (f *fx) home(owner *model.Account) []int64 {
	f.t.Helper()
	list, err := f.q.HomeTimeline(f.ctx, owner.ID, model.Page{Limit: 40}, nowMS())
	ok(f.t, err)
	return statusIDs(list)
}

func TestFeedBoostDedup(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, alice, bob, carol := f.account("me"), f.account("alice"), f.account("bob"), f.account("carol")
		const window = 3
		post := f.status(alice)
		if !f.feed(me, post, window) {
			t.Fatal("post not added")
		}
		if f.feed(me, post, window) {
			t.Fatal("the same entry added twice")
		}
		// The post is among the newest 3: a boost of it is skipped.
		b1 := f.boost(bob, post)
		if f.feed(me, b1, window) {
			t.Fatal("boost of a post on the page added")
		}
		// Push the post out of the window; a boost of it is added then.
		var fill []int64
		for range window {
			s := f.status(carol)
			f.feed(me, s, window)
			fill = append(fill, s.ID)
		}
		b2 := f.boost(carol, post)
		if !f.feed(me, b2, window) {
			t.Fatal("boost of a post outside the window skipped")
		}
		// Now the boost is in the window: another boost is skipped.
		b3 := f.boost(me, post)
		if f.feed(me, b3, window) {
			t.Fatal("second boost of a post whose boost is on the page added")
		}
		// Without a window every boost goes in; other timelines are separate.
		if !f.feed(me, b1, 0) || !f.feed(alice, b3, window) {
			t.Fatal("boost skipped without a window or in another timeline")
		}
		want := append([]int64{b2.ID}, desc(fill)...)
		same(t, "home timeline", f.home(me), append(want, b1.ID, post.ID))
		same(t, "alice's home timeline", f.home(alice), []int64{b3.ID})
	})
}

func TestFeedRemovals(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, you, alice, bob := f.account("me"), f.account("you"), f.account("alice"), f.account("bob")
		pa, pb := f.status(alice), f.status(bob)
		boost := f.boost(bob, pa)
		for _, owner := range []*model.Account{me, you} {
			for _, s := range []*model.Status{pa, pb, boost} {
				f.feed(owner, s, 0)
			}
		}
		// Unfollowing bob removes his post and his boost from my timeline only.
		f.tx(func(tx *store.Tx) error { return tx.DeleteFeedAuthor(f.ctx, me.ID, bob.ID) })
		same(t, "me after removing bob", f.home(me), []int64{pa.ID})
		same(t, "you", f.home(you), []int64{boost.ID, pb.ID, pa.ID})
		// Removing a post removes it and its boosts everywhere.
		f.tx(func(tx *store.Tx) error { return tx.DeleteFeedObject(f.ctx, pa.ID) })
		same(t, "me after removing the post", f.home(me), []int64{})
		same(t, "you after removing the post", f.home(you), []int64{pb.ID})
	})
}
