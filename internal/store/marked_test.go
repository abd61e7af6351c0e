package store_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

// Bookmarked and Favourited list statuses by the bookmark/like row, newest
// mark first, leaving deleted posts out.
func TestMarkedStatuses(t *testing.T) {
	t.Parallel()
	lists := map[string]struct {
		insert func(tx *store.Tx, f *fx, id, accountID, statusID int64) error
		read   func(q store.Queries, f *fx, viewer int64, p model.Page) (store.MarkedStatuses, error)
	}{
		"bookmarks": {
			func(tx *store.Tx, f *fx, id, a, s int64) error {
				_, err := tx.InsertBookmark(f.ctx, id, a, s, nowMS())
				return err
			},
			func(q store.Queries, f *fx, v int64, p model.Page) (store.MarkedStatuses, error) {
				return q.Bookmarked(f.ctx, v, p)
			},
		},
		"favourites": {
			func(tx *store.Tx, f *fx, id, a, s int64) error {
				_, err := tx.InsertFavourite(f.ctx, id, a, s, nowMS())
				return err
			},
			func(q store.Queries, f *fx, v int64, p model.Page) (store.MarkedStatuses, error) {
				return q.Favourited(f.ctx, v, p)
			},
		},
	}
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		for name, l := range lists {
			t.Run(name, func(t *testing.T) {
				f := newFx(t, st)
				me, alice := f.account("me"+name), f.account("alice"+name)
				posts := make([]*model.Status, 11)
				for i := range posts {
					posts[i] = f.status(alice)
				}
				// Marked newest post first, so row order differs from status order.
				var rows []int64
				statusOf := map[int64]int64{}
				for i := len(posts) - 1; i >= 0; i-- {
					row := ids.Next()
					f.tx(func(tx *store.Tx) error { return l.insert(tx, f, row, me.ID, posts[i].ID) })
					rows = append(rows, row)
					statusOf[row] = posts[i].ID
				}
				f.tx(func(tx *store.Tx) error { return l.insert(tx, f, ids.Next(), alice.ID, posts[3].ID) })
				// The newest mark is of a post that is then deleted.
				f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, posts[0].ID, nowMS()) })
				rows = rows[:len(rows)-1]

				page, err := l.read(f.q, f, me.ID, model.Page{Limit: 1})
				ok(t, err)
				if len(page.Statuses) != 1 || page.Statuses[0].ID != posts[1].ID || page.RowIDs[0] != rows[len(rows)-1] {
					t.Fatalf("newest: %v %v", statusIDs(page.Statuses), page.RowIDs)
				}
				checkPaging(t, rows, func(p model.Page) ([]int64, error) {
					page, err := l.read(f.q, f, me.ID, p)
					if len(page.RowIDs) != len(page.Statuses) {
						t.Fatalf("%d rows for %d statuses", len(page.RowIDs), len(page.Statuses))
					}
					for i, row := range page.RowIDs {
						if page.Statuses[i].ID != statusOf[row] {
							t.Fatalf("row %d with status %d, want %d", row, page.Statuses[i].ID, statusOf[row])
						}
					}
					return page.RowIDs, err
				})
			})
		}
	})
}

func TestMarkedStatusesLoadExtras(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		post := f.status(me)
		tagID := f.tag("Go", "go")
		f.tx(func(tx *store.Tx) error {
			if err := tx.SetMentions(f.ctx, post.ID, []int64{me.ID}); err != nil {
				return err
			}
			if err := tx.SetTags(f.ctx, post.ID, []int64{tagID}); err != nil {
				return err
			}
			_, err := tx.InsertBookmark(f.ctx, ids.Next(), me.ID, post.ID, nowMS())
			return err
		})
		page, err := f.q.Bookmarked(f.ctx, me.ID, model.Page{Limit: 5})
		ok(t, err)
		if len(page.Statuses) != 1 {
			t.Fatalf("bookmarks: %v", statusIDs(page.Statuses))
		}
		same(t, "mentions", page.Statuses[0].Mentions, []int64{me.ID})
		same(t, "tags", page.Statuses[0].Tags, []string{"Go"})
	})
}

// FavouritedBy and RebloggedBy list accounts by like/boost ID, newest first,
// leaving suspended accounts out.
func TestFavouritedAndRebloggedBy(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice := f.account("alice")
		post, other := f.status(alice), f.status(alice)
		fans := f.accounts("fan", 10)
		var likes, boosts []int64
		accountOf := map[int64]int64{}
		for _, a := range fans {
			like := ids.Next()
			f.tx(func(tx *store.Tx) error {
				_, err := tx.InsertFavourite(f.ctx, like, a.ID, post.ID, nowMS())
				return err
			})
			boost := f.boost(a, post).ID
			f.boost(a, other)
			likes, boosts = append(likes, like), append(boosts, boost)
			accountOf[like], accountOf[boost] = a.ID, a.ID
		}
		lists := map[string]struct {
			rows []int64
			read func(p model.Page) (store.AccountPage, error)
		}{
			"favourited by": {likes, func(p model.Page) (store.AccountPage, error) { return f.q.FavouritedBy(f.ctx, post.ID, p) }},
			"reblogged by":  {boosts, func(p model.Page) (store.AccountPage, error) { return f.q.RebloggedBy(f.ctx, post.ID, p) }},
		}
		for name, l := range lists {
			t.Run(name, func(t *testing.T) { checkPaging(t, l.rows, pageRows(accountOf, l.read)) })
		}
		at := nowMS()
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, fans[9].ID, &at) })
		for name, l := range lists {
			page, err := l.read(model.Page{Limit: 1})
			ok(t, err)
			same(t, name+" without the suspended account", page.AccountIDs, []int64{fans[8].ID})
		}
	})
}
