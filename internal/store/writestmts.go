package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
)

// The SQLite writer is one connection that runs every transaction, weft's
// and the job queue's (River's). modernc.org/sqlite parses a statement's
// text on every call unless it is prepared, and parsing was about a third
// of creating a post (River's job insert alone is a long statement). The
// read pool prepares through database/sql (stmtcache.go), but statements
// run inside a *sql.Tx — River's included — cannot be reached that way, so
// the writer's connection itself keeps its statements prepared: this
// wraps the driver's connection and answers Exec and Query from a cache of
// prepared statements, keyed by their text. Written by hand because no
// maintained driver wrapper does this for modernc.org/sqlite.

// maxWriterStatements bounds the writer's cache.
const maxWriterStatements = 256

// stmtConnector opens driver connections that cache prepared statements.
type stmtConnector struct {
	drv   driver.Driver
	dsn   string
	wrote func() // called at every write statement and transaction (the checkpointer's wake-up)
}

func (c stmtConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &stmtConn{Conn: conn, stmts: map[string]*cachedStmt{}, wrote: c.wrote}, nil
}

func (c stmtConnector) Driver() driver.Driver { return c.drv }

type stmtConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
	wrote func()
}

// writing tells the checkpointer of a statement that may write.
func (c *stmtConn) writing(query string) {
	if c.wrote != nil && !isPragma(query) {
		c.wrote()
	}
}

type cachedStmt struct {
	st   driver.Stmt
	busy bool // rows of it are open: a nested use prepares its own
}

// cacheable: one statement only (migrations run several in one Exec,
// which a prepared statement would cut to the first).
func cacheable(query string) bool {
	q := strings.TrimRight(strings.TrimSpace(query), ";")
	// A ";" inside a comment or a string literal does not end a statement
	// (River's job completion has one in a comment): only count the others.
	for i := 0; i < len(q); i++ {
		switch {
		case q[i] == '\'':
			for i++; i < len(q) && q[i] != '\''; i++ {
			}
		case q[i] == '-' && i+1 < len(q) && q[i+1] == '-':
			for ; i < len(q) && q[i] != '\n'; i++ {
			}
		case q[i] == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return false
			}
			i += end + 3
		case q[i] == ';':
			return false
		}
	}
	return true
}

// prepared returns a prepared statement for query and whether it is the
// cached one (then the caller must not close it).
func (c *stmtConn) prepared(ctx context.Context, query string) (driver.Stmt, *cachedStmt, error) {
	if cs := c.stmts[query]; cs != nil && !cs.busy {
		return cs.st, cs, nil
	}
	st, err := c.prepare(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	if _, exists := c.stmts[query]; exists || !cacheable(query) {
		return st, nil, nil
	}
	if len(c.stmts) >= maxWriterStatements {
		for q, cs := range c.stmts { // drop one idle statement
			if !cs.busy {
				cs.st.Close()
				delete(c.stmts, q)
				break
			}
		}
	}
	cs := &cachedStmt{st: st}
	c.stmts[query] = cs
	return st, cs, nil
}

func (c *stmtConn) prepare(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.writing(query)
	if !cacheable(query) {
		if e, ok := c.Conn.(driver.ExecerContext); ok {
			return e.ExecContext(ctx, query, args)
		}
		return nil, driver.ErrSkip
	}
	st, cs, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		defer st.Close()
	}
	e, ok := st.(driver.StmtExecContext)
	if !ok {
		return nil, errors.New("store: driver statement without ExecContext")
	}
	return e.ExecContext(ctx, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.writing(query)
	if !cacheable(query) {
		if q, ok := c.Conn.(driver.QueryerContext); ok {
			return q.QueryContext(ctx, query, args)
		}
		return nil, driver.ErrSkip
	}
	st, cs, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	q, ok := st.(driver.StmtQueryContext)
	if !ok {
		if cs == nil {
			st.Close()
		}
		return nil, errors.New("store: driver statement without QueryContext")
	}
	rows, err := q.QueryContext(ctx, args)
	if err != nil {
		if cs == nil {
			st.Close()
		}
		return nil, err
	}
	if cs != nil {
		cs.busy = true
	}
	return &stmtRows{Rows: rows, cs: cs, own: st}, nil
}

// stmtRows frees (or closes, if uncached) its statement when closed.
type stmtRows struct {
	driver.Rows
	cs  *cachedStmt
	own driver.Stmt
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	if r.cs != nil {
		r.cs.busy = false
	} else {
		err = errors.Join(err, r.own.Close())
	}
	return err
}

func (r *stmtRows) Next(dest []driver.Value) error { return r.Rows.Next(dest) }

func (c *stmtConn) Close() error {
	for _, cs := range c.stmts {
		cs.st.Close()
	}
	c.stmts = nil
	return c.Conn.Close()
}

// What database/sql asks of a connection beyond driver.Conn is passed on.

func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.wrote != nil {
		c.wrote()
	}
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the fallback database/sql itself uses
}

func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.prepare(ctx, query)
}

func (c *stmtConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *stmtConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *stmtConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *stmtConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

var (
	_ driver.ExecerContext      = (*stmtConn)(nil)
	_ driver.QueryerContext     = (*stmtConn)(nil)
	_ driver.ConnBeginTx        = (*stmtConn)(nil)
	_ driver.ConnPrepareContext = (*stmtConn)(nil)
	_ driver.NamedValueChecker  = (*stmtConn)(nil)
	_ io.Closer                 = (*stmtConn)(nil)
)
