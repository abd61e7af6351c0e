package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"weft/internal/model"
)

// InsertFollow records an accepted follow; false when it existed already.
func (q Queries) InsertFollow(ctx context.Context, f *model.Follow) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO follows (id, account_id, target_account_id, show_reblogs, notify, uri, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, target_account_id) DO NOTHING`,
		f.ID, f.AccountID, f.TargetAccountID, f.ShowReblogs, f.Notify, f.URI, ms(f.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert follow: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UpdateFollowOptions changes show_reblogs and notify of an existing follow.
func (q Queries) UpdateFollowOptions(ctx context.Context, accountID, targetID int64, showReblogs, notify bool) error {
	_, err := q.db.ExecContext(ctx, `UPDATE follows SET show_reblogs = $3, notify = $4 WHERE account_id = $1 AND target_account_id = $2`,
		accountID, targetID, showReblogs, notify)
	if err != nil {
		return fmt.Errorf("update follow: %w", err)
	}
	return nil
}

// DeleteFollow removes a follow; false when there was none.
func (q Queries) DeleteFollow(ctx context.Context, accountID, targetID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM follows WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	if err != nil {
		return false, fmt.Errorf("delete follow: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Follow returns the follow of accountID to targetID, or ErrNotFound.
func (q Queries) Follow(ctx context.Context, accountID, targetID int64) (*model.Follow, error) {
	var f model.Follow
	var created int64
	err := q.db.QueryRowContext(ctx, `SELECT id, account_id, target_account_id, show_reblogs, notify, uri, created_at
		FROM follows WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID).
		Scan(&f.ID, &f.AccountID, &f.TargetAccountID, &f.ShowReblogs, &f.Notify, &f.URI, &created)
	if err != nil {
		return nil, notFound(err, "follow")
	}
	f.CreatedAt = fromMS(created)
	return &f, nil
}

// Follower is one row of a fan-out: a follower and their options.
type Follower struct {
	AccountID   int64
	ShowReblogs bool
	Notify      bool
}

// LocalFollowersOf lists the local followers of an account by account ID,
// after afterID, for fan-out in batches.
func (q Queries) LocalFollowersOf(ctx context.Context, accountID, afterID int64, limit int) ([]Follower, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT f.account_id, f.show_reblogs, f.notify FROM follows f
		JOIN accounts a ON a.id = f.account_id
		WHERE f.target_account_id = $1 AND a.domain = '' AND f.account_id > $2
		ORDER BY f.account_id LIMIT $3`, accountID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list followers: %w", err)
	}
	defer rows.Close()
	var out []Follower
	for rows.Next() {
		var f Follower
		if err := rows.Scan(&f.AccountID, &f.ShowReblogs, &f.Notify); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FollowingAmong returns which of ids accountID follows.
func (q Queries) FollowingAmong(ctx context.Context, accountID int64, ids []int64) (map[int64]bool, error) {
	ids = uniqueIDs(ids)
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	got, err := q.ids(ctx, `SELECT target_account_id FROM follows WHERE account_id = $1 AND `+q.inIDs("target_account_id", 2),
		accountID, q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("check follows: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// AccountPage is a page of accounts from a relation list, with the relation
// row IDs that paginate it (Mastodon paginates followers by follow ID).
type AccountPage struct {
	AccountIDs []int64
	RowIDs     []int64
}

// Followers lists who follows accountID, newest follow first.
func (q Queries) Followers(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "follows", "account_id", "target_account_id", accountID, p, "")
}

// Following lists whom accountID follows, newest follow first.
func (q Queries) Following(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "follows", "target_account_id", "account_id", accountID, p, "")
}

// relationPage pages a relation table, returning column `pick` where column
// `match` equals id. Table and column names are constants from this package.
// extra, when set, is one more condition on r whose arguments (extraArgs)
// are numbered from $2.
func (q Queries) relationPage(ctx context.Context, table, pick, match string, id int64, p model.Page, extra string, extraArgs ...any) (AccountPage, error) {
	args := append([]any{id}, extraArgs...)
	where, asc, args := pageClause("r.id", p, args)
	lim, args := limitArg(p.Limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT r.id, r.`+pick+` FROM `+table+` r
		JOIN accounts a ON a.id = r.`+pick+` AND a.suspended_at IS NULL
		WHERE r.`+match+` = $1`+extra+where+orderBy("r.id", asc)+lim, args...)
	if err != nil {
		return AccountPage{}, fmt.Errorf("list %s: %w", table, err)
	}
	defer rows.Close()
	var out AccountPage
	for rows.Next() {
		var rowID, accID int64
		if err := rows.Scan(&rowID, &accID); err != nil {
			return out, err
		}
		out.RowIDs = append(out.RowIDs, rowID)
		out.AccountIDs = append(out.AccountIDs, accID)
	}
	if asc {
		slices.Reverse(out.RowIDs)
		slices.Reverse(out.AccountIDs)
	}
	return out, rows.Err()
}

// InsertFollowRequest records a request to follow a locked account; false
// when one is pending already.
func (q Queries) InsertFollowRequest(ctx context.Context, r *model.FollowRequest) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO follow_requests (id, account_id, target_account_id, show_reblogs, notify, uri, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, target_account_id) DO NOTHING`,
		r.ID, r.AccountID, r.TargetAccountID, r.ShowReblogs, r.Notify, r.URI, ms(r.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert follow request: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FollowRequest returns the pending request of accountID to targetID, or ErrNotFound.
func (q Queries) FollowRequest(ctx context.Context, accountID, targetID int64) (*model.FollowRequest, error) {
	var r model.FollowRequest
	var created int64
	err := q.db.QueryRowContext(ctx, `SELECT id, account_id, target_account_id, show_reblogs, notify, uri, created_at
		FROM follow_requests WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID).
		Scan(&r.ID, &r.AccountID, &r.TargetAccountID, &r.ShowReblogs, &r.Notify, &r.URI, &created)
	if err != nil {
		return nil, notFound(err, "follow request")
	}
	r.CreatedAt = fromMS(created)
	return &r, nil
}

// DeleteFollowRequest removes a pending request; false when there was none.
func (q Queries) DeleteFollowRequest(ctx context.Context, accountID, targetID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM follow_requests WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	if err != nil {
		return false, fmt.Errorf("delete follow request: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FollowRequests lists who asked to follow accountID, newest first.
func (q Queries) FollowRequests(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "follow_requests", "account_id", "target_account_id", accountID, p, "")
}

// countRows runs a COUNT query.
func (q Queries) countRows(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, query, args...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// FollowersAmong returns which of ids follow target.
func (q Queries) FollowersAmong(ctx context.Context, target int64, ids []int64) (map[int64]bool, error) {
	ids = uniqueIDs(ids)
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	got, err := q.ids(ctx, `SELECT account_id FROM follows WHERE target_account_id = $1 AND `+q.inIDs("account_id", 2),
		target, q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("check followers: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// UpdateFollowRequestOptions changes the options of a pending request.
func (q Queries) UpdateFollowRequestOptions(ctx context.Context, accountID, targetID int64, showReblogs, notify bool) error {
	_, err := q.db.ExecContext(ctx, `UPDATE follow_requests SET show_reblogs = $3, notify = $4
		WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID, showReblogs, notify)
	if err != nil {
		return fmt.Errorf("update follow request: %w", err)
	}
	return nil
}

// CountFollowRequests counts the pending requests to follow accountID.
func (q Queries) CountFollowRequests(ctx context.Context, accountID int64) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM follow_requests WHERE target_account_id = $1`, accountID)
}
