package store_test

import (
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func (f *fx) request(a, b *model.Account, showReblogs, notify bool) {
	f.t.Helper()
	f.tx(func(tx *store.Tx) error {
		_, err := tx.InsertFollowRequest(f.ctx, &model.FollowRequest{ID: ids.Next(), AccountID: a.ID, TargetAccountID: b.ID,
			ShowReblogs: showReblogs, Notify: notify, CreatedAt: nowMS()})
		return err
	})
}

func TestRelationsOf(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		now := nowMS()
		until := now.Add(time.Hour)
		n := func(name string) *model.Account { return f.account(name) }
		following, mutual, followedBy, blocking, blockedBy := n("following"), n("mutual"), n("followedby"), n("blocking"), n("blockedby")
		muting, mutingAll, expired, requested, requestedDefault := n("muting"), n("mutingall"), n("expired"), n("requested"), n("requesteddef")
		requestedBy, stranger := n("requestedby"), n("stranger")

		f.tx(func(tx *store.Tx) error {
			_, err := tx.InsertFollow(f.ctx, &model.Follow{ID: ids.Next(), AccountID: me.ID, TargetAccountID: following.ID,
				ShowReblogs: false, Notify: true, CreatedAt: now})
			return err
		})
		f.follow(me, mutual)
		f.follow(mutual, me)
		f.follow(followedBy, me)
		f.block(me, blocking)
		f.block(blockedBy, me)
		f.tx(func(tx *store.Tx) error {
			return tx.UpsertMute(f.ctx, &model.Mute{ID: ids.Next(), AccountID: me.ID, TargetAccountID: muting.ID,
				HideNotifications: false, ExpiresAt: &until, CreatedAt: now})
		})
		f.mute(me, mutingAll, nil)
		f.mute(me, expired, ptr(now))
		f.request(me, requested, false, true)
		f.request(me, requestedDefault, true, false)
		f.request(requestedBy, me, true, true)
		// Relations among the others are not mine.
		f.follow(stranger, following)
		f.block(stranger, blocking)

		all := []*model.Account{following, mutual, followedBy, blocking, blockedBy, muting, mutingAll, expired,
			requested, requestedDefault, requestedBy, stranger}
		rel, err := f.q.RelationsOf(f.ctx, me.ID, append(accountIDs(all), 0, stranger.ID), now)
		ok(t, err)
		if rel.Viewer != me.ID {
			t.Fatalf("Viewer = %d", rel.Viewer)
		}
		want := map[*model.Account]model.Relationship{
			following:        {Following: true, Notifying: true},
			mutual:           {Following: true, ShowingReblogs: true, FollowedBy: true},
			followedBy:       {FollowedBy: true},
			blocking:         {Blocking: true},
			blockedBy:        {BlockedBy: true},
			muting:           {Muting: true, MuteExpiresAt: &until},
			mutingAll:        {Muting: true, MutingNotifications: true},
			expired:          {},
			requested:        {Requested: true, Notifying: true}, // the request's options, as Mastodon
			requestedDefault: {Requested: true, ShowingReblogs: true},
			requestedBy:      {RequestedBy: true},
			stranger:         {},
		}
		for a, w := range want {
			w.ID = a.ID
			same(t, a.Username, rel.Relationship(a.ID), w)
		}
		if fl, found := rel.Following[following.ID]; !found || fl.ShowReblogs || !fl.Notify || fl.TargetAccountID != following.ID {
			t.Errorf("Following entry %+v", fl)
		}

		// Anonymous viewers and empty lists have no relations.
		for _, c := range []struct {
			viewer int64
			ids    []int64
		}{{0, accountIDs(all)}, {me.ID, nil}} {
			rel, err := f.q.RelationsOf(f.ctx, c.viewer, c.ids, now)
			ok(t, err)
			if r := rel.Relationship(following.ID); r != (model.Relationship{ID: following.ID}) {
				t.Errorf("RelationsOf(%d, %v): %+v", c.viewer, c.ids, r)
			}
		}
	})
}

func TestAmong(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		a, b, c, d := f.account("a"), f.account("b"), f.account("c"), f.account("d")
		f.follow(me, a)
		f.follow(me, b)
		f.follow(b, me)
		f.follow(c, me)
		f.follow(c, d)
		f.block(a, c)
		f.block(d, b)
		f.block(me, a)
		list := []int64{a.ID, b.ID, c.ID, d.ID, a.ID, 0}

		for _, tc := range []struct {
			name string
			got  func() (map[int64]bool, error)
			want map[int64]bool
		}{
			{"following", func() (map[int64]bool, error) { return f.q.FollowingAmong(f.ctx, me.ID, list) }, map[int64]bool{a.ID: true, b.ID: true}},
			{"followers", func() (map[int64]bool, error) { return f.q.FollowersAmong(f.ctx, me.ID, list) }, map[int64]bool{b.ID: true, c.ID: true}},
			{"following none", func() (map[int64]bool, error) { return f.q.FollowingAmong(f.ctx, me.ID, nil) }, map[int64]bool{}},
			{"followers none", func() (map[int64]bool, error) { return f.q.FollowersAmong(f.ctx, me.ID, nil) }, map[int64]bool{}},
			// Which of {a, b} block or are blocked by any of {c, d}: a blocks c, d blocks b.
			{"blocked among", func() (map[int64]bool, error) {
				return f.q.BlockedAmong(f.ctx, []int64{a.ID, b.ID}, []int64{c.ID, d.ID})
			}, map[int64]bool{a.ID: true, b.ID: true}},
			{"blocked among, one way", func() (map[int64]bool, error) {
				return f.q.BlockedAmong(f.ctx, []int64{c.ID, me.ID}, []int64{a.ID})
			}, map[int64]bool{c.ID: true, me.ID: true}},
			{"blocked among, none", func() (map[int64]bool, error) {
				return f.q.BlockedAmong(f.ctx, []int64{c.ID, d.ID}, []int64{me.ID})
			}, map[int64]bool{}},
			{"blocked among, empty", func() (map[int64]bool, error) { return f.q.BlockedAmong(f.ctx, nil, list) }, map[int64]bool{}},
		} {
			got, err := tc.got()
			ok(t, err)
			if got == nil {
				t.Fatalf("%s: nil map", tc.name)
			}
			same(t, tc.name, got, tc.want)
		}
	})
}
