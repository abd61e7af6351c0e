package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"weft/internal/model"
)

// On SQLite, `PRAGMA data_version` on a connection changes whenever any
// other connection — this process's writer, or another process such as the
// admin CLI — commits to the database. A read request that takes it first
// (WithSnapshot) can therefore reuse what earlier requests read at the same
// version: nothing has changed in between. That removes the remaining
// queries of a read served from the caches (the revision checks, the token
// lookup) while nothing is being written; any commit starts afresh. Only
// read requests use it, never transactions. PostgreSQL has no such counter
// that is ordered by commit; there every read checks revisions.
type snapshots struct {
	db *sql.DB // one query_only connection, used for nothing else

	// version reads the data version on that connection; a prepared
	// statement behind a mutex is much cheaper per request than going
	// through the pool.
	vmu     sync.Mutex
	version *sql.Stmt

	mu      sync.Mutex
	current *snapshotMemo
}

// snapshotMemo is what was read at one data version.
type snapshotMemo struct {
	version int64

	mu      sync.Mutex
	refs    map[string][]ref
	tokens  map[string]TokenAuth
	filters map[int64]filterMemo
	rows    int // entries, to bound the memo
}

type filterMemo struct {
	list       []*model.Filter
	validUntil time.Time // the first expiry among them
}

// memoEntries bounds one version's memo; past it, reads are not memoised.
const memoEntries = 50_000

func openSnapshots(dsn string) (*snapshots, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return &snapshots{db: db}, nil
}

func (s *snapshots) close() error {
	if s.version != nil {
		s.version.Close()
	}
	return s.db.Close()
}

func (s *snapshots) dataVersion(ctx context.Context) (int64, error) {
	s.vmu.Lock()
	defer s.vmu.Unlock()
	if s.version == nil {
		st, err := s.db.PrepareContext(ctx, `PRAGMA data_version`)
		if err != nil {
			return 0, err
		}
		s.version = st
	}
	var v int64
	err := s.version.QueryRowContext(ctx).Scan(&v)
	return v, err
}

// memo returns the memo of the current data version.
func (s *snapshots) memo(ctx context.Context) (*snapshotMemo, error) {
	v, err := s.dataVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("read data version: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil || s.current.version != v {
		s.current = &snapshotMemo{version: v, refs: map[string][]ref{}, tokens: map[string]TokenAuth{},
			filters: map[int64]filterMemo{}}
	}
	return s.current, nil
}

type snapshotKey struct{}

// WithSnapshot starts a read request: on SQLite it reads the data version
// (before anything else of the request) and lets the request's reads reuse
// those made at the same version. Elsewhere it returns ctx unchanged.
func (s *Store) WithSnapshot(ctx context.Context) (context.Context, error) {
	if s.snaps == nil {
		return ctx, nil
	}
	m, err := s.snaps.memo(ctx)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, snapshotKey{}, m), nil
}

// snapshotOf returns the request's memo, or nil outside read requests and
// in transactions.
func (q Queries) snapshotOf(ctx context.Context) *snapshotMemo {
	if q.cache == nil {
		return nil
	}
	m, _ := ctx.Value(snapshotKey{}).(*snapshotMemo)
	return m
}

func (m *snapshotMemo) full() bool { return m.rows >= memoEntries }

// refsKey identifies a query with its arguments.
func refsKey(query string, args []any) string {
	var b strings.Builder
	b.WriteString(query)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%v", a)
	}
	return b.String()
}

func (m *snapshotMemo) getRefs(key string) ([]ref, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.refs[key]
	return r, ok
}

func (m *snapshotMemo) putRefs(key string, r []ref) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.full() {
		m.refs[key] = r
		m.rows++
	}
}

func (m *snapshotMemo) getToken(hash string) (TokenAuth, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[hash]
	return t, ok
}

func (m *snapshotMemo) putToken(hash string, t TokenAuth) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.full() {
		m.tokens[hash] = t
		m.rows++
	}
}

func (m *snapshotMemo) getFilters(owner int64, now time.Time) ([]*model.Filter, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.filters[owner]
	if !ok || !now.Before(f.validUntil) {
		return nil, false
	}
	return f.list, true
}

func (m *snapshotMemo) putFilters(owner int64, list []*model.Filter, now time.Time) {
	until := now.Add(time.Hour)
	for _, f := range list {
		if f.ExpiresAt != nil && f.ExpiresAt.Before(until) {
			until = *f.ExpiresAt
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.full() {
		m.filters[owner] = filterMemo{list: list, validUntil: until}
		m.rows++
	}
}
