package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

// tag returns the ID of a tag, creating it.
func (f *fx) tag(name, key string) int64 {
	f.t.Helper()
	var tid int64
	f.tx(func(tx *store.Tx) (err error) {
		tid, err = tx.TagID(f.ctx, name, key, ids.Next, nowMS())
		return err
	})
	return tid
}

func TestStatusRoundTrip(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob, carol := f.account("alice"), f.account("bob", remote("remote.example")), f.account("carol")
		root := f.status(alice)
		now := nowMS()
		s := &model.Status{ID: ids.Next(), AccountID: bob.ID, Text: "hi @alice #Go", ContentHTML: "<p>hi</p>",
			SpoilerText: "cw", Sensitive: true, Language: "en", Visibility: model.Unlisted,
			InReplyToID: root.ID, InReplyToAccountID: alice.ID, ThreadID: root.ID, ConversationID: root.ID + 1,
			Local: false, URI: "https://remote.example/s/1", URL: "https://remote.example/@bob/1",
			CreatedAt: now.Add(-time.Minute), EditedAt: ptr(now)}
		f.tx(func(tx *store.Tx) error {
			if err := tx.InsertStatus(f.ctx, s); err != nil {
				return err
			}
			if err := tx.SetMentions(f.ctx, s.ID, []int64{carol.ID, alice.ID, carol.ID, 0}); err != nil {
				return err
			}
			return nil
		})
		goID, fediID := f.tag("Go", "go"), f.tag("Fedi", "fedi")
		f.tx(func(tx *store.Tx) error { return tx.SetTags(f.ctx, s.ID, []int64{goID, fediID, goID}) })

		want := *s
		want.Mentions = []int64{alice.ID, carol.ID} // by account ID
		want.Tags = []string{"Fedi", "Go"}          // by key
		want.Rev = 2                                // setting mentions and tags bumps the revision
		if alice.ID > carol.ID {
			want.Mentions = []int64{carol.ID, alice.ID}
		}
		got := f.reloadStatus(s)
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("round trip:\n got  %+v\n want %+v", *got, want)
		}

		// A root post: no reply, no boost, no edit.
		got = f.reloadStatus(root)
		if got.InReplyToID != 0 || got.InReplyToAccountID != 0 || got.ReblogOfID != 0 || got.EditedAt != nil ||
			got.DeletedAt != nil || got.Mentions != nil || got.Tags != nil || !got.Local {
			t.Fatalf("root: %+v", got)
		}

		// Mentions and tags are replaced, not added to.
		f.tx(func(tx *store.Tx) error {
			if err := tx.SetMentions(f.ctx, s.ID, []int64{carol.ID}); err != nil {
				return err
			}
			return tx.SetTags(f.ctx, s.ID, nil)
		})
		got = f.reloadStatus(s)
		same(t, "mentions", got.Mentions, []int64{carol.ID})
		same(t, "tags", got.Tags, []string(nil))

		many, err := f.q.StatusesByIDs(f.ctx, []int64{root.ID, s.ID, root.ID, ids.Next()})
		ok(t, err)
		if len(many) != 2 || many[s.ID].Mentions[0] != carol.ID || many[root.ID].AccountID != alice.ID {
			t.Fatalf("StatusesByIDs = %v", many)
		}
		if m, err := f.q.StatusesByIDs(f.ctx, nil); err != nil || len(m) != 0 {
			t.Fatalf("StatusesByIDs(nil) = %v, %v", m, err)
		}
		_, err = f.q.StatusByID(f.ctx, ids.Next())
		isKind(t, err, model.ErrNotFound)
	})
}

func TestBoosts(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob, carol := f.account("alice"), f.account("bob"), f.account("carol")
		post := f.status(alice)
		b1 := f.boost(bob, post)
		err := st.InTx(f.ctx, func(tx *store.Tx) error {
			return tx.InsertStatus(f.ctx, &model.Status{ID: ids.Next(), AccountID: bob.ID, Visibility: model.Public,
				ReblogOfID: post.ID, ThreadID: post.ID, ConversationID: post.ID, Local: true, CreatedAt: nowMS()})
		})
		isKind(t, err, model.ErrAlready)
		b2 := f.boost(carol, post)

		got, err := f.q.ReblogBy(f.ctx, bob.ID, post.ID)
		ok(t, err)
		if got.ID != b1.ID || got.ReblogOfID != post.ID {
			t.Fatalf("ReblogBy = %+v", got)
		}
		_, err = f.q.ReblogBy(f.ctx, alice.ID, post.ID)
		isKind(t, err, model.ErrNotFound)
		rb, err := f.q.ReblogIDsOf(f.ctx, post.ID)
		ok(t, err)
		same(t, "boosts", rb, []int64{b1.ID, b2.ID})

		f.tx(func(tx *store.Tx) error { return tx.DeleteStatusRow(f.ctx, b1.ID) })
		_, err = f.q.StatusByID(f.ctx, b1.ID)
		isKind(t, err, model.ErrNotFound)
		rb, err = f.q.ReblogIDsOf(f.ctx, post.ID)
		ok(t, err)
		same(t, "boosts after removal", rb, []int64{b2.ID})
		// Bob may boost again.
		f.boost(bob, post)

		// A post that is not a boost and takes a taken ID is a plain error.
		err = st.InTx(f.ctx, func(tx *store.Tx) error {
			dup := *post
			return tx.InsertStatus(f.ctx, &dup)
		})
		if err == nil || errors.Is(err, model.ErrAlready) || errors.Is(err, model.ErrConflict) {
			t.Fatalf("duplicate post ID: %v", err)
		}
	})
}

func TestEditAndDeleteStatus(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		post := f.status(alice, func(s *model.Status) { s.SpoilerText = "cw" })
		edited := *post
		edited.Text, edited.ContentHTML, edited.SpoilerText, edited.Sensitive, edited.Language = "new", "<p>new</p>", "", true, "fr"
		edited.EditedAt = ptr(nowMS())
		edited.Visibility, edited.AccountID = model.Direct, bob.ID // not editable: ignored
		f.tx(func(tx *store.Tx) error { return tx.UpdateStatusContent(f.ctx, &edited) })
		got := f.reloadStatus(post)
		want := edited
		want.Visibility, want.AccountID = model.Public, alice.ID
		want.Rev++ // every change bumps the revision
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("after edit:\n got  %+v\n want %+v", *got, want)
		}

		del := nowMS()
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, post.ID, del) })
		got = f.reloadStatus(post)
		if got.DeletedAt == nil || !got.DeletedAt.Equal(del) || got.Text != "" || got.ContentHTML != "" || got.SpoilerText != "" {
			t.Fatalf("soft deleted: %+v", got)
		}
		// Deleting again keeps the first time.
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, post.ID, del.Add(time.Hour)) })
		if got := f.reloadStatus(post); !got.DeletedAt.Equal(del) {
			t.Fatalf("second delete moved deleted_at to %v", got.DeletedAt)
		}

		// DeleteStatusRow also drops the notifications about the row.
		boost := f.boost(bob, f.status(alice))
		n := f.notify(alice, bob, model.NotifyReblog, boost.ID)
		f.tx(func(tx *store.Tx) error { return tx.DeleteStatusRow(f.ctx, boost.ID) })
		_, err := f.q.Notification(f.ctx, alice.ID, n.ID)
		isKind(t, err, model.ErrNotFound)
	})
}

func TestStatusCounters(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		post := f.status(f.account("alice"))
		for i, s := range []struct{ r, b, fv, wr, wb, wf int64 }{
			{1, 2, 3, 1, 2, 3}, {-1, 1, -1, 0, 3, 2}, {-9, -9, -9, 0, 0, 0}, {0, 0, 1, 0, 0, 1},
		} {
			f.tx(func(tx *store.Tx) error { return tx.AdjustStatusCounts(f.ctx, post.ID, s.r, s.b, s.fv) })
			got := f.reloadStatus(post)
			if got.RepliesCount != s.wr || got.ReblogsCount != s.wb || got.FavouritesCount != s.wf {
				t.Fatalf("step %d: %d/%d/%d, want %d/%d/%d", i, got.RepliesCount, got.ReblogsCount, got.FavouritesCount, s.wr, s.wb, s.wf)
			}
		}
	})
}

func TestThreadAndAccountStatusIDs(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob := f.account("alice"), f.account("bob")
		root := f.status(alice)
		r1 := f.status(bob, replyTo(root))
		other := f.status(alice)
		r2 := f.status(alice, replyTo(r1))
		f.boost(bob, root) // boosts are not part of the thread
		r3 := f.status(bob, replyTo(r2))
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, r1.ID, nowMS()) })

		thread, err := f.q.ThreadStatuses(f.ctx, root.ThreadID, 10)
		ok(t, err)
		same(t, "thread, oldest first, deleted kept", statusIDs(thread), []int64{root.ID, r1.ID, r2.ID, r3.ID})
		thread, err = f.q.ThreadStatuses(f.ctx, root.ThreadID, 2)
		ok(t, err)
		same(t, "thread limit", statusIDs(thread), []int64{root.ID, r1.ID})

		got, err := f.q.StatusIDsOfAccount(f.ctx, alice.ID, 0, 10)
		ok(t, err)
		same(t, "alice's statuses", got, []int64{root.ID, other.ID, r2.ID})
		got, err = f.q.StatusIDsOfAccount(f.ctx, alice.ID, root.ID, 1)
		ok(t, err)
		same(t, "after root", got, []int64{other.ID})
	})
}

func TestEngagedAccountIDs(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice := f.account("alice")
		booster, liker, both := f.account("booster"), f.account("liker"), f.account("both")
		far := f.account("far", remote("remote.example"))
		post, other := f.status(alice), f.status(alice)
		for _, a := range []*model.Account{booster, both, far} {
			f.boost(a, post)
		}
		for _, a := range []*model.Account{liker, both, far} {
			f.tx(func(tx *store.Tx) error {
				_, err := tx.InsertFavourite(f.ctx, ids.Next(), a.ID, post.ID, nowMS())
				return err
			})
		}
		f.boost(liker, other)
		got, err := f.q.EngagedAccountIDs(f.ctx, post.ID)
		ok(t, err)
		same(t, "engaged local accounts", got, []int64{booster.ID, liker.ID, both.ID})
	})
}
