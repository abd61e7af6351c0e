package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

// Commits do not copy SQLite's WAL into the database file (that made some
// requests wait for an fsync); the background checkpointer does, soon after.
func TestSQLiteCheckpointsInTheBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "weft.db")
	st, err := store.Open(ctx, store.Options{URL: "sqlite:" + path})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := testkit.MigrateAll(ctx, st); err != nil {
		t.Fatal(err)
	}
	// The writer never checkpoints on commit…
	var auto int
	if err := st.WriteDB().QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("the writer checkpoints every %d pages on commit, want never (0)", auto)
	}
	// …and yet what is committed reaches the database file soon after.
	if _, err := st.WriteDB().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	err = st.InTx(ctx, func(tx *store.Tx) error {
		for i := 0; i < 2000; i++ {
			if _, err := tx.SQL().ExecContext(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES ($1, $2, $2, 0)`,
				i+1, fmt.Sprintf("tag%d-with-some-length-to-fill-pages", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for size() == before {
		if time.Now().After(deadline) {
			t.Fatal("the WAL was not checkpointed into the database file")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
