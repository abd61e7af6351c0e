package store_test

import (
	"errors"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

// The model cache must never serve a row older than the database's: reads
// after an edit, a count change, a deletion, a profile change or a
// suspension see the new row at once, and a rolled-back change leaves
// nothing behind.
func TestModelCacheIsNeverStale(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		post := f.status(alice, func(s *model.Status) { s.Text, s.ContentHTML = "first", "<p>first</p>" })
		statusText := func() string {
			t.Helper()
			m, err := st.Read().StatusesByIDs(f.ctx, []int64{post.ID})
			ok(t, err)
			if m[post.ID] == nil {
				return "<gone>"
			}
			return m[post.ID].ContentHTML
		}
		displayName := func() string {
			t.Helper()
			m, err := st.Read().AccountsByIDs(f.ctx, []int64{alice.ID})
			ok(t, err)
			return m[alice.ID].DisplayName
		}
		if got := statusText(); got != "<p>first</p>" {
			t.Fatalf("first read: %q", got)
		}
		statusText() // now from the cache

		edited := *post
		edited.Text, edited.ContentHTML = "second", "<p>second</p>"
		now := time.Now()
		edited.EditedAt = &now
		f.tx(func(tx *store.Tx) error { return tx.UpdateStatusContent(f.ctx, &edited) })
		if got := statusText(); got != "<p>second</p>" {
			t.Fatalf("after edit: %q", got)
		}

		f.tx(func(tx *store.Tx) error { return tx.AdjustStatusCounts(f.ctx, post.ID, 0, 0, 1) })
		m, err := st.Read().StatusesByIDs(f.ctx, []int64{post.ID})
		ok(t, err)
		if m[post.ID].FavouritesCount != 1 {
			t.Fatalf("favourites_count %d after a like, want 1", m[post.ID].FavouritesCount)
		}

		// A rolled-back change leaves the cache alone, and the next
		// committed change is seen although it reuses the revision number
		// the rolled-back one had.
		rollback := errors.New("rollback")
		err = st.InTx(f.ctx, func(tx *store.Tx) error {
			e := edited
			e.ContentHTML = "<p>never committed</p>"
			ok(t, tx.UpdateStatusContent(f.ctx, &e))
			if got, err := tx.StatusesByIDs(f.ctx, []int64{post.ID}); err != nil || got[post.ID].ContentHTML != e.ContentHTML {
				t.Errorf("inside the transaction: %v %v", got[post.ID], err)
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if got := statusText(); got != "<p>second</p>" {
			t.Fatalf("after rollback: %q", got)
		}
		third := edited
		third.ContentHTML = "<p>third</p>"
		f.tx(func(tx *store.Tx) error { return tx.UpdateStatusContent(f.ctx, &third) })
		if got := statusText(); got != "<p>third</p>" {
			t.Fatalf("after the next commit: %q", got)
		}

		// A caller changing what it got does not change the cache.
		m, err = st.Read().StatusesByIDs(f.ctx, []int64{post.ID})
		ok(t, err)
		m[post.ID].ContentHTML = "scribbled"
		m[post.ID].Mentions = append(m[post.ID].Mentions, bob.ID)
		if got := statusText(); got != "<p>third</p>" {
			t.Fatalf("cache changed through a returned copy: %q", got)
		}

		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, post.ID, time.Now()) })
		m, err = st.Read().StatusesByIDs(f.ctx, []int64{post.ID})
		ok(t, err)
		if m[post.ID] == nil || m[post.ID].DeletedAt == nil {
			t.Fatalf("deleted post read back as %+v", m[post.ID])
		}

		if got := displayName(); got != "" {
			t.Fatalf("display name %q", got)
		}
		a := *alice
		a.DisplayName = "Alice A."
		f.tx(func(tx *store.Tx) error { return tx.UpdateAccountProfile(f.ctx, &a) })
		if got := displayName(); got != "Alice A." {
			t.Fatalf("after profile change: %q", got)
		}
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, alice.ID, &now) })
		acc, err := st.Read().AccountsByIDs(f.ctx, []int64{alice.ID})
		ok(t, err)
		if acc[alice.ID].SuspendedAt == nil {
			t.Fatal("suspension not seen through the cache")
		}
	})
}

// A change made by another process (here: another Store on the same
// database, as the admin CLI beside a running server) is seen at once.
func TestModelCacheSeesOtherProcesses(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			server, open := twoProcesses(t, d)
			cli := open()
			f := newFx(t, server)
			alice := f.account("alice")
			read := func() *model.Account {
				m, err := server.Read().AccountsByIDs(f.ctx, []int64{alice.ID})
				ok(t, err)
				return m[alice.ID]
			}
			if read().SuspendedAt != nil {
				t.Fatal("suspended from the start")
			}
			now := time.Now()
			ok(t, cli.InTx(f.ctx, func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, alice.ID, &now) }))
			if read().SuspendedAt == nil {
				t.Fatal("the server's cache missed a suspension made by another process")
			}
		})
	}
}

// The per-viewer cache (relations, flags, home pages) follows every change
// to what it holds, in this process or another one.
func TestViewerCacheIsNeverStale(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			server, open := twoProcesses(t, d)
			other := open() // another process on the same database
			f := newFx(t, server)
			alice, bob := f.account("alice"), f.account("bob")
			post := f.status(bob)
			ctx := f.ctx
			rel := func() *store.Relations {
				t.Helper()
				c, err := server.Read().WithViewerRev(ctx, alice.ID)
				ok(t, err)
				r, err := server.Read().RelationsOf(c, alice.ID, []int64{bob.ID}, time.Now())
				ok(t, err)
				return r
			}
			flags := func() store.ViewerFlags {
				t.Helper()
				c, err := server.Read().WithViewerRev(ctx, alice.ID)
				ok(t, err)
				fl, err := server.Read().ViewerFlagsFor(c, alice.ID, []*model.Status{post})
				ok(t, err)
				return fl
			}
			home := func() int {
				t.Helper()
				c, err := server.Read().WithViewerRev(ctx, alice.ID)
				ok(t, err)
				l, err := server.Read().HomeTimeline(c, alice.ID, model.Page{Limit: 20}, time.Now())
				ok(t, err)
				return len(l)
			}
			for range 2 { // the second time from the cache
				if r := rel(); len(r.Following)+len(r.Blocking)+len(r.BlockedBy) != 0 {
					t.Fatalf("relations from nothing: %+v", r)
				}
				if fl := flags(); fl.Favourited[post.ID] {
					t.Fatal("favourited from nothing")
				}
				if n := home(); n != 0 {
					t.Fatalf("home has %d entries", n)
				}
			}
			for _, st := range []*store.Store{server, other} {
				ok(t, st.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.InsertFollow(ctx, &model.Follow{ID: ids.Next(), AccountID: alice.ID, TargetAccountID: bob.ID, CreatedAt: time.Now()})
					return err
				}))
				if _, following := rel().Following[bob.ID]; !following {
					t.Fatal("a follow is not seen through the cache")
				}
				ok(t, st.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.InsertBlock(ctx, ids.Next(), bob.ID, alice.ID, "", time.Now())
					return err
				}))
				if !rel().BlockedBy[bob.ID] {
					t.Fatal("being blocked is not seen through the cache")
				}
				ok(t, st.InTx(ctx, func(tx *store.Tx) error {
					if _, err := tx.DeleteBlock(ctx, bob.ID, alice.ID); err != nil {
						return err
					}
					_, err := tx.DeleteFollow(ctx, alice.ID, bob.ID)
					return err
				}))
				if r := rel(); r.BlockedBy[bob.ID] || len(r.Following) != 0 {
					t.Fatalf("unblock and unfollow not seen: %+v", r)
				}
				ok(t, st.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.InsertFavourite(ctx, ids.Next(), alice.ID, post.ID, time.Now())
					return err
				}))
				if !flags().Favourited[post.ID] {
					t.Fatal("a like is not seen through the cache")
				}
				ok(t, st.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.DeleteFavourite(ctx, alice.ID, post.ID)
					return err
				}))
				if flags().Favourited[post.ID] {
					t.Fatal("an unlike is not seen through the cache")
				}
				before := home()
				ok(t, st.InTx(ctx, func(tx *store.Tx) error {
					sid := ids.Next()
					p := &model.Status{ID: sid, AccountID: bob.ID, Text: "post", ContentHTML: "<p>post</p>",
						Visibility: model.Public, ThreadID: sid, ConversationID: sid, Local: true, CreatedAt: nowMS()}
					if err := tx.InsertStatus(ctx, p); err != nil {
						return err
					}
					_, err := tx.InsertFeedEntry(ctx, store.FeedEntry{AccountID: alice.ID, EntryID: p.ID, ObjectID: p.ID, AuthorID: bob.ID}, 0)
					return err
				}))
				if n := home(); n != before+1 {
					t.Fatalf("home has %d entries after a new one, had %d", n, before)
				}
			}
		})
	}
}

// A read request's snapshot (SQLite's data version) ends with any commit,
// in this process or another: the next request reads afresh.
func TestSnapshotEndsWithAnyCommit(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			server, open := twoProcesses(t, d)
			f := newFx(t, server)
			alice := f.account("alice")
			post := f.status(alice)
			read := func() *model.Status {
				t.Helper()
				ctx, err := server.WithSnapshot(f.ctx)
				ok(t, err)
				s, err := server.Read().StatusByID(ctx, post.ID)
				ok(t, err)
				return s
			}
			read()
			read() // memoised
			for i, st := range []*store.Store{server, open()} {
				ok(t, st.InTx(f.ctx, func(tx *store.Tx) error { return tx.AdjustStatusCounts(f.ctx, post.ID, 0, 0, 1) }))
				if got := read().FavouritesCount; got != int64(i+1) {
					t.Fatalf("commit %d: favourites_count %d", i+1, got)
				}
			}
		})
	}
}

// twoProcesses opens a migrated database as a server would, and returns
// open, which opens it again as another process (the admin CLI) would.
func twoProcesses(t *testing.T, d store.Dialect) (*store.Store, func() *store.Store) {
	url := testkit.FreshURL(t, d)
	open := func() *store.Store {
		st, err := store.Open(t.Context(), store.Options{URL: url})
		ok(t, err)
		t.Cleanup(func() { st.Close() })
		return st
	}
	server := open()
	ok(t, testkit.MigrateAll(t.Context(), server))
	return server, open
}
