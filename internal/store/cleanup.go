package store

import (
	"context"
	"fmt"
	"strings"
)

// Edge tables an account can be on either side of, with the column that
// names the other side. Used by account deletion, in batches, so no single
// transaction holds SQLite's write lock for long.
var edgeTables = map[string][2]string{
	// table: {column holding the account, column holding the other side}
	"follows.out":         {"account_id", "target_account_id"},
	"follows.in":          {"target_account_id", "account_id"},
	"follow_requests.out": {"account_id", "target_account_id"},
	"follow_requests.in":  {"target_account_id", "account_id"},
	"blocks.out":          {"account_id", "target_account_id"},
	"blocks.in":           {"target_account_id", "account_id"},
	"mutes.out":           {"account_id", "target_account_id"},
	"mutes.in":            {"target_account_id", "account_id"},
	"favourites.out":      {"account_id", "status_id"},
	"bookmarks.out":       {"account_id", "status_id"},
	"pins.out":            {"account_id", "status_id"},
}

// EdgeKinds lists the edge kinds DeleteEdges accepts, in a stable order.
func EdgeKinds() []string {
	return []string{"follows.out", "follows.in", "follow_requests.out", "follow_requests.in", "blocks.out", "blocks.in",
		"mutes.out", "mutes.in", "favourites.out", "bookmarks.out", "pins.out"}
}

// DeleteEdges removes up to limit rows of one edge kind for accountID and
// returns the IDs on the other side (to fix their counters).
func (q Queries) DeleteEdges(ctx context.Context, kind string, accountID int64, limit int) ([]int64, error) {
	cols, ok := edgeTables[kind]
	if !ok {
		return nil, fmt.Errorf("unknown edge kind %q", kind)
	}
	table, _, _ := strings.Cut(kind, ".")
	other, err := q.ids(ctx, `DELETE FROM `+table+` WHERE id IN (SELECT id FROM `+table+` WHERE `+cols[0]+` = $1 LIMIT $2)
		RETURNING `+cols[1], accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("delete %s of account %d: %w", kind, accountID, err)
	}
	return other, nil
}

// DeleteAccountLeftovers removes the rest of what an account owns once its
// edges and posts are gone: notifications to and from it, read markers,
// conversation mutes, its home timeline, its filters, its notification
// policy, featured tags, domain blocks and dismissed suggestions.
func (q Queries) DeleteAccountLeftovers(ctx context.Context, accountID int64) error {
	for _, stmt := range []string{
		`DELETE FROM notifications WHERE account_id = $1 OR from_account_id = $1`,
		`DELETE FROM markers WHERE account_id = $1`,
		`DELETE FROM conversation_mutes WHERE account_id = $1`,
		`DELETE FROM home_feed WHERE account_id = $1`,
		`DELETE FROM notification_policies WHERE account_id = $1`,
		`DELETE FROM featured_tags WHERE account_id = $1`,
		`DELETE FROM account_domain_blocks WHERE account_id = $1`,
		`DELETE FROM suggestion_dismissals WHERE account_id = $1 OR target_account_id = $1`,
		`DELETE FROM filters WHERE account_id = $1`, // their keywords and posts go with them
		`DELETE FROM lists WHERE account_id = $1`,   // their members and feeds go with them
		`DELETE FROM list_accounts WHERE account_id = $1`,
		`DELETE FROM tag_follows WHERE account_id = $1`,
		`DELETE FROM conversation_states WHERE account_id = $1`,
	} {
		if _, err := q.db.ExecContext(ctx, stmt, accountID); err != nil {
			return fmt.Errorf("delete leftovers of account %d: %w", accountID, err)
		}
	}
	return nil
}

// RecountStatus recomputes a status's cached counters from the rows.
func (q Queries) RecountStatus(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE statuses SET rev = rev + 1,
		replies_count    = (SELECT COUNT(*) FROM statuses r WHERE r.in_reply_to_id = $1 AND r.deleted_at IS NULL),
		reblogs_count    = (SELECT COUNT(*) FROM statuses b WHERE b.reblog_of_id = $1),
		favourites_count = (SELECT COUNT(*) FROM favourites f WHERE f.status_id = $1)
		WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("recount status %d: %w", id, err)
	}
	return nil
}
