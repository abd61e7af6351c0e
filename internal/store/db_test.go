package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct{ url, want string }{
		{"mysql://root:hunter2@db/weft", "unsupported URL"},
		{"sqlite:", "empty SQLite path"},
	} {
		_, err := store.Open(ctx, store.Options{URL: c.url})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%q) = %v, want an error with %q", c.url, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) error shows the password: %v", c.url, err)
		}
	}
}

func TestStoreBasics(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ok(t, st.Ping(ctx))
		if st.WriteDB() == nil {
			t.Fatal("WriteDB is nil")
		}
		pools := st.Pools()
		switch st.Dialect {
		case store.SQLite:
			if len(pools) != 2 || pools["write"] != st.WriteDB() || pools["read"] == nil {
				t.Errorf("SQLite pools = %v, want write and read", pools)
			}
			if !strings.HasPrefix(st.URL, "sqlite:/") {
				t.Errorf("SQLite URL %q, want an absolute sqlite: path", st.URL)
			}
		case store.Postgres:
			if len(pools) != 1 || pools["main"] != st.WriteDB() {
				t.Errorf("PostgreSQL pools = %v, want main", pools)
			}
		}
		// Open connects but does not migrate; Close closes every pool.
		other, err := store.Open(ctx, store.Options{URL: testkit.FreshURL(t, st.Dialect), MaxConns: 2})
		ok(t, err)
		if other.Dialect != st.Dialect {
			t.Errorf("Dialect = %q, want %q", other.Dialect, st.Dialect)
		}
		if v, err := other.SchemaVersion(ctx); err != nil || v != 0 {
			t.Errorf("fresh database at version %d, %v", v, err)
		}
		ok(t, other.Close())
		if err := other.Ping(ctx); err == nil {
			t.Error("Ping after Close succeeded")
		}
		for name, db := range other.Pools() {
			if err := db.PingContext(ctx); err == nil {
				t.Errorf("pool %s open after Close", name)
			}
		}
	})
}

func TestInTx(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		ctx := f.ctx
		a := &model.Account{ID: ids.Next(), Username: "rolled", CreatedAt: nowMS(), UpdatedAt: nowMS()}
		boom := errors.New("boom")
		err := st.InTx(ctx, func(tx *store.Tx) error {
			if tx.SQL() == nil {
				t.Error("Tx.SQL is nil")
			}
			if err := tx.InsertAccount(ctx, a); err != nil {
				return err
			}
			// The transaction sees its own write.
			if _, err := tx.AccountByID(ctx, a.ID); err != nil {
				t.Errorf("read own write: %v", err)
			}
			return boom
		})
		if err != boom {
			t.Fatalf("InTx error = %v, want the callback's", err)
		}
		_, err = f.q.AccountByID(ctx, a.ID)
		isKind(t, err, model.ErrNotFound)

		// Committed writes are visible to Read, also through the *sql.Tx.
		f.tx(func(tx *store.Tx) error {
			if err := tx.InsertAccount(ctx, a); err != nil {
				return err
			}
			_, err := tx.SQL().ExecContext(ctx, `UPDATE accounts SET display_name = 'via sql' WHERE id = $1`, a.ID)
			return err
		})
		if got := f.reload(a); got.DisplayName != "via sql" {
			t.Fatalf("display name %q after commit", got.DisplayName)
		}
	})
}
