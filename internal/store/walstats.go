package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"modernc.org/sqlite"
)

// WALStats describes SQLite's write-ahead log, for metrics and benchmarks.
type WALStats struct {
	// FileBytes is the size of the -wal file now.
	FileBytes int64
	// PagesWritten counts the pages the writer has written into the WAL
	// since the store opened (each page is one frame: the page size plus
	// a 24-byte header).
	PagesWritten int64
	// PageSize is the database's page size in bytes.
	PageSize int64
}

// ErrNotSQLite is returned by what only SQLite has.
var ErrNotSQLite = errors.New("not an SQLite database")

// WAL reports the write-ahead log's figures. It waits for the writer to be
// free (bounded by ctx).
func (s *Store) WAL(ctx context.Context) (WALStats, error) {
	if s.Dialect != SQLite {
		return WALStats{}, ErrNotSQLite
	}
	var st WALStats
	var err error
	if st.FileBytes, err = s.WALFileSize(); err != nil {
		return st, err
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("WAL figures: %w", err)
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&st.PageSize); err != nil {
		return st, fmt.Errorf("WAL figures: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stmtConn)
		if !ok {
			return fmt.Errorf("writer connection is a %T", dc)
		}
		status, ok := c.Conn.(sqlite.DBStatus)
		if !ok {
			return fmt.Errorf("SQLite connection without status: %T", c.Conn)
		}
		n, _, err := status.Status(sqlite.DBStatusCacheWrite, false)
		st.PagesWritten = int64(n)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("WAL figures: %w", err)
	}
	return st, nil
}

// walPath is the SQLite database's -wal file.
func (s *Store) walPath() string { return strings.TrimPrefix(s.URL, "sqlite:") + "-wal" }

// WALFileSize is the size of the -wal file now (0 when there is none).
func (s *Store) WALFileSize() (int64, error) {
	if s.Dialect != SQLite {
		return 0, ErrNotSQLite
	}
	fi, err := os.Stat(s.walPath())
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("WAL size: %w", err)
	}
	return fi.Size(), nil
}

// WALResets counts the times the checkpointer has emptied the log since
// the store opened (0 on PostgreSQL).
func (s *Store) WALResets() int64 {
	if s.checkpointer == nil {
		return 0
	}
	return s.checkpointer.resets.Load()
}
