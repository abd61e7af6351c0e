package store

import (
	"context"
	"fmt"
	"strconv"

	"weft/internal/model"
)

// CountNotificationsAfter counts, up to limit, an account's notifications
// newer than afterID that match f (Mastodon's unread count, afterID being
// the notifications read marker).
func (q Queries) CountNotificationsAfter(ctx context.Context, accountID, afterID int64, f NotificationFilter, limit int) (int64, error) {
	args := []any{accountID, afterID}
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	typeList := func(ts []model.NotificationType) string {
		s := ""
		for i, t := range ts {
			if i > 0 {
				s += ", "
			}
			s += param(string(t))
		}
		return s
	}
	cond := ""
	if len(f.Types) > 0 {
		cond += " AND type IN (" + typeList(f.Types) + ")"
	}
	if len(f.ExcludeTypes) > 0 {
		cond += " AND type NOT IN (" + typeList(f.ExcludeTypes) + ")"
	}
	if f.FromAccountID != 0 {
		cond += " AND from_account_id = " + param(f.FromAccountID)
	}
	n, err := q.countRows(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE account_id = $1 AND id > $2`+
		cond+` LIMIT `+param(limit)+`) capped`, args...)
	if err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}
