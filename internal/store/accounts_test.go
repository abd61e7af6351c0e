package store_test

import (
	"reflect"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestAccountRoundTrip(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		now := nowMS()
		a := &model.Account{ID: ids.Next(), Username: "Alice", Domain: "remote.example", DisplayName: "Alice ✨",
			Note: "hi", NoteHTML: "<p>hi</p>",
			Fields: []model.Field{{Name: "site", Value: "a.example", ValueHTML: `<a href="https://a.example">a.example</a>`,
				VerifiedAt: ptr(now.Add(-time.Hour))}, {Name: "pronouns", Value: "she/her", ValueHTML: "she/her"}},
			Locked: true, Bot: true, Discoverable: false, FediverseSharing: true,
			URI: "https://remote.example/users/Alice", URL: "https://remote.example/@Alice",
			FollowersCount: 3, FollowingCount: 4, StatusesCount: 5, LastStatusAt: ptr(now.Add(-time.Minute)),
			SuspendedAt: ptr(now.Add(-2 * time.Minute)), DeletedAt: ptr(now.Add(-3 * time.Minute)),
			CreatedAt: now.Add(-time.Hour), UpdatedAt: now}
		f.tx(func(tx *store.Tx) error { return tx.InsertAccount(f.ctx, a) })
		got := f.reload(a)
		if !reflect.DeepEqual(got, a) {
			t.Fatalf("round trip:\n got  %+v\n want %+v", got, a)
		}

		// Nil optional values come back nil; nil fields come back empty.
		b := f.account("bob")
		got = f.reload(b)
		if got.LastStatusAt != nil || got.SuspendedAt != nil || got.DeletedAt != nil || len(got.Fields) != 0 {
			t.Fatalf("bob: %+v", got)
		}
		_, err := f.q.AccountByID(f.ctx, ids.Next())
		isKind(t, err, model.ErrNotFound)
	})
}

func TestAccountUsernames(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice := f.account("Alice")
		far := f.account("alice", remote("Remote.Example"))

		for _, c := range []struct {
			username, domain string
			want             *model.Account
		}{
			{"alice", "", alice}, {"ALICE", "", alice}, {"Alice", "", alice},
			{"alice", "remote.example", far}, {"aLiCe", "REMOTE.example", far}, {"alice", "Remote.Example", far},
			{"alice", "other.example", nil}, {"bob", "", nil},
		} {
			got, err := f.q.AccountByUsername(f.ctx, c.username, c.domain)
			if c.want == nil {
				isKind(t, err, model.ErrNotFound)
				continue
			}
			ok(t, err)
			if got.ID != c.want.ID {
				t.Errorf("AccountByUsername(%q, %q) = %d, want %d", c.username, c.domain, got.ID, c.want.ID)
			}
		}
		if got := f.reload(alice); got.Username != "Alice" {
			t.Errorf("username kept as %q, want it as written", got.Username)
		}

		// Taken in any case, on the same domain (any case too): conflict.
		for _, c := range []struct{ username, domain string }{{"ALICE", ""}, {"alice", ""}, {"ALICE", "remote.example"}, {"alice", "REMOTE.EXAMPLE"}} {
			err := st.InTx(f.ctx, func(tx *store.Tx) error {
				return tx.InsertAccount(f.ctx, &model.Account{ID: ids.Next(), Username: c.username, Domain: c.domain,
					CreatedAt: nowMS(), UpdatedAt: nowMS()})
			})
			isKind(t, err, model.ErrConflict)
		}
		// The same username on another domain is fine.
		f.account("alice", remote("other.example"))
	})
}

func TestAccountsByIDs(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		a, b := f.account("a"), f.account("b")
		got, err := f.q.AccountsByIDs(f.ctx, []int64{a.ID, b.ID, a.ID, 0, ids.Next()})
		ok(t, err)
		if len(got) != 2 || got[a.ID].Username != "a" || got[b.ID].Username != "b" {
			t.Fatalf("AccountsByIDs = %v", got)
		}
		got, err = f.q.AccountsByIDs(f.ctx, nil)
		ok(t, err)
		if got == nil || len(got) != 0 {
			t.Fatalf("AccountsByIDs(nil) = %v, want an empty map", got)
		}
	})
}

func TestUpdateAccountProfile(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		a := f.account("alice")
		want := *f.reload(a)
		want.DisplayName, want.Note, want.NoteHTML = "Alice", "new bio", "<p>new bio</p>"
		want.Fields = []model.Field{{Name: "k", Value: "v", ValueHTML: "v"}}
		want.Locked, want.Bot, want.Discoverable, want.FediverseSharing = true, true, false, true
		want.UpdatedAt = want.UpdatedAt.Add(time.Minute)
		want.Rev++ // every change bumps the revision
		// Columns outside the profile are not written.
		changed := want
		changed.Username, changed.FollowersCount, changed.URI = "mallory", 99, "https://x.example/u"
		f.tx(func(tx *store.Tx) error { return tx.UpdateAccountProfile(f.ctx, &changed) })
		if got := f.reload(a); !reflect.DeepEqual(*got, want) {
			t.Fatalf("after update:\n got  %+v\n want %+v", *got, want)
		}
	})
}

func TestAccountCounters(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		a := f.account("alice")
		steps := []struct{ followers, following, statuses, wantFr, wantFg, wantSt int64 }{
			{2, 3, 4, 2, 3, 4},
			{-1, 0, 1, 1, 3, 5},
			{-5, -5, -5, 0, 0, 0}, // never below zero
			{1, 0, 0, 1, 0, 0},
		}
		for i, s := range steps {
			f.tx(func(tx *store.Tx) error {
				return tx.AdjustAccountCounts(f.ctx, a.ID, s.followers, s.following, s.statuses)
			})
			got := f.reload(a)
			if got.FollowersCount != s.wantFr || got.FollowingCount != s.wantFg || got.StatusesCount != s.wantSt {
				t.Fatalf("step %d: counts %d/%d/%d, want %d/%d/%d", i, got.FollowersCount, got.FollowingCount,
					got.StatusesCount, s.wantFr, s.wantFg, s.wantSt)
			}
		}
		at := nowMS().Add(-time.Second)
		before := f.reload(a).StatusesCount
		f.tx(func(tx *store.Tx) error { return tx.RecordPost(f.ctx, a.ID, at) })
		if got := f.reload(a); got.LastStatusAt == nil || !got.LastStatusAt.Equal(at) || got.StatusesCount != before+1 {
			t.Fatalf("after RecordPost: LastStatusAt = %v, want %v; statuses %d, want %d", got.LastStatusAt, at, got.StatusesCount, before+1)
		}
	})
}

func TestSuspendAndDelete(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		a := f.account("alice", func(a *model.Account) {
			a.DisplayName, a.Note, a.NoteHTML = "Alice", "bio", "<p>bio</p>"
			a.Fields = []model.Field{{Name: "k", Value: "v"}}
		})
		at := nowMS().Add(-time.Hour)
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, a.ID, &at) })
		got := f.reload(a)
		if got.SuspendedAt == nil || !got.SuspendedAt.Equal(at) || !got.Gone() || got.DeletedAt != nil {
			t.Fatalf("suspended: %+v", got)
		}
		if got.DisplayName != "Alice" {
			t.Fatal("suspension blanked the profile")
		}
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, a.ID, nil) })
		if got := f.reload(a); got.SuspendedAt != nil || got.Gone() {
			t.Fatalf("unsuspended: %+v", got)
		}

		del := nowMS()
		f.tx(func(tx *store.Tx) error { return tx.MarkAccountDeleted(f.ctx, a.ID, del) })
		got = f.reload(a)
		if got.DeletedAt == nil || !got.DeletedAt.Equal(del) || got.SuspendedAt == nil || !got.SuspendedAt.Equal(del) ||
			!got.UpdatedAt.Equal(del) {
			t.Fatalf("deleted: times %v %v %v, want %v", got.DeletedAt, got.SuspendedAt, got.UpdatedAt, del)
		}
		if got.DisplayName != "" || got.Note != "" || got.NoteHTML != "" || len(got.Fields) != 0 || got.Username != "alice" {
			t.Fatalf("deleted profile not blanked: %+v", got)
		}
		// The username stays taken.
		err := st.InTx(f.ctx, func(tx *store.Tx) error {
			return tx.InsertAccount(f.ctx, &model.Account{ID: ids.Next(), Username: "alice", CreatedAt: del, UpdatedAt: del})
		})
		isKind(t, err, model.ErrConflict)

		// An earlier suspension keeps its time when the account is deleted.
		b := f.account("bob")
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, b.ID, &at) })
		f.tx(func(tx *store.Tx) error { return tx.MarkAccountDeleted(f.ctx, b.ID, del) })
		if got := f.reload(b); !got.SuspendedAt.Equal(at) || !got.DeletedAt.Equal(del) {
			t.Fatalf("bob: suspended %v deleted %v", got.SuspendedAt, got.DeletedAt)
		}
	})
}

func TestLocalAccounts(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		var local []int64
		for i := range 5 {
			local = append(local, f.account(string(rune('a'+i))).ID)
			f.account(string(rune('a'+i)), remote("remote.example"))
		}
		var seen []int64
		after := int64(0)
		for range 10 {
			page, err := f.q.LocalAccounts(f.ctx, after, 2)
			ok(t, err)
			if len(page) == 0 {
				break
			}
			if len(page) > 2 {
				t.Fatalf("page of %d, limit 2", len(page))
			}
			for _, a := range page {
				if a.Domain != "" {
					t.Fatalf("remote account %s listed", a.Acct())
				}
				seen = append(seen, a.ID)
			}
			after = page[len(page)-1].ID
		}
		same(t, "local accounts", seen, local)
	})
}
