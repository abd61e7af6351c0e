package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"weft/internal/model"
)

// AccountSessions lists an account's browser sessions, the latest used
// first.
func (q Queries) AccountSessions(ctx context.Context, accountID int64) ([]*model.Session, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id_hash, csrf_token, user_agent, created_at, last_seen_at FROM web_sessions
		WHERE account_id = $1 ORDER BY last_seen_at DESC, created_at DESC`, accountID)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	defer rows.Close()
	var out []*model.Session
	for rows.Next() {
		s := &model.Session{AccountID: accountID}
		var created, seen int64
		if err := rows.Scan(&s.Key, &s.CSRFToken, &s.UserAgent, &created, &seen); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt = fromMS(created), fromMS(seen)
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteAccountSession ends one of an account's sessions; false when it
// has no such session.
func (q Queries) DeleteAccountSession(ctx context.Context, accountID int64, key string) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE account_id = $1 AND id_hash = $2`, accountID, key)
	if err != nil {
		return false, fmt.Errorf("end session: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteOtherSessions ends an account's sessions but keep ("" for all),
// and returns their keys.
func (q Queries) DeleteOtherSessions(ctx context.Context, accountID int64, keep string) ([]string, error) {
	keys, err := q.texts(ctx, `SELECT id_hash FROM web_sessions WHERE account_id = $1 AND id_hash <> $2`, accountID, keep)
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE account_id = $1 AND id_hash <> $2`, accountID, keep); err != nil {
		return nil, fmt.Errorf("end sessions: %w", err)
	}
	return keys, nil
}

// TouchSession records that a session was used now.
func (q Queries) TouchSession(ctx context.Context, key string, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE web_sessions SET last_seen_at = $2 WHERE id_hash = $1`, key, ms(now))
	return err
}

// DeleteStaleSessions ends the sessions begun before cutoff (the hourly
// housekeeping).
func (q Queries) DeleteStaleSessions(ctx context.Context, cutoff time.Time) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE created_at < $1`, ms(cutoff))
	return err
}

// RevokeAccountTokenIDs revokes every live token of an account and returns
// their ids.
func (q Queries) RevokeAccountTokenIDs(ctx context.Context, accountID int64, now time.Time) ([]int64, error) {
	ids, err := q.ids(ctx, `SELECT id FROM oauth_tokens WHERE account_id = $1 AND revoked_at IS NULL`, accountID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if err := q.RevokeAccountTokens(ctx, accountID, now); err != nil {
		return nil, err
	}
	return ids, nil
}

// AuthorizedApp is an app a member gave access to: its live tokens, their
// scopes together, the first authorization.
type AuthorizedApp struct {
	App          *model.App
	Scopes       []string
	AuthorizedAt time.Time
}

// AuthorizedApps lists the apps with live tokens of an account, the most
// recently authorized first.
func (q Queries) AuthorizedApps(ctx context.Context, accountID int64) ([]AuthorizedApp, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT app_id, scopes, created_at FROM oauth_tokens
		WHERE account_id = $1 AND app_id IS NOT NULL AND revoked_at IS NULL ORDER BY created_at`, accountID)
	if err != nil {
		return nil, fmt.Errorf("authorized apps: %w", err)
	}
	type agg struct {
		scopes map[string]bool
		first  time.Time
	}
	byApp := map[int64]*agg{}
	var order []int64
	for rows.Next() {
		var appID, created int64
		var scopes string
		if err := rows.Scan(&appID, &scopes, &created); err != nil {
			rows.Close()
			return nil, err
		}
		a := byApp[appID]
		if a == nil {
			a = &agg{scopes: map[string]bool{}, first: fromMS(created)}
			byApp[appID] = a
			order = append(order, appID)
		}
		for _, s := range strings.Fields(scopes) {
			a.scopes[s] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []AuthorizedApp
	for i := len(order) - 1; i >= 0; i-- {
		app, err := q.AppByID(ctx, order[i])
		if err != nil {
			continue // removed meanwhile
		}
		a := byApp[order[i]]
		var scopes []string
		for s := range a.scopes {
			scopes = append(scopes, s)
		}
		slices.Sort(scopes)
		out = append(out, AuthorizedApp{App: app, Scopes: scopes, AuthorizedAt: a.first})
	}
	return out, nil
}

// RevokeAppTokens revokes an account's live tokens of one app and returns
// their ids.
func (q Queries) RevokeAppTokens(ctx context.Context, accountID, appID int64, now time.Time) ([]int64, error) {
	ids, err := q.ids(ctx, `SELECT id FROM oauth_tokens WHERE account_id = $1 AND app_id = $2 AND revoked_at IS NULL`, accountID, appID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if _, err := q.db.ExecContext(ctx, `UPDATE oauth_tokens SET revoked_at = $3 WHERE account_id = $1 AND app_id = $2 AND revoked_at IS NULL`,
		accountID, appID, ms(now)); err != nil {
		return nil, fmt.Errorf("revoke app tokens: %w", err)
	}
	return ids, nil
}
