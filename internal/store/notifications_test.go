package store_test

import (
	"reflect"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

// notify inserts a notification to `to` from `from` and fails unless it was new.
func (f *fx) notify(to, from *model.Account, typ model.NotificationType, statusID int64) *model.Notification {
	f.t.Helper()
	n := &model.Notification{ID: ids.Next(), AccountID: to.ID, Type: typ, FromAccountID: from.ID, StatusID: statusID, CreatedAt: nowMS()}
	f.tx(func(tx *store.Tx) error {
		added, err := tx.InsertNotification(f.ctx, n)
		yes(f.t, true, added, err)
		return nil
	})
	return n
}

func (f *fx) notifications(to *model.Account, filter store.NotificationFilter) []int64 {
	f.t.Helper()
	list, err := f.q.Notifications(f.ctx, to.ID, filter, model.Page{Limit: 40})
	ok(f.t, err)
	out := []int64{}
	for _, n := range list {
		out = append(out, n.ID)
	}
	return out
}

func TestNotificationDedupAndLookup(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		post := f.status(alice)
		n := f.notify(alice, bob, model.NotifyFavourite, post.ID)
		f.tx(func(tx *store.Tx) error {
			again := *n
			again.ID = ids.Next()
			added, err := tx.InsertNotification(f.ctx, &again)
			yes(t, false, added, err)
			return nil
		})
		// The same pair, another event: a new notification.
		f.notify(alice, bob, model.NotifyReblog, post.ID)
		f.notify(alice, bob, model.NotifyFollow, 0)

		got, err := f.q.Notification(f.ctx, alice.ID, n.ID)
		ok(t, err)
		if !reflect.DeepEqual(got, n) {
			t.Fatalf("notification:\n got  %+v\n want %+v", got, n)
		}
		_, err = f.q.Notification(f.ctx, bob.ID, n.ID) // not bob's
		isKind(t, err, model.ErrNotFound)
	})
}

func TestNotificationFilters(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, bob, carol := f.account("me"), f.account("bob"), f.account("carol")
		post := f.status(me)
		fav := f.notify(me, bob, model.NotifyFavourite, post.ID)
		fol := f.notify(me, bob, model.NotifyFollow, 0)
		men := f.notify(me, carol, model.NotifyMention, post.ID)
		reb := f.notify(me, carol, model.NotifyReblog, post.ID)
		f.notify(bob, me, model.NotifyFollow, 0) // someone else's

		for _, c := range []struct {
			name   string
			filter store.NotificationFilter
			want   []int64
		}{
			{"all", store.NotificationFilter{}, []int64{reb.ID, men.ID, fol.ID, fav.ID}},
			{"types", store.NotificationFilter{Types: []model.NotificationType{model.NotifyFollow, model.NotifyMention}}, []int64{men.ID, fol.ID}},
			{"exclude", store.NotificationFilter{ExcludeTypes: []model.NotificationType{model.NotifyFavourite, model.NotifyReblog}}, []int64{men.ID, fol.ID}},
			{"from", store.NotificationFilter{FromAccountID: carol.ID}, []int64{reb.ID, men.ID}},
			{"all three", store.NotificationFilter{Types: []model.NotificationType{model.NotifyFavourite, model.NotifyFollow, model.NotifyMention},
				ExcludeTypes: []model.NotificationType{model.NotifyFollow}, FromAccountID: bob.ID}, []int64{fav.ID}},
		} {
			same(t, c.name, f.notifications(me, c.filter), c.want)
		}
	})
}

func TestNotificationPaging(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me := f.account("me")
		var asc []int64
		for _, a := range f.accounts("u", 10) {
			asc = append(asc, f.notify(me, a, model.NotifyFollow, 0).ID)
			f.notify(a, me, model.NotifyFollow, 0)
		}
		checkPaging(t, asc, func(p model.Page) ([]int64, error) {
			list, err := f.q.Notifications(f.ctx, me.ID, store.NotificationFilter{}, p)
			var out []int64
			for _, n := range list {
				out = append(out, n.ID)
			}
			return out, err
		})
	})
}

func TestNotificationRemovals(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, bob, carol := f.account("me"), f.account("bob"), f.account("carol")
		p1, p2 := f.status(me), f.status(me)
		fav1 := f.notify(me, bob, model.NotifyFavourite, p1.ID)
		fav2 := f.notify(me, bob, model.NotifyFavourite, p2.ID)
		reb1 := f.notify(me, carol, model.NotifyReblog, p1.ID)
		fol := f.notify(me, carol, model.NotifyFollow, 0)
		f.notify(bob, me, model.NotifyFollow, 0)
		carolFol := f.notify(carol, bob, model.NotifyFollow, 0)
		all := store.NotificationFilter{}

		f.tx(func(tx *store.Tx) error {
			removed, err := tx.DeleteNotification(f.ctx, bob.ID, fav1.ID) // not bob's
			yes(t, false, removed, err)
			removed, err = tx.DeleteNotification(f.ctx, me.ID, fav1.ID)
			yes(t, true, removed, err)
			removed, err = tx.DeleteNotification(f.ctx, me.ID, fav1.ID)
			yes(t, false, removed, err)
			return nil
		})
		same(t, "after dismiss", f.notifications(me, all), []int64{fol.ID, reb1.ID, fav2.ID})

		f.tx(func(tx *store.Tx) error { return tx.DeleteNotificationsAbout(f.ctx, p1.ID) })
		same(t, "after deleting p1", f.notifications(me, all), []int64{fol.ID, fav2.ID})

		// Wrong status or type: nothing; the exact event: gone.
		f.tx(func(tx *store.Tx) error {
			if err := tx.DeleteNotificationEvent(f.ctx, me.ID, model.NotifyFavourite, bob.ID, p1.ID); err != nil {
				return err
			}
			return tx.DeleteNotificationEvent(f.ctx, me.ID, model.NotifyReblog, bob.ID, p2.ID)
		})
		same(t, "after non-matching events", f.notifications(me, all), []int64{fol.ID, fav2.ID})
		f.tx(func(tx *store.Tx) error {
			return tx.DeleteNotificationEvent(f.ctx, me.ID, model.NotifyFavourite, bob.ID, p2.ID)
		})
		same(t, "after the event", f.notifications(me, all), []int64{fol.ID})

		f.tx(func(tx *store.Tx) error { return tx.DeleteNotificationsBetween(f.ctx, bob.ID, me.ID) })
		same(t, "bob after between", f.notifications(bob, all), []int64{})
		same(t, "me after between", f.notifications(me, all), []int64{fol.ID})
		same(t, "carol untouched", f.notifications(carol, all), []int64{carolFol.ID})

		f.tx(func(tx *store.Tx) error { return tx.ClearNotifications(f.ctx, me.ID) })
		same(t, "after clear", f.notifications(me, all), []int64{})
		same(t, "carol after clear", f.notifications(carol, all), []int64{carolFol.ID})
	})
}

func TestMarkers(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, you := f.account("me"), f.account("you")
		_, err := f.q.Marker(f.ctx, me.ID, "home")
		isKind(t, err, model.ErrNotFound)
		t0 := nowMS()
		for i, want := range []struct{ last, version int64 }{{10, 0}, {20, 1}, {15, 2}} {
			at := t0.Add(time.Duration(i) * time.Second)
			f.tx(func(tx *store.Tx) error { return tx.SetMarker(f.ctx, me.ID, "home", want.last, at) })
			got, err := f.q.Marker(f.ctx, me.ID, "home")
			ok(t, err)
			if *got != (model.Marker{Timeline: "home", LastReadID: want.last, Version: want.version, UpdatedAt: at}) {
				t.Fatalf("step %d: %+v", i, got)
			}
		}
		// Markers are per account and timeline.
		f.tx(func(tx *store.Tx) error { return tx.SetMarker(f.ctx, me.ID, "notifications", 7, t0) })
		f.tx(func(tx *store.Tx) error { return tx.SetMarker(f.ctx, you.ID, "home", 8, t0) })
		if got, _ := f.q.Marker(f.ctx, me.ID, "notifications"); got.LastReadID != 7 || got.Version != 0 {
			t.Fatalf("notifications marker %+v", got)
		}
		if got, _ := f.q.Marker(f.ctx, me.ID, "home"); got.LastReadID != 15 || got.Version != 2 {
			t.Fatalf("home marker changed: %+v", got)
		}
	})
}
