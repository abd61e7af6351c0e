package store_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestTags(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		_, err := f.q.TagIDByKey(f.ctx, "go")
		isKind(t, err, model.ErrNotFound)

		calls := 0
		newID := func() int64 { calls++; return ids.Next() }
		var first, again int64
		f.tx(func(tx *store.Tx) (err error) {
			if first, err = tx.TagID(f.ctx, "GoLang", "golang", newID, nowMS()); err != nil {
				return err
			}
			again, err = tx.TagID(f.ctx, "golang", "golang", newID, nowMS())
			return err
		})
		if first == 0 || again != first || calls != 1 {
			t.Fatalf("TagID: first %d, again %d, newID called %d times", first, again, calls)
		}
		got, err := f.q.TagIDByKey(f.ctx, "golang")
		ok(t, err)
		if got != first {
			t.Fatalf("TagIDByKey = %d, want %d", got, first)
		}
		// The name stays as first written.
		post := f.status(f.account("alice"))
		f.tx(func(tx *store.Tx) error { return tx.SetTags(f.ctx, post.ID, []int64{first}) })
		same(t, "tags", f.reloadStatus(post).Tags, []string{"GoLang"})
		if other := f.tag("Rust", "rust"); other == first {
			t.Fatal("two keys, one tag")
		}
	})
}
