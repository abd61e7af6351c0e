package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"weft/internal/model"
)

// Times are stored as BIGINT milliseconds since the Unix epoch, which both
// databases compare and index the same way.
func ms(t time.Time) int64 { return t.UnixMilli() }

func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// inIDs returns the condition "col is one of the IDs in parameter $n", the
// IDs passed as one argument made by idsArg. One parameter instead of one
// per ID keeps the SQL text the same whatever the list's length, and spares
// SQLite's parser, which looks numbered parameters up in a list: with a
// few hundred of them, parsing took most of a query's time.
func (q Queries) inIDs(col string, n int) string {
	p := "$" + strconv.Itoa(n)
	if q.dialect == SQLite {
		return col + " IN (SELECT value FROM json_each(" + p + "))"
	}
	return col + " = ANY(CAST(" + p + " AS BIGINT[]))"
}

// idRows returns a table expression with one row per ID of parameter $n,
// in a column named id, for INSERT … SELECT. (In INSERT … SELECT … ON
// CONFLICT, SQLite needs the SELECT to have a WHERE clause to parse it.)
func (q Queries) idRows(n int) string {
	p := "$" + strconv.Itoa(n)
	if q.dialect == SQLite {
		return "(SELECT value AS id FROM json_each(" + p + ")) AS ids"
	}
	return "unnest(CAST(" + p + " AS BIGINT[])) AS ids(id)"
}

// idsArg is the argument for an inIDs parameter: a JSON array for SQLite,
// an array for PostgreSQL.
func (q Queries) idsArg(ids []int64) any {
	if q.dialect != SQLite {
		return ids
	}
	b := make([]byte, 0, len(ids)*20+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// notFound turns sql.ErrNoRows into a typed not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return model.NotFound(what)
	}
	return err
}

// isUniqueViolation reports a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || // SQLite
		strings.Contains(msg, "SQLSTATE 23505") // PostgreSQL unique_violation
}

// uniqueIDs drops zeros and duplicates, keeping order.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// pageClause adds Mastodon's max_id/since_id/min_id bounds on column col and
// returns the WHERE fragment, the ORDER BY direction and the new args. With
// min_id the query reads upwards from it (ascending) and the caller reverses
// the rows, so the page is the one right above min_id, newest first.
func pageClause(col string, p model.Page, args []any) (where string, ascending bool, out []any) {
	var conds []string
	if p.MaxID != 0 {
		args = append(args, p.MaxID)
		conds = append(conds, col+" < $"+strconv.Itoa(len(args)))
	}
	if p.MinID != 0 {
		args = append(args, p.MinID)
		conds = append(conds, col+" > $"+strconv.Itoa(len(args)))
		ascending = true
	} else if p.SinceID != 0 {
		args = append(args, p.SinceID)
		conds = append(conds, col+" > $"+strconv.Itoa(len(args)))
	}
	if len(conds) > 0 {
		where = " AND " + strings.Join(conds, " AND ")
	}
	return where, ascending, args
}

func orderBy(col string, ascending bool) string {
	if ascending {
		return " ORDER BY " + col + " ASC"
	}
	return " ORDER BY " + col + " DESC"
}

// limitArg appends a LIMIT placeholder.
func limitArg(limit int, args []any) (string, []any) {
	args = append(args, limit)
	return " LIMIT $" + strconv.Itoa(len(args)), args
}

// prefixed qualifies each column of a comma-separated list with prefix.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
