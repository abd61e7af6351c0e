package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"weft/internal/model"
)

// Grouped notifications (Mastodon 4.3): notifications that share a
// group_key are shown as one group. See migration 0007.

// filterCond is the SQL condition of a NotificationFilter on the columns
// of the notifications table aliased n, with its arguments appended.
func filterCond(f NotificationFilter, args []any) (string, []any) {
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	typeList := func(ts []model.NotificationType) string {
		ps := make([]string, len(ts))
		for i, t := range ts {
			ps[i] = param(string(t))
		}
		return strings.Join(ps, ", ")
	}
	cond := ""
	if len(f.Types) > 0 {
		cond += " AND n.type IN (" + typeList(f.Types) + ")"
	}
	if len(f.ExcludeTypes) > 0 {
		cond += " AND n.type NOT IN (" + typeList(f.ExcludeTypes) + ")"
	}
	if f.FromAccountID != 0 {
		cond += " AND n.from_account_id = " + param(f.FromAccountID)
	}
	return cond, args
}

// LatestGroupKey returns the group key of accountID's newest notification
// of this type about this status (0: none) with an ID of at least sinceID,
// "" when there is none: the group a new notification may join.
func (q Queries) LatestGroupKey(ctx context.Context, accountID int64, typ model.NotificationType, statusID, sinceID int64) (string, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT group_key FROM notifications WHERE account_id = $1 AND type = $2
		AND status_id = $3 AND id >= $4 AND group_key <> '' ORDER BY id DESC LIMIT 1`, accountID, string(typ), statusID, sinceID)
	if err != nil {
		return "", fmt.Errorf("latest notification group: %w", err)
	}
	defer rows.Close()
	var key string
	if rows.Next() {
		if err := rows.Scan(&key); err != nil {
			return "", err
		}
	}
	return key, rows.Err()
}

// GroupSummary is what a notification group holds up to some notification:
// how many notifications, and the newest ones (sample accounts).
type GroupSummary struct {
	Count         int64
	NewestID      int64
	SampleAccount []int64 // the accounts of the newest notifications, newest first
}

// notificationShown is the condition, on notifications aliased n of the
// account in parameter $1, that the notification is from an account that
// is neither gone nor blocked either way — what listing notifications
// shows, the post aside (all of a group's notifications are about the
// same post).
const notificationShown = ` AND NOT EXISTS (SELECT 1 FROM accounts fa WHERE fa.id = n.from_account_id
		AND (fa.suspended_at IS NOT NULL OR fa.deleted_at IS NOT NULL))
	AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.account_id = $1 AND b.target_account_id = n.from_account_id)
		OR (b.account_id = n.from_account_id AND b.target_account_id = $1))`

// NotificationGroupSummaries summarises accountID's groups with the given
// keys, counting their notifications with an ID of at most maxID (from
// fromID only, unless 0) and returning up to samples of the newest ones'
// accounts. Notifications from accounts gone or blocked either way are
// left out, as when listing. Groups without such notifications are absent.
func (q Queries) NotificationGroupSummaries(ctx context.Context, accountID int64, keys []string, maxID, fromID int64, samples int) (map[string]*GroupSummary, error) {
	out := map[string]*GroupSummary{}
	if len(keys) == 0 {
		return out, nil
	}
	args := []any{accountID, maxID, samples}
	from := ""
	if fromID != 0 {
		args = append(args, fromID)
		from = " AND n.from_account_id = $4"
	}
	ps := make([]string, len(keys))
	for i, k := range keys {
		args = append(args, k)
		ps[i] = "$" + strconv.Itoa(len(args))
	}
	rows, err := q.db.QueryContext(ctx, `SELECT group_key, from_account_id, id, total FROM (
			SELECT n.group_key, n.from_account_id, n.id,
				ROW_NUMBER() OVER (PARTITION BY n.group_key ORDER BY n.id DESC) AS rn,
				COUNT(*) OVER (PARTITION BY n.group_key) AS total
			FROM notifications n
			WHERE n.account_id = $1 AND n.group_key IN (`+strings.Join(ps, ", ")+`) AND n.id <= $2`+from+notificationShown+`
		) g WHERE rn <= $3 ORDER BY group_key, id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("summarise notification groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var from, id, total int64
		if err := rows.Scan(&key, &from, &id, &total); err != nil {
			return nil, err
		}
		g := out[key]
		if g == nil {
			g = &GroupSummary{Count: total, NewestID: id}
			out[key] = g
		}
		g.SampleAccount = append(g.SampleAccount, from)
	}
	return out, rows.Err()
}

// GroupNotifications returns up to limit of accountID's notifications in
// one group, newest first.
func (q Queries) GroupNotifications(ctx context.Context, accountID int64, key string, limit int) ([]*model.Notification, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE account_id = $1 AND group_key = $2 ORDER BY id DESC LIMIT $3`, accountID, key, limit)
	if err != nil {
		return nil, fmt.Errorf("list notification group: %w", err)
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
	return out, rows.Err()
}

// DeleteNotificationGroup dismisses every notification of one of
// accountID's groups.
func (q Queries) DeleteNotificationGroup(ctx context.Context, accountID int64, key string) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1 AND group_key = $2`, accountID, key); err != nil {
		return fmt.Errorf("dismiss notification group: %w", err)
	}
	return nil
}

// CountNotificationGroupsAfter counts, up to limit, the groups among
// accountID's notifications newer than afterID that match f, looking at
// the newest scan of them at most. Notifications of the grouped types with
// a group key count once per key; the others once each.
func (q Queries) CountNotificationGroupsAfter(ctx context.Context, accountID, afterID int64, f NotificationFilter,
	grouped []model.NotificationType, limit, scan int) (int64, error) {
	args := []any{accountID, afterID, scan, limit}
	cond, args := filterCond(f, args)
	groupedCond := "FALSE"
	if len(grouped) > 0 {
		ps := make([]string, len(grouped))
		for i, t := range grouped {
			args = append(args, string(t))
			ps[i] = "$" + strconv.Itoa(len(args))
		}
		groupedCond = "n.type IN (" + strings.Join(ps, ", ") + ")"
	}
	// An ungrouped notification's "key" is its ID, which no group key equals.
	n, err := q.countRows(ctx, `SELECT COUNT(*) FROM (SELECT DISTINCT k FROM (
			SELECT CASE WHEN n.group_key <> '' AND `+groupedCond+` THEN n.group_key ELSE CAST(n.id AS TEXT) END AS k
			FROM notifications n WHERE n.account_id = $1 AND n.id > $2`+cond+` ORDER BY n.id DESC LIMIT $3
		) recent LIMIT $4) capped`, args...)
	if err != nil {
		return 0, fmt.Errorf("count notification groups: %w", err)
	}
	return n, nil
}
