package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"weft/internal/model"
)

// AccountSearch selects local accounts by the start of their username or
// display name, whatever its case.
type AccountSearch struct {
	Prefix    string
	Viewer    int64 // accounts that block the viewer, or that the viewer blocks, are left out; 0 = anonymous
	Following bool  // only accounts the viewer follows
	Limit     int
	Offset    int
}

// prefixTop ends the range of strings that start with a prefix: no
// character sorts after the last code point in byte order (SQLite,
// PostgreSQL's C collations), nor, for letters and digits, in the usual
// linguistic collations.
const prefixTop = "\U0010FFFF"

// SearchLocalAccounts lists the local accounts matching s, neither
// suspended nor deleted: first those whose username starts with the prefix,
// in username order (an exact match comes first), then those whose display
// name does, in display-name order. Each part is one range scan of an index
// (accounts_username, accounts_display_name_prefix) that stops after
// Offset+Limit rows, so a search costs about the same however many
// accounts the server has.
func (q Queries) SearchLocalAccounts(ctx context.Context, s AccountSearch) ([]*model.Account, error) {
	if s.Prefix == "" || s.Limit <= 0 || s.Offset < 0 {
		return nil, nil
	}
	upto := s.Offset + s.Limit
	user := strings.ToLower(s.Prefix) // how username_key is made
	byUsername, err := q.searchBranch(ctx, "a.username_key", "a.username_key", user, "", s, upto)
	if err != nil {
		return nil, err
	}
	var byName []*model.Account
	if len(byUsername) < upto {
		// Accounts found by username above are not repeated, so that
		// offsets count the same list page after page.
		byName, err = q.searchBranch(ctx, "lower(a.display_name)", "lower(a.display_name), a.id", q.foldCase(s.Prefix), user, s, upto-len(byUsername))
		if err != nil {
			return nil, err
		}
	}
	all := append(byUsername, byName...)
	if s.Offset >= len(all) {
		return nil, nil
	}
	return all[s.Offset:min(len(all), upto)], nil
}

// searchBranch reads accounts whose expr starts with prefix, in the order
// of the index (order), leaving out those whose username starts with
// notUser when it is set. The range alone selects the prefix: exact in
// byte order (SQLite, PostgreSQL's C collations); a linguistic collation
// may let in a neighbour or two, which is harmless in a search. A
// substr() test would make the planners misjudge the range and sort every
// match instead of reading the index in order and stopping at the limit.
func (q Queries) searchBranch(ctx context.Context, expr, order, prefix, notUser string, s AccountSearch, limit int) ([]*model.Account, error) {
	args := []any{prefix, prefix + prefixTop}
	cond := ""
	if notUser != "" {
		args = append(args, notUser, utf8.RuneCountInString(notUser))
		cond += " AND substr(a.username_key, 1, $4) <> $3"
	}
	if s.Viewer != 0 {
		args = append(args, s.Viewer)
		v := "$" + strconv.Itoa(len(args))
		cond += ` AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.account_id = a.id AND b.target_account_id = ` + v + `)
			AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.account_id = ` + v + ` AND b.target_account_id = a.id)`
		if s.Following {
			cond += ` AND EXISTS (SELECT 1 FROM follows f WHERE f.account_id = ` + v + ` AND f.target_account_id = a.id)`
		}
	}
	lim, args := limitArg(limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a
		WHERE a.domain = '' AND a.suspended_at IS NULL
		AND `+expr+` >= $1 AND `+expr+` < $2`+cond+`
		ORDER BY `+order+lim, args...)
	if err != nil {
		return nil, fmt.Errorf("search accounts: %w", err)
	}
	defer rows.Close()
	var out []*model.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// foldCase lower-cases s as the database's lower() does: SQLite's folds
// ASCII letters only, PostgreSQL's the whole of Unicode.
func (q Queries) foldCase(s string) string {
	if q.dialect != SQLite {
		return strings.ToLower(s)
	}
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// FamiliarFollowers returns, for each target, up to perTarget of its
// followers whom viewer follows, newest follow first; suspended and
// deleted accounts are left out.
func (q Queries) FamiliarFollowers(ctx context.Context, viewer int64, targets []int64, perTarget int) (map[int64][]int64, error) {
	targets = uniqueIDs(targets)
	out := make(map[int64][]int64, len(targets))
	if viewer == 0 || len(targets) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT target, follower FROM (
			SELECT f2.target_account_id AS target, f2.account_id AS follower, f2.id AS row_id,
				ROW_NUMBER() OVER (PARTITION BY f2.target_account_id ORDER BY f2.id DESC) AS n
			FROM follows f1
			JOIN follows f2 ON f2.account_id = f1.target_account_id
			JOIN accounts a ON a.id = f2.account_id AND a.suspended_at IS NULL
			WHERE f1.account_id = $1 AND `+q.inIDs("f2.target_account_id", 2)+`
		) ranked WHERE n <= $3 ORDER BY target, row_id DESC`, viewer, q.idsArg(targets), perTarget)
	if err != nil {
		return nil, fmt.Errorf("familiar followers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var target, follower int64
		if err := rows.Scan(&target, &follower); err != nil {
			return nil, err
		}
		out[target] = append(out[target], follower)
	}
	return out, rows.Err()
}
