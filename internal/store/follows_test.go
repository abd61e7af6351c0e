package store_test

import (
	"reflect"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestFollows(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		fl := &model.Follow{ID: ids.Next(), AccountID: alice.ID, TargetAccountID: bob.ID, ShowReblogs: false, Notify: true,
			URI: "https://weft.test/follows/1", CreatedAt: nowMS().Add(-time.Minute)}
		f.tx(func(tx *store.Tx) error {
			added, err := tx.InsertFollow(f.ctx, fl)
			yes(t, true, added, err)
			dup := *fl
			dup.ID = ids.Next()
			added, err = tx.InsertFollow(f.ctx, &dup)
			yes(t, false, added, err)
			return nil
		})
		got, err := f.q.Follow(f.ctx, alice.ID, bob.ID)
		ok(t, err)
		if !reflect.DeepEqual(got, fl) {
			t.Fatalf("follow:\n got  %+v\n want %+v", got, fl)
		}
		_, err = f.q.Follow(f.ctx, bob.ID, alice.ID)
		isKind(t, err, model.ErrNotFound)

		f.tx(func(tx *store.Tx) error { return tx.UpdateFollowOptions(f.ctx, alice.ID, bob.ID, true, false) })
		got, err = f.q.Follow(f.ctx, alice.ID, bob.ID)
		ok(t, err)
		if !got.ShowReblogs || got.Notify || got.ID != fl.ID {
			t.Fatalf("after update: %+v", got)
		}

		f.tx(func(tx *store.Tx) error {
			removed, err := tx.DeleteFollow(f.ctx, alice.ID, bob.ID)
			yes(t, true, removed, err)
			removed, err = tx.DeleteFollow(f.ctx, alice.ID, bob.ID)
			yes(t, false, removed, err)
			return nil
		})
		_, err = f.q.Follow(f.ctx, alice.ID, bob.ID)
		isKind(t, err, model.ErrNotFound)
	})
}

func TestFollowRequests(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		r := &model.FollowRequest{ID: ids.Next(), AccountID: alice.ID, TargetAccountID: bob.ID, ShowReblogs: true, Notify: true,
			URI: "https://weft.test/r/1", CreatedAt: nowMS()}
		f.tx(func(tx *store.Tx) error {
			added, err := tx.InsertFollowRequest(f.ctx, r)
			yes(t, true, added, err)
			dup := *r
			dup.ID = ids.Next()
			added, err = tx.InsertFollowRequest(f.ctx, &dup)
			yes(t, false, added, err)
			return nil
		})
		got, err := f.q.FollowRequest(f.ctx, alice.ID, bob.ID)
		ok(t, err)
		if !reflect.DeepEqual(got, r) {
			t.Fatalf("request:\n got  %+v\n want %+v", got, r)
		}
		_, err = f.q.FollowRequest(f.ctx, bob.ID, alice.ID)
		isKind(t, err, model.ErrNotFound)
		f.tx(func(tx *store.Tx) error {
			removed, err := tx.DeleteFollowRequest(f.ctx, alice.ID, bob.ID)
			yes(t, true, removed, err)
			removed, err = tx.DeleteFollowRequest(f.ctx, alice.ID, bob.ID)
			yes(t, false, removed, err)
			return nil
		})
		_, err = f.q.FollowRequest(f.ctx, alice.ID, bob.ID)
		isKind(t, err, model.ErrNotFound)
	})
}

// Followers, Following and FollowRequests page by relation row ID, newest
// first, and leave out suspended accounts.
func TestRelationLists(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		others := f.accounts("u", 10)
		rows := map[string][]int64{}
		accountOf := map[int64]int64{}
		for _, o := range others {
			in, out := f.follow(o, me).ID, f.follow(me, o).ID
			req := ids.Next()
			f.tx(func(tx *store.Tx) error {
				_, err := tx.InsertFollowRequest(f.ctx, &model.FollowRequest{ID: req, AccountID: o.ID,
					TargetAccountID: me.ID, CreatedAt: nowMS()})
				return err
			})
			rows["followers"] = append(rows["followers"], in)
			rows["following"] = append(rows["following"], out)
			rows["requests"] = append(rows["requests"], req)
			accountOf[in], accountOf[out], accountOf[req] = o.ID, o.ID, o.ID
		}
		// Noise: relations of someone else.
		f.follow(others[0], others[1])

		lists := map[string]func(model.Page) (store.AccountPage, error){
			"followers": func(p model.Page) (store.AccountPage, error) { return f.q.Followers(f.ctx, me.ID, p) },
			"following": func(p model.Page) (store.AccountPage, error) { return f.q.Following(f.ctx, me.ID, p) },
			"requests":  func(p model.Page) (store.AccountPage, error) { return f.q.FollowRequests(f.ctx, me.ID, p) },
		}
		for name, list := range lists {
			t.Run(name, func(t *testing.T) { checkPaging(t, rows[name], pageRows(accountOf, list)) })
		}
		// Row IDs paginate: max_id is a follow ID, not an account ID.
		page, err := f.q.Followers(f.ctx, me.ID, model.Page{Limit: 3})
		ok(t, err)
		next, err := f.q.Followers(f.ctx, me.ID, model.Page{MaxID: page.RowIDs[2], Limit: 3})
		ok(t, err)
		same(t, "next page", next.AccountIDs, desc(accountIDs(others[4:7])))

		at := nowMS()
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, others[9].ID, &at) })
		for name, list := range lists {
			page, err := list(model.Page{Limit: 2})
			ok(t, err)
			same(t, name+" without the suspended account", page.AccountIDs, []int64{others[8].ID, others[7].ID})
		}
	})
}

func TestLocalFollowersOf(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		star := f.account("star")
		var want []store.Follower
		for i := range 5 {
			a := f.account(string(rune('a' + i)))
			fl := &model.Follow{ID: ids.Next(), AccountID: a.ID, TargetAccountID: star.ID, ShowReblogs: i%2 == 0,
				Notify: i%3 == 0, CreatedAt: nowMS()}
			f.tx(func(tx *store.Tx) error { _, err := tx.InsertFollow(f.ctx, fl); return err })
			want = append(want, store.Follower{AccountID: a.ID, ShowReblogs: fl.ShowReblogs, Notify: fl.Notify})
			f.follow(f.account(string(rune('a'+i)), remote("remote.example")), star)
		}
		f.follow(star, f.account("x"))
		var got []store.Follower
		after := int64(0)
		for range 10 {
			batch, err := f.q.LocalFollowersOf(f.ctx, star.ID, after, 2)
			ok(t, err)
			if len(batch) == 0 {
				break
			}
			got = append(got, batch...)
			after = batch[len(batch)-1].AccountID
		}
		same(t, "local followers", got, want)
	})
}
