// Package store is weft's persistence: plain SQL over database/sql, one
// schema for SQLite (modernc.org/sqlite, pure Go) and PostgreSQL (pgx), and
// one conformance suite that runs on both.
//
// The store is concrete rather than an interface with a second, in-memory
// implementation: tests run on the real databases, so a second
// implementation would only be a place for behaviour to drift.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialect names the database behind a Store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// busyTimeout is how long SQLite connections wait for a lock another
// process holds (the admin CLI beside `weft serve`).
const busyTimeout = 10 * time.Second

// Options configure Open.
type Options struct {
	// URL is "sqlite:PATH" or "postgres://…".
	URL string
	// MaxConns bounds the connection pool (PostgreSQL) or the reader pool
	// (SQLite). 0 chooses a default.
	MaxConns int
}

// Store is an open database.
type Store struct {
	Dialect Dialect
	URL     string
	// write runs transactions. On SQLite it holds a single connection and
	// begins IMMEDIATE transactions: SQLite has one writer at a time, and
	// queueing writers in Go is fairer and faster than letting them spin on
	// SQLITE_BUSY. Other processes (the admin CLI) wait on busy_timeout.
	write *sql.DB
	// read serves reads outside transactions; on PostgreSQL it is the same pool.
	read *sql.DB
	// checkpointer copies SQLite's WAL into the database in the background.
	checkpointer *checkpointer
	// readStmts caches prepared statements of the SQLite read pool.
	readStmts *stmtCache
	// models caches rows read outside transactions (modelcache.go).
	models *modelCache
	// snaps lets read requests reuse reads made at the same SQLite data
	// version (snapshot.go); nil on PostgreSQL.
	snaps *snapshots
}

// Open connects to the database named by opts.URL. It does not migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	switch {
	case opts.URL == "" || strings.HasPrefix(opts.URL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(opts.URL, "sqlite:"), opts)
	case strings.HasPrefix(opts.URL, "postgres://"), strings.HasPrefix(opts.URL, "postgresql://"):
		return openPostgres(ctx, opts)
	}
	return nil, fmt.Errorf("open database: unsupported URL %q (want sqlite:PATH or postgres://…)", redact(opts.URL))
}

func openSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("open database: empty SQLite path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// busy_timeout lets a second process (the admin CLI beside `serve`) wait
	// for the write lock instead of failing; WAL lets readers run beside the
	// writer; synchronous=NORMAL is durable in WAL mode except on power loss
	// of the last transactions, the usual trade for SQLite servers.
	pragmas := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)",
		busyTimeout.Milliseconds())
	dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() + "?"
	// The writer does not checkpoint the WAL on commit: that made one
	// request in a hundred wait ~10 ms for the copy and its fsync. A
	// background checkpointer does it instead (checkpoint.go).
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	drv := probe.Driver()
	probe.Close()
	// The writer keeps its statements prepared (writestmts.go), and tells
	// the checkpointer when it writes.
	ckpt := newCheckpointer(abs + "-wal")
	write := sql.OpenDB(stmtConnector{drv: drv, wrote: ckpt.wrote,
		dsn: dsn + pragmas + fmt.Sprintf("&_pragma=wal_autocheckpoint(0)&_pragma=journal_size_limit(%d)&_txlock=immediate", journalSizeLimit)})
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	read, err := sql.Open("sqlite", dsn+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 4
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(5 * time.Minute)

	snaps, err := openSnapshots(dsn + pragmas + "&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	s := &Store{Dialect: SQLite, URL: "sqlite:" + abs, write: write, read: read, readStmts: newStmtCache(read),
		models: newModelCache(), snaps: snaps}
	// Touch the writer first: it creates the file and switches it to WAL
	// before a query_only reader could try to.
	if err := write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", abs, err)
	}
	if err := s.startCheckpointer(ckpt, dsn+pragmas); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openPostgres(ctx context.Context, opts Options) (*Store, error) {
	db, err := sql.Open("pgx", opts.URL)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(opts.URL), err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 16
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", redact(opts.URL), err)
	}
	return &Store{Dialect: Postgres, URL: opts.URL, write: db, read: db, models: newModelCache()}, nil
}

// Close closes the pools.
func (s *Store) Close() error {
	s.stopCheckpointer()
	if s.readStmts != nil {
		s.readStmts.close()
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if s.snaps != nil {
		err = errors.Join(err, s.snaps.close())
	}
	return err
}

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// WriteDB is the pool that transactions run on; the job queue shares it so
// jobs can be inserted in the same transaction as the change they follow.
func (s *Store) WriteDB() *sql.DB { return s.write }

// ReadDB is the pool for reads outside transactions (job statistics).
func (s *Store) ReadDB() *sql.DB { return s.read }

// Pools returns the distinct pools, named, for metrics.
func (s *Store) Pools() map[string]*sql.DB {
	if s.read == s.write {
		return map[string]*sql.DB{"main": s.write}
	}
	return map[string]*sql.DB{"write": s.write, "read": s.read}
}

// Read returns queries that run outside any transaction, on the read pool.
func (s *Store) Read() Queries {
	if s.readStmts != nil {
		return Queries{db: cachedQuerier{s.readStmts}, dialect: s.Dialect, cache: s.models}
	}
	return Queries{db: s.read, dialect: s.Dialect, cache: s.models}
}

// Tx is an open transaction: every Queries method, plus the *sql.Tx for
// inserting jobs atomically with the change.
type Tx struct {
	Queries
	tx          *sql.Tx
	afterCommit []func()
}

// SQL returns the underlying transaction (for the job queue).
func (t *Tx) SQL() *sql.Tx { return t.tx }

// AfterCommit runs fn once the transaction has committed (never when it
// rolls back): for what must see the change, like waking the job queue's
// workers for the jobs inserted in it.
func (t *Tx) AfterCommit(fn func()) { t.afterCommit = append(t.afterCommit, fn) }

// InTx runs fn in a transaction, committing when it returns nil and rolling
// back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{Queries: Queries{db: sqlTx, dialect: s.Dialect}, tx: sqlTx}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	for _, fn := range tx.afterCommit {
		fn()
	}
	return nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Queries holds every query weft runs. It is a small value: copy it freely.
type Queries struct {
	db      querier
	dialect Dialect
	cache   *modelCache // nil in transactions
}

// redact hides a password in a database URL for logs and errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
