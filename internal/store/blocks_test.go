package store_test

import (
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestBlocks(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob, carol := f.account("alice"), f.account("bob"), f.account("carol")
		f.tx(func(tx *store.Tx) error {
			added, err := tx.InsertBlock(f.ctx, ids.Next(), alice.ID, bob.ID, "https://weft.test/b/1", nowMS())
			yes(t, true, added, err)
			added, err = tx.InsertBlock(f.ctx, ids.Next(), alice.ID, bob.ID, "", nowMS())
			yes(t, false, added, err)
			return nil
		})
		for _, c := range []struct {
			a, b *model.Account
			want bool
		}{{alice, bob, true}, {bob, alice, true}, {alice, carol, false}, {carol, bob, false}} {
			got, err := f.q.BlockedEitherWay(f.ctx, c.a.ID, c.b.ID)
			ok(t, err)
			if got != c.want {
				t.Errorf("BlockedEitherWay(%s, %s) = %v", c.a.Username, c.b.Username, got)
			}
		}
		f.tx(func(tx *store.Tx) error {
			removed, err := tx.DeleteBlock(f.ctx, bob.ID, alice.ID) // the other direction: nothing
			yes(t, false, removed, err)
			removed, err = tx.DeleteBlock(f.ctx, alice.ID, bob.ID)
			yes(t, true, removed, err)
			return nil
		})
		if got, err := f.q.BlockedEitherWay(f.ctx, alice.ID, bob.ID); err != nil || got {
			t.Fatalf("after unblock: %v, %v", got, err)
		}
	})
}

func TestMutes(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob, carol := f.account("alice"), f.account("bob"), f.account("carol")
		now := nowMS()
		m := &model.Mute{ID: ids.Next(), AccountID: alice.ID, TargetAccountID: bob.ID, HideNotifications: true,
			ExpiresAt: ptr(now.Add(time.Hour)), CreatedAt: now}
		f.tx(func(tx *store.Tx) error { return tx.UpsertMute(f.ctx, m) })
		got, err := f.q.Mute(f.ctx, alice.ID, bob.ID, now)
		ok(t, err)
		if *got.ExpiresAt != *m.ExpiresAt || got.ID != m.ID || !got.HideNotifications || got.CreatedAt != now {
			t.Fatalf("mute: %+v", got)
		}
		// Expired at that moment: not found.
		_, err = f.q.Mute(f.ctx, alice.ID, bob.ID, now.Add(time.Hour))
		isKind(t, err, model.ErrNotFound)

		// Upsert changes options, keeps the row.
		f.tx(func(tx *store.Tx) error {
			return tx.UpsertMute(f.ctx, &model.Mute{ID: ids.Next(), AccountID: alice.ID, TargetAccountID: bob.ID,
				CreatedAt: now.Add(time.Minute)})
		})
		got, err = f.q.Mute(f.ctx, alice.ID, bob.ID, now.Add(24*time.Hour))
		ok(t, err)
		if got.ID != m.ID || got.HideNotifications || got.ExpiresAt != nil || got.CreatedAt != now {
			t.Fatalf("after upsert: %+v", got)
		}

		// Expired mutes are swept; others stay.
		f.mute(alice, carol, ptr(now.Add(-time.Second)))
		f.mute(bob, carol, ptr(now.Add(time.Second)))
		var n int64
		f.tx(func(tx *store.Tx) (err error) { n, err = tx.DeleteExpiredMutes(f.ctx, now); return err })
		if n != 1 {
			t.Fatalf("DeleteExpiredMutes removed %d, want 1", n)
		}
		_, err = f.q.Mute(f.ctx, bob.ID, carol.ID, now)
		ok(t, err)
		_, err = f.q.Mute(f.ctx, alice.ID, bob.ID, now)
		ok(t, err)

		f.tx(func(tx *store.Tx) error {
			removed, err := tx.DeleteMute(f.ctx, alice.ID, bob.ID)
			yes(t, true, removed, err)
			removed, err = tx.DeleteMute(f.ctx, alice.ID, bob.ID)
			yes(t, false, removed, err)
			return nil
		})
		_, err = f.q.Mute(f.ctx, alice.ID, bob.ID, now)
		isKind(t, err, model.ErrNotFound)
	})
}

func TestBlockAndMuteLists(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		others := f.accounts("u", 10)
		var blocks, mutes []int64
		accountOf := map[int64]int64{}
		for _, o := range others {
			b, m := f.block(me, o), f.mute(me, o, ptr(nowMS().Add(time.Hour)))
			blocks, mutes = append(blocks, b), append(mutes, m)
			accountOf[b], accountOf[m] = o.ID, o.ID
			f.block(o, me) // the other direction is not in my lists
		}
		t.Run("blocks", func(t *testing.T) {
			checkPaging(t, blocks, pageRows(accountOf, func(p model.Page) (store.AccountPage, error) { return f.q.Blocks(f.ctx, me.ID, p) }))
		})
		t.Run("mutes", func(t *testing.T) {
			checkPaging(t, mutes, pageRows(accountOf, func(p model.Page) (store.AccountPage, error) { return f.q.Mutes(f.ctx, me.ID, p) }))
		})

		// An expired mute is not listed, before the sweep too.
		late := f.account("late")
		f.mute(me, late, ptr(nowMS().Add(-time.Minute)))
		page, err := f.q.Mutes(f.ctx, me.ID, model.Page{Limit: 1})
		ok(t, err)
		same(t, "newest active mute", page.AccountIDs, []int64{others[9].ID})
	})
}
