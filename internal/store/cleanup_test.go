package store_test

import (
	"slices"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func (f *fx) countRows(table string) int {
	f.t.Helper()
	var n int
	ok(f.t, f.st.WriteDB().QueryRowContext(f.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n))
	return n
}

func TestDeleteEdges(t *testing.T) {
	t.Parallel()
	// Each maker adds one edge from a to b and returns the ID DeleteEdges
	// reports for it when deleting a's edges.
	pair := func(f *fx, ins func(tx *store.Tx, id, a, s int64) (bool, error)) func(a, b *model.Account) int64 {
		return func(a, b *model.Account) int64 {
			s := f.status(b)
			f.tx(func(tx *store.Tx) error { _, err := ins(tx, ids.Next(), a.ID, s.ID); return err })
			return s.ID
		}
	}
	makers := func(f *fx) map[string]func(a, b *model.Account) int64 {
		out := func(mk func(a, b *model.Account)) func(a, b *model.Account) int64 {
			return func(a, b *model.Account) int64 { mk(a, b); return b.ID }
		}
		in := func(mk func(a, b *model.Account)) func(a, b *model.Account) int64 {
			return func(a, b *model.Account) int64 { mk(b, a); return b.ID }
		}
		follow := func(a, b *model.Account) { f.follow(a, b) }
		request := func(a, b *model.Account) { f.request(a, b, true, false) }
		block := func(a, b *model.Account) { f.block(a, b) }
		mute := func(a, b *model.Account) { f.mute(a, b, nil) }
		return map[string]func(a, b *model.Account) int64{
			"follows.out": out(follow), "follows.in": in(follow),
			"follow_requests.out": out(request), "follow_requests.in": in(request),
			"blocks.out": out(block), "blocks.in": in(block),
			"mutes.out": out(mute), "mutes.in": in(mute),
			"favourites.out": pair(f, func(tx *store.Tx, id, a, s int64) (bool, error) {
				return tx.InsertFavourite(f.ctx, id, a, s, nowMS())
			}),
			"bookmarks.out": pair(f, func(tx *store.Tx, id, a, s int64) (bool, error) {
				return tx.InsertBookmark(f.ctx, id, a, s, nowMS())
			}),
			"pins.out": pair(f, func(tx *store.Tx, id, a, s int64) (bool, error) { return tx.InsertPin(f.ctx, id, a, s, nowMS()) }),
		}
	}
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		mk := makers(f)
		if len(mk) != len(store.EdgeKinds()) {
			t.Fatalf("EdgeKinds %v, test knows %d kinds", store.EdgeKinds(), len(mk))
		}
		for _, kind := range store.EdgeKinds() {
			t.Run(kind, func(t *testing.T) {
				f := newFx(t, st)
				make := mk[kind]
				if make == nil {
					t.Fatalf("no maker for %s", kind)
				}
				table, _, _ := strings.Cut(kind, ".")
				base := f.countRows(table)
				me := f.account("me" + table + kind[len(table)+1:])
				others := f.accounts(kind+"-", 3)
				var want []int64
				for _, o := range others {
					want = append(want, make(me, o))
				}
				make(others[0], others[1]) // not mine
				make(others[2], me)        // mine the other way round
				var got []int64
				for _, wantN := range []int{2, 1, 0} {
					var batch []int64
					f.tx(func(tx *store.Tx) (err error) { batch, err = tx.DeleteEdges(f.ctx, kind, me.ID, 2); return err })
					if len(batch) != wantN {
						t.Fatalf("batch of %d, want %d", len(batch), wantN)
					}
					got = append(got, batch...)
				}
				slices.Sort(got)
				slices.Sort(want)
				same(t, "other sides", got, want)
				if n := f.countRows(table); n != base+2 {
					t.Fatalf("%s has %d rows, want %d", table, n, base+2)
				}
			})
		}
		err := st.InTx(f.ctx, func(tx *store.Tx) error { _, err := tx.DeleteEdges(f.ctx, "statuses.out", 1, 1); return err })
		if err == nil || !strings.Contains(err.Error(), "unknown edge kind") {
			t.Fatalf("unknown kind: %v", err)
		}
	})
}

func TestDeleteAccountLeftovers(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, you, them := f.account("me"), f.account("you"), f.account("them")
		post := f.status(you)
		for _, a := range []*model.Account{me, you} {
			f.tx(func(tx *store.Tx) error {
				if err := tx.SetMarker(f.ctx, a.ID, "home", 1, nowMS()); err != nil {
					return err
				}
				_, err := tx.MuteConversation(f.ctx, a.ID, post.ConversationID)
				return err
			})
			f.feed(a, post, 0)
		}
		f.notify(me, you, model.NotifyFollow, 0)
		f.notify(you, me, model.NotifyFollow, 0)
		keep := f.notify(you, them, model.NotifyFollow, 0)

		// My lists, my place in your list, my followed tags, my
		// conversations' state.
		tagID := f.tag("Go", "go")
		follow := f.follow(you, me) // list members are accounts one follows
		f.tx(func(tx *store.Tx) error {
			mine := &model.List{ID: ids.Next(), AccountID: me.ID, Title: "mine", RepliesPolicy: model.RepliesList, CreatedAt: nowMS()}
			yours := &model.List{ID: ids.Next(), AccountID: you.ID, Title: "yours", RepliesPolicy: model.RepliesList, CreatedAt: nowMS()}
			for _, l := range []*model.List{mine, yours} {
				if err := tx.InsertList(f.ctx, l); err != nil {
					return err
				}
			}
			if _, err := tx.AddListAccount(f.ctx, ids.Next(), yours.ID, me.ID, follow.ID, nowMS()); err != nil {
				return err
			}
			if _, err := tx.FollowTag(f.ctx, ids.Next(), me.ID, tagID, nowMS()); err != nil {
				return err
			}
			return tx.MarkConversationRead(f.ctx, me.ID, post.ConversationID, post.ID)
		})

		f.tx(func(tx *store.Tx) error { return tx.DeleteAccountLeftovers(f.ctx, me.ID) })
		for _, table := range []string{"lists", "list_accounts", "tag_follows", "conversation_states"} {
			var n int
			ok(t, st.ReadDB().QueryRowContext(f.ctx, `SELECT COUNT(*) FROM `+table+` WHERE account_id = $1`, me.ID).Scan(&n))
			if n != 0 {
				t.Errorf("%d rows of mine left in %s", n, table)
			}
		}
		if l, err := f.q.ListsOf(f.ctx, you.ID); err != nil || len(l) != 1 {
			t.Errorf("your lists: %v %v", l, err)
		}
		_, err := f.q.Marker(f.ctx, me.ID, "home")
		isKind(t, err, model.ErrNotFound)
		if muted, _ := f.q.ConversationMuted(f.ctx, me.ID, post.ConversationID); muted {
			t.Error("conversation mute left")
		}
		same(t, "my home", f.home(me), []int64{})
		same(t, "my notifications", f.notifications(me, store.NotificationFilter{}), []int64{})
		same(t, "your notifications", f.notifications(you, store.NotificationFilter{}), []int64{keep.ID})
		// Yours stay.
		if _, err := f.q.Marker(f.ctx, you.ID, "home"); err != nil {
			t.Error(err)
		}
		if muted, _ := f.q.ConversationMuted(f.ctx, you.ID, post.ConversationID); !muted {
			t.Error("your conversation mute removed")
		}
		same(t, "your home", f.home(you), []int64{post.ID})
	})
}

func TestRecount(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, a, b, c := f.account("me"), f.account("a"), f.account("b"), f.account("c")
		f.follow(a, me)
		f.follow(b, me)
		f.follow(me, c)
		f.follow(a, b)
		post := f.status(me)
		f.status(me)
		gone := f.status(me)
		f.status(a)
		r1 := f.status(a, replyTo(post))
		f.status(b, replyTo(post))
		goneReply := f.status(c, replyTo(post))
		f.status(c, replyTo(r1)) // a reply to a reply
		f.boost(a, post)
		f.boost(b, post)
		f.boost(b, r1)
		f.boost(me, r1) // boosts count as statuses, as on Mastodon
		f.tx(func(tx *store.Tx) error {
			if err := tx.SoftDeleteStatus(f.ctx, gone.ID, nowMS()); err != nil {
				return err
			}
			if err := tx.SoftDeleteStatus(f.ctx, goneReply.ID, nowMS()); err != nil {
				return err
			}
			if _, err := tx.InsertFavourite(f.ctx, ids.Next(), c.ID, post.ID, nowMS()); err != nil {
				return err
			}
			if err := tx.AdjustAccountCounts(f.ctx, me.ID, 40, 40, 40); err != nil {
				return err
			}
			if err := tx.AdjustStatusCounts(f.ctx, post.ID, 40, 40, 40); err != nil {
				return err
			}
			if err := tx.RecountAccount(f.ctx, me.ID); err != nil {
				return err
			}
			return tx.RecountStatus(f.ctx, post.ID)
		})
		got := f.reload(me)
		if got.FollowersCount != 2 || got.FollowingCount != 1 || got.StatusesCount != 3 {
			t.Errorf("account counts %d/%d/%d, want 2/1/3", got.FollowersCount, got.FollowingCount, got.StatusesCount)
		}
		s := f.reloadStatus(post)
		if s.RepliesCount != 2 || s.ReblogsCount != 2 || s.FavouritesCount != 1 {
			t.Errorf("status counts %d/%d/%d, want 2/2/1", s.RepliesCount, s.ReblogsCount, s.FavouritesCount)
		}
	})
}
