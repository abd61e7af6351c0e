package store_test

import (
	"reflect"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestStatusEdits(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice := f.account("alice")
		post, other := f.status(alice), f.status(alice)
		var want []*model.StatusEdit
		for i, text := range []string{"v1", "v2", "v3"} {
			e := &model.StatusEdit{ID: ids.Next(), StatusID: post.ID, AccountID: alice.ID, Text: text,
				ContentHTML: "<p>" + text + "</p>", SpoilerText: "cw" + text, Sensitive: i%2 == 1,
				CreatedAt: nowMS().Add(time.Duration(i) * time.Second)}
			f.tx(func(tx *store.Tx) error { return tx.InsertStatusEdit(f.ctx, e) })
			want = append(want, e)
		}
		f.tx(func(tx *store.Tx) error {
			return tx.InsertStatusEdit(f.ctx, &model.StatusEdit{ID: ids.Next(), StatusID: other.ID, AccountID: alice.ID, CreatedAt: nowMS()})
		})
		got, err := f.q.StatusEdits(f.ctx, post.ID)
		ok(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("edits:\n got  %+v\n want %+v", got, want)
		}
		none, err := f.q.StatusEdits(f.ctx, ids.Next())
		ok(t, err)
		same(t, "no edits", none, []*model.StatusEdit(nil))
	})
}
