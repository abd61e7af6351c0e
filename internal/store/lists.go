package store

import (
	"context"
	"fmt"
	"time"

	"weft/internal/model"
)

const listColumns = `l.id, l.account_id, l.title, l.replies_policy, l.exclusive, l.created_at`

func scanList(row scanner) (*model.List, error) {
	var l model.List
	var policy string
	var created int64
	if err := row.Scan(&l.ID, &l.AccountID, &l.Title, &policy, &l.Exclusive, &created); err != nil {
		return nil, err
	}
	l.RepliesPolicy = model.RepliesPolicy(policy)
	l.CreatedAt = fromMS(created)
	return &l, nil
}

func (q Queries) queryLists(ctx context.Context, query string, args ...any) ([]*model.List, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query lists: %w", err)
	}
	defer rows.Close()
	var out []*model.List
	for rows.Next() {
		l, err := scanList(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// InsertList stores a new list.
func (q Queries) InsertList(ctx context.Context, l *model.List) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO lists (id, account_id, title, replies_policy, exclusive, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, l.ID, l.AccountID, l.Title, string(l.RepliesPolicy), l.Exclusive, ms(l.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert list: %w", err)
	}
	return nil
}

// UpdateList saves a list's title and options; ErrNotFound when the owner
// has no such list.
func (q Queries) UpdateList(ctx context.Context, l *model.List) error {
	res, err := q.db.ExecContext(ctx, `UPDATE lists SET title = $3, replies_policy = $4, exclusive = $5
		WHERE id = $1 AND account_id = $2`, l.ID, l.AccountID, l.Title, string(l.RepliesPolicy), l.Exclusive)
	if err != nil {
		return fmt.Errorf("update list: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFoundIfNone(err, "list")
	}
	return nil
}

// DeleteList removes a list with its members and timeline; false when the
// owner has no such list.
func (q Queries) DeleteList(ctx context.Context, ownerID, id int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM lists WHERE id = $1 AND account_id = $2`, id, ownerID)
	if err != nil {
		return false, fmt.Errorf("delete list: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// List returns one of the owner's lists, or ErrNotFound (also when it is
// someone else's).
func (q Queries) List(ctx context.Context, ownerID, id int64) (*model.List, error) {
	l, err := scanList(q.db.QueryRowContext(ctx, `SELECT `+listColumns+` FROM lists l WHERE l.id = $1 AND l.account_id = $2`, id, ownerID))
	if err != nil {
		return nil, notFound(err, "list")
	}
	return l, nil
}

// ListsOf returns an account's lists, oldest first.
func (q Queries) ListsOf(ctx context.Context, ownerID int64) ([]*model.List, error) {
	return q.queryLists(ctx, `SELECT `+listColumns+` FROM lists l WHERE l.account_id = $1 ORDER BY l.id`, ownerID)
}

// CountLists counts an account's lists.
func (q Queries) CountLists(ctx context.Context, ownerID int64) (int64, error) {
	return q.countRows(ctx, `SELECT COUNT(*) FROM lists WHERE account_id = $1`, ownerID)
}

// ListsWithMember returns the owner's lists that accountID is a member of.
func (q Queries) ListsWithMember(ctx context.Context, ownerID, accountID int64) ([]*model.List, error) {
	return q.queryLists(ctx, `SELECT `+listColumns+` FROM lists l JOIN list_accounts la ON la.list_id = l.id
		WHERE l.account_id = $1 AND la.account_id = $2 ORDER BY l.id`, ownerID, accountID)
}

// AddListAccount makes accountID a member of a list through the owner's
// follow of it; false when it is a member already.
func (q Queries) AddListAccount(ctx context.Context, id, listID, accountID, followID int64, now time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO list_accounts (id, list_id, account_id, follow_id, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (list_id, account_id) DO NOTHING`, id, listID, accountID, followID, ms(now))
	if err != nil {
		return false, fmt.Errorf("add list member: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RemoveListAccounts removes members from a list, and their posts from its
// timeline.
func (q Queries) RemoveListAccounts(ctx context.Context, listID int64, accountIDs []int64) error {
	accountIDs = uniqueIDs(accountIDs)
	if len(accountIDs) == 0 {
		return nil
	}
	for _, stmt := range []string{
		`DELETE FROM list_accounts WHERE list_id = $1 AND ` + q.inIDs("account_id", 2),
		`DELETE FROM list_feed WHERE list_id = $1 AND ` + q.inIDs("author_id", 2),
	} {
		if _, err := q.db.ExecContext(ctx, stmt, listID, q.idsArg(accountIDs)); err != nil {
			return fmt.Errorf("remove list members: %w", err)
		}
	}
	return nil
}

// ListAccounts pages a list's members, newest membership first.
func (q Queries) ListAccounts(ctx context.Context, listID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "list_accounts", "account_id", "list_id", listID, p, "")
}

// notFoundIfNone turns "no row changed" into ErrNotFound.
func notFoundIfNone(err error, what string) error {
	if err != nil {
		return err
	}
	return model.NotFound(what)
}
