package store

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"

	"weft/internal/model"
)

// Full-text search of posts. Migration 0005 indexes the words of every
// live post (not boosts, not deleted ones): an FTS5 table on SQLite, a GIN
// index on a tsvector expression on PostgreSQL. Both cut text into words at
// every character that is not a letter or a digit and fold case, so a query
// cut the same way (SearchTerms) means the same on both.

// pgSearchDocument is the expression the PostgreSQL index statuses_search
// is built on; a query must repeat it exactly for the index to serve it.
const pgSearchDocument = `to_tsvector('simple', regexp_replace(s.text || ' ' || s.spoiler_text, '[^[:alnum:]]+', ' ', 'g'))`

// SearchTerms cuts a query into the words the index holds: runs of letters
// and digits, in order. Everything else (punctuation, symbols, the '#' of a
// hashtag, the dots of a domain) separates words, as when posts are indexed.
func SearchTerms(query string) []string {
	return strings.FieldsFunc(query, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// StatusSearch selects posts whose text or content warning holds every
// term, whatever its case.
type StatusSearch struct {
	Terms  []string // from SearchTerms; none selects nothing
	Prefix bool     // the last term may also be the start of a longer word
	// Viewer is who searches (required). Candidates are the viewer's own
	// posts, posts that mention them or that they liked, bookmarked,
	// boosted or answered, and public posts by accounts that let their
	// posts be found (discoverable, shown to apps as "indexable"). Posts by
	// accounts the viewer blocks, is blocked by or mutes, and by suspended
	// accounts, are left out. This only pre-filters: the service asks the
	// visibility policy about every post before showing it.
	Viewer    int64
	AccountID int64 // only this account's posts; 0 = anyone's
	Page      model.Page
	Offset    int
}

// SearchStatuses reads a page of matching posts, newest first, paginated by
// ID (max_id, min_id) and by offset.
func (q Queries) SearchStatuses(ctx context.Context, ss StatusSearch, now time.Time) ([]*model.Status, error) {
	if len(ss.Terms) == 0 || ss.Viewer == 0 || ss.Page.Limit <= 0 || ss.Offset < 0 {
		return nil, nil
	}
	var from, match, col, order string
	args := []any{q.matchExpr(ss.Terms, ss.Prefix)}
	if q.dialect == SQLite {
		// FTS5 hands out its matches in rowid (post ID) order, so the
		// query reads them newest first and stops at the limit.
		from, match = `status_fts JOIN statuses s ON s.id = status_fts.rowid`, `status_fts MATCH $1`
		col, order = "status_fts.rowid", "status_fts.rowid"
	} else {
		// Ordered by s.id, PostgreSQL would walk the primary key backwards
		// and compute every post's tsvector until it has a page: instant for
		// common words, minutes for a rare one on a big server. "s.id + 0"
		// cannot come from that index, so the GIN index finds the matches
		// and only they are sorted.
		from, match = `statuses s`, pgSearchDocument+` @@ to_tsquery('simple', $1)`
		col, order = "s.id", "s.id + 0"
	}
	args = append(args, ss.Viewer)
	cond := ` AND (s.account_id = $2
		OR (s.visibility = 'public' AND EXISTS (SELECT 1 FROM accounts ai WHERE ai.id = s.account_id AND ai.discoverable = TRUE))
		OR EXISTS (SELECT 1 FROM status_mentions m WHERE m.status_id = s.id AND m.account_id = $2)
		OR EXISTS (SELECT 1 FROM favourites x WHERE x.account_id = $2 AND x.status_id = s.id)
		OR EXISTS (SELECT 1 FROM bookmarks x WHERE x.account_id = $2 AND x.status_id = s.id)
		OR EXISTS (SELECT 1 FROM statuses r WHERE r.reblog_of_id = s.id AND r.account_id = $2)
		OR EXISTS (SELECT 1 FROM statuses r WHERE r.in_reply_to_id = s.id AND r.account_id = $2 AND r.deleted_at IS NULL))`
	if ss.AccountID != 0 {
		args = append(args, ss.AccountID)
		cond += " AND s.account_id = $" + strconv.Itoa(len(args))
	}
	where, asc, args := pageClause(col, ss.Page, args)
	hidden, args := hiddenAuthors("s.account_id", ss.Viewer, true, now, args)
	lim, args := limitArg(ss.Page.Limit, args)
	if ss.Offset > 0 {
		args = append(args, ss.Offset)
		lim += " OFFSET $" + strconv.Itoa(len(args))
	}
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM `+from+` WHERE `+match+`
		AND s.reblog_of_id IS NULL AND s.deleted_at IS NULL`+cond+where+hidden+orderBy(order, asc)+lim, asc, args)
}

// matchExpr writes terms as the database's full-text query: every term
// required, the last one as a prefix when prefix is set. Terms hold letters
// and digits only, but quotes are escaped all the same, so no query can say
// more than "these words".
func (q Queries) matchExpr(terms []string, prefix bool) string {
	var b strings.Builder
	for i, t := range terms {
		last := i == len(terms)-1
		if q.dialect == SQLite {
			// FTS5: "a" "b" "c"* — phrases side by side must all match.
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
			if last && prefix {
				b.WriteByte('*')
			}
			continue
		}
		// tsquery: 'a' & 'b' & 'c':*
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteString(`'` + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), `'`, `''`) + `'`)
		if last && prefix {
			b.WriteString(":*")
		}
	}
	return b.String()
}
