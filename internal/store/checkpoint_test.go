package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// SQLite's log stays bounded while readers never stop (PASSIVE checkpoints
// alone could not restart it: it reached 470 MB in BenchmarkPostingWAL and
// kept that size), and is emptied once the writes stop.
func TestSQLiteWALStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 64 MB")
	}
	t.Parallel()
	ctx := context.Background()
	st := testkit.NewStore(t, store.SQLite)
	// Readers one after the other without a gap, as on a busy server:
	// there is always a snapshot in use.
	readCtx, stopReading := context.WithCancel(ctx)
	var readers sync.WaitGroup
	for range 4 {
		readers.Go(func() {
			for readCtx.Err() == nil {
				tx, err := st.ReadDB().BeginTx(readCtx, &sql.TxOptions{ReadOnly: true})
				if err != nil {
					continue
				}
				var n int
				_ = tx.QueryRowContext(readCtx, `SELECT count(*) FROM tags`).Scan(&n)
				time.Sleep(2 * time.Millisecond)
				_ = tx.Rollback()
			}
		})
	}
	walSize := func() int64 {
		n, err := st.WALFileSize()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, err := st.WAL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 64<<10)
	var peak int64
	for i := range 1000 { // each commit writes ~17 pages: about 70 MB in all
		if _, err := st.WriteDB().ExecContext(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES ($1, $2, $3, 0)`,
			i+1, big, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		peak = max(peak, walSize())
	}
	after, err := st.WAL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	written := (after.PagesWritten - before.PagesWritten) * (after.PageSize + 24)
	if written < 48<<20 {
		t.Fatalf("the test wrote only %d MB to the log", written>>20)
	}
	// The reset threshold is 16 MB; what is written while a reset waits
	// its turn comes on top.
	if peak > 40<<20 {
		t.Fatalf("the log reached %d MB for %d MB written", peak>>20, written>>20)
	}
	deadline := time.Now().Add(20 * time.Second)
	for walSize() > 1<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the log kept %d KB with the writes stopped", walSize()>>10)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopReading()
	readers.Wait()
	t.Logf("%d MB written, the log's peak %d MB", written>>20, peak>>20)
}
