package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"weft/internal/model"
)

const notificationColumns = `id, account_id, type, from_account_id, status_id, created_at, group_key`

func scanNotification(row scanner) (*model.Notification, error) {
	var n model.Notification
	var typ string
	var created int64
	if err := row.Scan(&n.ID, &n.AccountID, &typ, &n.FromAccountID, &n.StatusID, &created, &n.GroupKey); err != nil {
		return nil, err
	}
	n.Type = model.NotificationType(typ)
	n.CreatedAt = fromMS(created)
	return &n, nil
}

// InsertNotification stores a notification; false when the same event was
// notified already (a retried job, a like-unlike-like).
func (q Queries) InsertNotification(ctx context.Context, n *model.Notification) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO notifications (`+notificationColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (account_id, type, from_account_id, status_id) DO NOTHING`,
		n.ID, n.AccountID, string(n.Type), n.FromAccountID, n.StatusID, ms(n.CreatedAt), n.GroupKey)
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	c, err := res.RowsAffected()
	return c == 1, err
}

// NotificationFilter narrows a notifications list, as Mastodon's parameters do.
type NotificationFilter struct {
	Types         []model.NotificationType
	ExcludeTypes  []model.NotificationType
	FromAccountID int64
	// Replies, when set, keeps only notifications about replies to the
	// account (true) or only the others (false): the web app's Replies and
	// Mentions tabs, as Threads splits them.
	Replies *bool
}

// Notifications reads an account's notifications, newest first.
func (q Queries) Notifications(ctx context.Context, accountID int64, f NotificationFilter, p model.Page) ([]*model.Notification, error) {
	args := []any{accountID}
	cond := ""
	typeList := func(ts []model.NotificationType) string {
		s := ""
		for i, t := range ts {
			args = append(args, string(t))
			if i > 0 {
				s += ", "
			}
			s += "$" + strconv.Itoa(len(args))
		}
		return s
	}
	if len(f.Types) > 0 {
		cond += " AND type IN (" + typeList(f.Types) + ")"
	}
	if len(f.ExcludeTypes) > 0 {
		cond += " AND type NOT IN (" + typeList(f.ExcludeTypes) + ")"
	}
	if f.FromAccountID != 0 {
		args = append(args, f.FromAccountID)
		cond += " AND from_account_id = $" + strconv.Itoa(len(args))
	}
	if f.Replies != nil {
		not := "NOT "
		if *f.Replies {
			not = ""
		}
		cond += " AND " + not + "EXISTS (SELECT 1 FROM statuses s WHERE s.id = notifications.status_id AND s.in_reply_to_account_id = $1)"
	}
	where, asc, args := pageClause("id", p, args)
	lim, args := limitArg(p.Limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE account_id = $1`+
		cond+where+orderBy("id", asc)+lim, args...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	var out []*model.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if asc {
		slices.Reverse(out)
	}
	return out, rows.Err()
}

// Notification returns one of an account's notifications, or ErrNotFound.
func (q Queries) Notification(ctx context.Context, accountID, id int64) (*model.Notification, error) {
	n, err := scanNotification(q.db.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE account_id = $1 AND id = $2`, accountID, id))
	if err != nil {
		return nil, notFound(err, "notification")
	}
	return n, nil
}

// DeleteNotification dismisses one notification; false when there was none.
func (q Queries) DeleteNotification(ctx context.Context, accountID, id int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1 AND id = $2`, accountID, id)
	if err != nil {
		return false, fmt.Errorf("dismiss notification: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClearNotifications dismisses all of an account's notifications.
func (q Queries) ClearNotifications(ctx context.Context, accountID int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("clear notifications: %w", err)
	}
	return nil
}

// DeleteNotificationsAbout removes notifications about a post (deleted post).
func (q Queries) DeleteNotificationsAbout(ctx context.Context, statusID int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE status_id = $1`, statusID); err != nil {
		return fmt.Errorf("delete notifications about status: %w", err)
	}
	return nil
}

// DeleteNotificationsBetween removes what a and b notified each other of (block).
func (q Queries) DeleteNotificationsBetween(ctx context.Context, a, b int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE (account_id = $1 AND from_account_id = $2)
		OR (account_id = $2 AND from_account_id = $1)`, a, b); err != nil {
		return fmt.Errorf("delete notifications between accounts: %w", err)
	}
	return nil
}

// DeleteNotificationEvent removes the notification of one event (a follow
// request that was answered, an undone like).
func (q Queries) DeleteNotificationEvent(ctx context.Context, accountID int64, typ model.NotificationType, fromID, statusID int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1 AND type = $2 AND from_account_id = $3
		AND status_id = $4`, accountID, string(typ), fromID, statusID); err != nil {
		return fmt.Errorf("delete notification: %w", err)
	}
	return nil
}

// Marker returns a read marker, or ErrNotFound.
func (q Queries) Marker(ctx context.Context, accountID int64, timeline string) (*model.Marker, error) {
	var m model.Marker
	var updated int64
	err := q.db.QueryRowContext(ctx, `SELECT timeline, last_read_id, version, updated_at FROM markers
		WHERE account_id = $1 AND timeline = $2`, accountID, timeline).Scan(&m.Timeline, &m.LastReadID, &m.Version, &updated)
	if err != nil {
		return nil, notFound(err, "marker")
	}
	m.UpdatedAt = fromMS(updated)
	return &m, nil
}

// SetMarker moves a read marker, bumping its version.
func (q Queries) SetMarker(ctx context.Context, accountID int64, timeline string, lastReadID int64, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO markers (account_id, timeline, last_read_id, version, updated_at)
		VALUES ($1, $2, $3, 0, $4)
		ON CONFLICT (account_id, timeline) DO UPDATE SET last_read_id = excluded.last_read_id,
			version = markers.version + 1, updated_at = excluded.updated_at`, accountID, timeline, lastReadID, ms(now))
	if err != nil {
		return fmt.Errorf("set marker: %w", err)
	}
	return nil
}

// EventStands reports whether the action a notification would be about
// still stands (the like, the boost, the follow, the follow request), and on
// PostgreSQL keeps its row locked until the transaction ends: an undo running
// at the same moment then waits, and its removal of the notification sees
// the one this transaction adds. (SQLite runs one writer at a time.)
func (q Queries) EventStands(ctx context.Context, typ model.NotificationType, fromID, toID, statusID int64) (bool, error) {
	var query string
	var args []any
	switch typ {
	case model.NotifyFavourite:
		query, args = `SELECT id FROM favourites WHERE account_id = $1 AND status_id = $2`, []any{fromID, statusID}
	case model.NotifyReblog:
		query, args = `SELECT id FROM statuses WHERE account_id = $1 AND reblog_of_id = $2`, []any{fromID, statusID}
	case model.NotifyFollow:
		query, args = `SELECT id FROM follows WHERE account_id = $1 AND target_account_id = $2`, []any{fromID, toID}
	case model.NotifyFollowRequest:
		query, args = `SELECT id FROM follow_requests WHERE account_id = $1 AND target_account_id = $2`, []any{fromID, toID}
	default:
		return true, nil // mentions, posts and edits are about a status, checked by the caller
	}
	if q.dialect == Postgres {
		query += " FOR SHARE"
	}
	var id int64
	err := q.db.QueryRowContext(ctx, query, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check %s still stands: %w", typ, err)
	}
	return true, nil
}
