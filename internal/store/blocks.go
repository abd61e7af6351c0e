package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"weft/internal/model"
)

// InsertBlock records a block; false when it existed already.
func (q Queries) InsertBlock(ctx context.Context, id, accountID, targetID int64, uri string, at time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO blocks (id, account_id, target_account_id, uri, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, target_account_id) DO NOTHING`, id, accountID, targetID, uri, ms(at))
	if err != nil {
		return false, fmt.Errorf("insert block: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteBlock lifts a block; false when there was none.
func (q Queries) DeleteBlock(ctx context.Context, accountID, targetID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM blocks WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	if err != nil {
		return false, fmt.Errorf("delete block: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Blocks lists whom accountID blocks, newest first.
func (q Queries) Blocks(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "blocks", "target_account_id", "account_id", accountID, p, "")
}

// BlockedEitherWay reports whether a blocks b or b blocks a.
func (q Queries) BlockedEitherWay(ctx context.Context, a, b int64) (bool, error) {
	n, err := q.countRows(ctx, `SELECT COUNT(*) FROM blocks WHERE (account_id = $1 AND target_account_id = $2)
		OR (account_id = $2 AND target_account_id = $1)`, a, b)
	return n > 0, err
}

// BlocksRemote reports whether a member blocks a remote account, or its
// server (a member's own domain block of its host:port or of its host).
func (q Queries) BlocksRemote(ctx context.Context, memberID, remoteID int64, domain string) (bool, error) {
	n, err := q.countRows(ctx, `SELECT COUNT(*) FROM blocks WHERE account_id = $1 AND target_account_id = $2`, memberID, remoteID)
	if err != nil || n > 0 {
		return n > 0, err
	}
	domain = strings.ToLower(domain)
	host, _, _ := strings.Cut(domain, ":")
	n, err = q.countRows(ctx, `SELECT COUNT(*) FROM account_domain_blocks WHERE account_id = $1 AND domain IN ($2, $3)`, memberID, domain, host)
	return n > 0, err
}

// UpsertMute creates or updates a mute.
func (q Queries) UpsertMute(ctx context.Context, m *model.Mute) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO mutes (id, account_id, target_account_id, hide_notifications, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (account_id, target_account_id) DO UPDATE SET hide_notifications = excluded.hide_notifications,
			expires_at = excluded.expires_at`,
		m.ID, m.AccountID, m.TargetAccountID, m.HideNotifications, msPtr(m.ExpiresAt), ms(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("upsert mute: %w", err)
	}
	return nil
}

// DeleteMute lifts a mute; false when there was none.
func (q Queries) DeleteMute(ctx context.Context, accountID, targetID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM mutes WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	if err != nil {
		return false, fmt.Errorf("delete mute: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteExpiredMutes removes mutes that ran out before now.
func (q Queries) DeleteExpiredMutes(ctx context.Context, now time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM mutes WHERE expires_at IS NOT NULL AND expires_at <= $1`, ms(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired mutes: %w", err)
	}
	return res.RowsAffected()
}

// Mutes lists whom accountID mutes (active mutes), newest first. Expired
// mutes stay in the table until DeleteExpiredMutes sweeps them, so they are
// filtered here against the wall clock.
func (q Queries) Mutes(ctx context.Context, accountID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "mutes", "target_account_id", "account_id", accountID, p,
		" AND (r.expires_at IS NULL OR r.expires_at > $2)", ms(time.Now()))
}

// Mute returns accountID's active mute of targetID, or ErrNotFound.
func (q Queries) Mute(ctx context.Context, accountID, targetID int64, now time.Time) (*model.Mute, error) {
	var m model.Mute
	var exp sql.NullInt64
	var created int64
	err := q.db.QueryRowContext(ctx, `SELECT id, account_id, target_account_id, hide_notifications, expires_at, created_at
		FROM mutes WHERE account_id = $1 AND target_account_id = $2 AND (expires_at IS NULL OR expires_at > $3)`,
		accountID, targetID, ms(now)).Scan(&m.ID, &m.AccountID, &m.TargetAccountID, &m.HideNotifications, &exp, &created)
	if err != nil {
		return nil, notFound(err, "mute")
	}
	m.ExpiresAt = fromNullMS(exp)
	m.CreatedAt = fromMS(created)
	return &m, nil
}

// BlockedAmong returns which of ids block, or are blocked by, any of others.
func (q Queries) BlockedAmong(ctx context.Context, ids, others []int64) (map[int64]bool, error) {
	ids, others = uniqueIDs(ids), uniqueIDs(others)
	out := map[int64]bool{}
	if len(ids) == 0 || len(others) == 0 {
		return out, nil
	}
	got, err := q.ids(ctx, `SELECT account_id FROM blocks WHERE `+q.inIDs("account_id", 1)+` AND `+q.inIDs("target_account_id", 2)+`
		UNION SELECT target_account_id FROM blocks WHERE `+q.inIDs("target_account_id", 1)+` AND `+q.inIDs("account_id", 2),
		q.idsArg(ids), q.idsArg(others))
	if err != nil {
		return nil, fmt.Errorf("check blocks: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// BlockID returns the ID of accountID's block of targetID, or ErrNotFound.
func (q Queries) BlockID(ctx context.Context, accountID, targetID int64) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT id FROM blocks WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID).Scan(&id)
	if err != nil {
		return 0, notFound(err, "block")
	}
	return id, nil
}
