package store_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"weft/internal/store"
	"weft/internal/testkit"
)

func latestVersion(t *testing.T) int {
	t.Helper()
	all, err := store.Migrations()
	ok(t, err)
	if len(all) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range all {
		if m.Version != i+1 || m.Name == "" || m.SQL == "" {
			t.Fatalf("migration %d: version %d name %q, want consecutive, named, non-empty", i, m.Version, m.Name)
		}
	}
	return all[len(all)-1].Version
}

func open(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Options{URL: url})
	ok(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

func TestMigrateIdempotent(t *testing.T) {
	t.Parallel()
	latest := latestVersion(t)
	testkit.EachDB(t, func(t *testing.T, migrated *store.Store) {
		ctx := context.Background()
		// The test store is migrated already: nothing to do, extra still runs.
		extraRan := false
		applied, err := migrated.Migrate(ctx, func(context.Context, *sql.Tx) error { extraRan = true; return nil })
		ok(t, err)
		same(t, "applied on a migrated store", applied, []int(nil))
		if !extraRan {
			t.Error("extra did not run")
		}
		v, err := migrated.SchemaVersion(ctx)
		ok(t, err)
		if v != latest {
			t.Errorf("SchemaVersion = %d, want %d", v, latest)
		}

		st := open(t, testkit.FreshURL(t, migrated.Dialect))
		if v, err := st.SchemaVersion(ctx); err != nil || v != 0 {
			t.Fatalf("fresh SchemaVersion = %d, %v; want 0", v, err)
		}
		applied, err = st.Migrate(ctx, nil)
		ok(t, err)
		want := make([]int, latest)
		for i := range want {
			want[i] = i + 1
		}
		same(t, "first run", applied, want)
		applied, err = st.Migrate(ctx, nil)
		ok(t, err)
		same(t, "second run", applied, []int(nil))
		if v, err := st.SchemaVersion(ctx); err != nil || v != latest {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, latest)
		}
		// The schema works: a row goes in and comes back.
		f := newFx(t, st)
		a := f.account("alice")
		if got := f.reload(a); got.Username != "alice" {
			t.Fatalf("account after migration: %+v", got)
		}
	})
}

func TestMigrateExtraFailureRollsBack(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, migrated *store.Store) {
		if migrated.Dialect != store.SQLite {
			t.Skip("on PostgreSQL extra runs after weft's migrations commit")
		}
		ctx := context.Background()
		st := open(t, testkit.FreshURL(t, migrated.Dialect))
		boom := sql.ErrConnDone
		if _, err := st.Migrate(ctx, func(context.Context, *sql.Tx) error { return boom }); err != boom {
			t.Fatalf("Migrate error = %v, want %v", err, boom)
		}
		if v, err := st.SchemaVersion(ctx); err != nil || v != 0 {
			t.Fatalf("SchemaVersion after failed migration = %d, %v; want 0", v, err)
		}
	})
}

// Several processes starting at once against one fresh database all
// migrate successfully: the PostgreSQL advisory lock (or SQLite's IMMEDIATE
// transaction) lets exactly one apply each migration.
func TestMigrateConcurrent(t *testing.T) {
	t.Parallel()
	latest := latestVersion(t)
	testkit.EachDB(t, func(t *testing.T, migrated *store.Store) {
		ctx := context.Background()
		url := testkit.FreshURL(t, migrated.Dialect)
		const n = 6
		stores := make([]*store.Store, n)
		for i := range stores {
			stores[i] = open(t, url)
		}
		applied := make([][]int, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, st := range stores {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				applied[i], errs[i] = st.Migrate(ctx, nil)
			}()
		}
		close(start)
		wg.Wait()
		total := 0
		for i := range stores {
			if errs[i] != nil {
				t.Errorf("migrator %d: %v", i, errs[i])
			}
			total += len(applied[i])
		}
		if total != latest {
			t.Errorf("migrations applied %d times in all, want %d (once each)", total, latest)
		}
		for i, st := range stores {
			if v, err := st.SchemaVersion(ctx); err != nil || v != latest {
				t.Errorf("store %d: SchemaVersion = %d, %v", i, v, err)
			}
		}
	})
}

// The full migration, River's included, also survives concurrent starts.
func TestMigrateAllConcurrent(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, migrated *store.Store) {
		ctx := context.Background()
		url := testkit.FreshURL(t, migrated.Dialect)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			st := open(t, url)
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = testkit.MigrateAll(ctx, st)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("migrator %d: %v", i, err)
			}
		}
	})
}
