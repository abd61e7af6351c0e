package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// checkpointInterval is how often the WAL is copied back into the database
// file. Between checkpoints the WAL grows by what was written meanwhile.
const checkpointInterval = time.Second

// checkpointer runs SQLite's PASSIVE checkpoints on its own connection, off
// the request path. PASSIVE never blocks writers or readers; it copies what
// it can and tries again next time.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done sync.WaitGroup
}

func (s *Store) startCheckpointer(dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open checkpoint connection: %w", err)
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{})}
	c.done.Add(1)
	go c.run()
	s.checkpointer = c
	return nil
}

func (c *checkpointer) run() {
	defer c.done.Done()
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			// An error (a busy database) only means the next tick tries again.
			_, _ = c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			cancel()
		}
	}
}

// stopCheckpointer stops the background checkpoints; the last connection to
// close checkpoints the rest, as SQLite does.
func (s *Store) stopCheckpointer() {
	if s.checkpointer == nil {
		return
	}
	close(s.checkpointer.stop)
	s.checkpointer.done.Wait()
	s.checkpointer.db.Close()
	s.checkpointer = nil
}
