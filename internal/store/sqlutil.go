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

// placeholders returns "$from, $from+1, …" for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
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

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// limitArg appends a LIMIT placeholder.
func limitArg(limit int, args []any) (string, []any) {
	args = append(args, limit)
	return " LIMIT $" + strconv.Itoa(len(args)), args
}
