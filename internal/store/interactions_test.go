package store_test

import (
	"context"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestPairs(t *testing.T) {
	t.Parallel()
	type pairOps struct {
		insert func(tx *store.Tx, ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error)
		del    func(tx *store.Tx, ctx context.Context, accountID, statusID int64) (bool, error)
		flag   func(store.ViewerFlags) map[int64]bool
	}
	kinds := map[string]pairOps{
		"favourite": {(*store.Tx).InsertFavourite, (*store.Tx).DeleteFavourite, func(v store.ViewerFlags) map[int64]bool { return v.Favourited }},
		"bookmark":  {(*store.Tx).InsertBookmark, (*store.Tx).DeleteBookmark, func(v store.ViewerFlags) map[int64]bool { return v.Bookmarked }},
		"pin":       {(*store.Tx).InsertPin, (*store.Tx).DeletePin, func(v store.ViewerFlags) map[int64]bool { return v.Pinned }},
	}
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		post := f.status(alice)
		for name, k := range kinds {
			t.Run(name, func(t *testing.T) {
				flags := func(viewer *model.Account) map[int64]bool {
					v, err := f.q.ViewerFlagsFor(f.ctx, viewer.ID, []*model.Status{post})
					ok(t, err)
					return k.flag(v)
				}
				f.tx(func(tx *store.Tx) error {
					added, err := k.insert(tx, f.ctx, ids.Next(), bob.ID, post.ID, nowMS())
					yes(t, true, added, err)
					added, err = k.insert(tx, f.ctx, ids.Next(), bob.ID, post.ID, nowMS())
					yes(t, false, added, err)
					return nil
				})
				if !flags(bob)[post.ID] || flags(alice)[post.ID] {
					t.Fatalf("flags: bob %v, alice %v", flags(bob), flags(alice))
				}
				f.tx(func(tx *store.Tx) error {
					removed, err := k.del(tx, f.ctx, alice.ID, post.ID)
					yes(t, false, removed, err)
					removed, err = k.del(tx, f.ctx, bob.ID, post.ID)
					yes(t, true, removed, err)
					removed, err = k.del(tx, f.ctx, bob.ID, post.ID)
					yes(t, false, removed, err)
					return nil
				})
				if flags(bob)[post.ID] {
					t.Fatal("flag still set after delete")
				}
			})
		}
	})
}

func TestPins(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		p1, p2, p3 := f.status(alice), f.status(alice), f.status(alice)
		// Pinned in the order p2, p3, p1: listed newest pin first.
		for _, p := range []*model.Status{p2, p3, p1} {
			f.tx(func(tx *store.Tx) error {
				_, err := tx.InsertPin(f.ctx, ids.Next(), alice.ID, p.ID, nowMS())
				return err
			})
		}
		f.tx(func(tx *store.Tx) error {
			_, err := tx.InsertPin(f.ctx, ids.Next(), bob.ID, p1.ID, nowMS())
			return err
		})
		n, err := f.q.PinCount(f.ctx, alice.ID)
		ok(t, err)
		if n != 3 {
			t.Fatalf("PinCount = %d", n)
		}
		pinned, err := f.q.PinnedStatusIDs(f.ctx, alice.ID)
		ok(t, err)
		same(t, "pinned", pinned, []int64{p1.ID, p3.ID, p2.ID})
		f.tx(func(tx *store.Tx) error { _, err := tx.DeletePin(f.ctx, alice.ID, p3.ID); return err })
		if n, _ := f.q.PinCount(f.ctx, alice.ID); n != 2 {
			t.Fatalf("PinCount after unpin = %d", n)
		}
		if n, _ := f.q.PinCount(f.ctx, f.account("carol").ID); n != 0 {
			t.Fatalf("PinCount of nobody = %d", n)
		}
	})
}

func TestConversationMutesAndViewerFlags(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, alice := f.account("me"), f.account("alice")
		root := f.status(alice)
		reply := f.status(alice, replyTo(root))
		other := f.status(alice)
		f.tx(func(tx *store.Tx) error {
			muted, err := tx.MuteConversation(f.ctx, me.ID, root.ConversationID)
			yes(t, true, muted, err)
			muted, err = tx.MuteConversation(f.ctx, me.ID, root.ConversationID)
			yes(t, false, muted, err)
			return nil
		})
		for _, c := range []struct {
			who  *model.Account
			conv int64
			want bool
		}{{me, root.ConversationID, true}, {me, other.ConversationID, false}, {alice, root.ConversationID, false}} {
			got, err := f.q.ConversationMuted(f.ctx, c.who.ID, c.conv)
			ok(t, err)
			if got != c.want {
				t.Errorf("ConversationMuted(%s, %d) = %v", c.who.Username, c.conv, got)
			}
		}

		boost := f.boost(me, reply)
		f.tx(func(tx *store.Tx) error {
			if _, err := tx.InsertFavourite(f.ctx, ids.Next(), me.ID, root.ID, nowMS()); err != nil {
				return err
			}
			if _, err := tx.InsertBookmark(f.ctx, ids.Next(), me.ID, other.ID, nowMS()); err != nil {
				return err
			}
			_, err := tx.InsertPin(f.ctx, ids.Next(), alice.ID, other.ID, nowMS()) // alice's pin, not mine
			return err
		})
		list := []*model.Status{root, reply, other, boost}
		v, err := f.q.ViewerFlagsFor(f.ctx, me.ID, list)
		ok(t, err)
		same(t, "favourited", v.Favourited, map[int64]bool{root.ID: true})
		same(t, "reblogged", v.Reblogged, map[int64]bool{reply.ID: true})
		same(t, "bookmarked", v.Bookmarked, map[int64]bool{other.ID: true})
		same(t, "pinned", v.Pinned, map[int64]bool{})
		same(t, "muted", v.Muted, map[int64]bool{root.ID: true, reply.ID: true, boost.ID: true})

		v, err = f.q.ViewerFlagsFor(f.ctx, alice.ID, list)
		ok(t, err)
		same(t, "alice pinned", v.Pinned, map[int64]bool{other.ID: true})

		// Anonymous viewers and empty lists get empty, usable maps.
		for _, c := range []struct {
			viewer int64
			list   []*model.Status
		}{{0, list}, {me.ID, nil}} {
			v, err := f.q.ViewerFlagsFor(f.ctx, c.viewer, c.list)
			ok(t, err)
			if v.Favourited == nil || v.Reblogged == nil || v.Bookmarked == nil || v.Pinned == nil || v.Muted == nil ||
				len(v.Favourited)+len(v.Reblogged)+len(v.Bookmarked)+len(v.Pinned)+len(v.Muted) != 0 {
				t.Fatalf("ViewerFlagsFor(%d, %d statuses) = %+v", c.viewer, len(c.list), v)
			}
		}
		// A status without a conversation (zero) still gets its flags.
		noConv := f.status(alice, func(s *model.Status) { s.ConversationID = 0 })
		f.tx(func(tx *store.Tx) error {
			_, err := tx.InsertFavourite(f.ctx, ids.Next(), me.ID, noConv.ID, nowMS())
			return err
		})
		v, err = f.q.ViewerFlagsFor(f.ctx, me.ID, []*model.Status{noConv})
		ok(t, err)
		same(t, "favourited without conversation", v.Favourited, map[int64]bool{noConv.ID: true})

		f.tx(func(tx *store.Tx) error {
			unmuted, err := tx.UnmuteConversation(f.ctx, me.ID, root.ConversationID)
			yes(t, true, unmuted, err)
			unmuted, err = tx.UnmuteConversation(f.ctx, me.ID, root.ConversationID)
			yes(t, false, unmuted, err)
			return nil
		})
		if muted, _ := f.q.ConversationMuted(f.ctx, me.ID, root.ConversationID); muted {
			t.Fatal("still muted")
		}
	})
}
