package store

import (
	"context"
	"fmt"
	"time"
)

// NodeInfoUsage counts what NodeInfo publishes of this server's use:
//
//   - users: local accounts neither suspended nor deleted (deletion sets
//     suspended_at too, but both are tested so the rule reads as meant);
//   - activeMonth, activeHalfyear: those of them with a status created at or
//     after monthSince, halfyearSince. Boosts and posts deleted since count:
//     both show the person used the server in the window;
//   - localPosts: local statuses, not deleted, boosts not counted; the same
//     rule as InstanceStats, so NodeInfo and the instance endpoint agree.
//
// halfyearSince must not be after monthSince: the month's activity is
// found among the half-year's. One statement, so the numbers are of one
// moment; statuses has no index on created_at, so this is a scan of it,
// which is why the service caches the result.
func (q Queries) NodeInfoUsage(ctx context.Context, monthSince, halfyearSince time.Time) (users, activeMonth, activeHalfyear, localPosts int64, err error) {
	// The inner query reduces the window's statuses to one row per author
	// with their latest time, so one pass over statuses gives both windows.
	err = q.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM accounts WHERE domain = '' AND suspended_at IS NULL AND deleted_at IS NULL),
		COUNT(CASE WHEN w.last_at >= $1 THEN 1 END),
		COUNT(*),
		(SELECT COUNT(*) FROM statuses WHERE local = TRUE AND deleted_at IS NULL AND reblog_of_id IS NULL)
		FROM (SELECT account_id, MAX(created_at) AS last_at FROM statuses
			WHERE local = TRUE AND created_at >= $2 GROUP BY account_id) w
		JOIN accounts a ON a.id = w.account_id
		WHERE a.domain = '' AND a.suspended_at IS NULL AND a.deleted_at IS NULL`,
		ms(monthSince), ms(halfyearSince)).Scan(&users, &activeMonth, &activeHalfyear, &localPosts)
	if err != nil {
		err = fmt.Errorf("nodeinfo usage: %w", err)
	}
	return
}
