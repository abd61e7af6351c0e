package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"weft/internal/model"
)

// InsertApp stores an OAuth client.
func (q Queries) InsertApp(ctx context.Context, a *model.App) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO oauth_apps (id, name, website, redirect_uris, scopes, client_id, secret_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.Name, a.Website, strings.Join(a.RedirectURIs, "\n"),
		strings.Join(a.Scopes, " "), a.ClientID, a.SecretHash, ms(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert app: %w", err)
	}
	return nil
}

const appColumns = `id, name, website, redirect_uris, scopes, client_id, secret_hash, created_at`

func scanApp(row scanner) (*model.App, error) {
	var a model.App
	var uris, scopes string
	var created int64
	if err := row.Scan(&a.ID, &a.Name, &a.Website, &uris, &scopes, &a.ClientID, &a.SecretHash, &created); err != nil {
		return nil, err
	}
	a.RedirectURIs = strings.Split(uris, "\n")
	a.Scopes = strings.Fields(scopes)
	a.CreatedAt = fromMS(created)
	return &a, nil
}

// AppByClientID finds an app by its public client ID.
func (q Queries) AppByClientID(ctx context.Context, clientID string) (*model.App, error) {
	a, err := scanApp(q.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM oauth_apps WHERE client_id = $1`, clientID))
	if err != nil {
		return nil, notFound(err, "app")
	}
	return a, nil
}

// AppByID finds an app by ID.
func (q Queries) AppByID(ctx context.Context, id int64) (*model.App, error) {
	a, err := scanApp(q.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM oauth_apps WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "app")
	}
	return a, nil
}

// InsertAuthCode stores an authorization code (by its hash).
func (q Queries) InsertAuthCode(ctx context.Context, codeHash string, c *model.AuthCode) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO oauth_codes (code_hash, app_id, account_id, redirect_uri, scopes, challenge,
		challenge_method, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, codeHash, c.AppID, c.AccountID, c.RedirectURI,
		strings.Join(c.Scopes, " "), c.Challenge, c.ChallengeMethod, ms(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("insert authorization code: %w", err)
	}
	return nil
}

// UseAuthCode marks a code used and returns it, or ErrNotFound when it does
// not exist or was used already: a code works once.
func (q Queries) UseAuthCode(ctx context.Context, codeHash string, now time.Time) (*model.AuthCode, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE oauth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL`, codeHash, ms(now))
	if err != nil {
		return nil, fmt.Errorf("use authorization code: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, model.NotFound("authorization code")
	}
	var c model.AuthCode
	var scopes string
	var expires int64
	err = q.db.QueryRowContext(ctx, `SELECT app_id, account_id, redirect_uri, scopes, challenge, challenge_method, expires_at
		FROM oauth_codes WHERE code_hash = $1`, codeHash).Scan(&c.AppID, &c.AccountID, &c.RedirectURI, &scopes, &c.Challenge,
		&c.ChallengeMethod, &expires)
	if err != nil {
		return nil, notFound(err, "authorization code")
	}
	c.Scopes = strings.Fields(scopes)
	c.ExpiresAt = fromMS(expires)
	return &c, nil
}

// AuthCodeUsed tells whether an authorization code exists and was used.
func (q Queries) AuthCodeUsed(ctx context.Context, codeHash string) (bool, error) {
	var used sql.NullInt64
	err := q.db.QueryRowContext(ctx, `SELECT used_at FROM oauth_codes WHERE code_hash = $1`, codeHash).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return used.Valid, err
}

// RevokeCodeTokens revokes every token issued from an authorization code
// (and those that replaced them by refresh); it returns their ids.
func (q Queries) RevokeCodeTokens(ctx context.Context, codeHash string, now time.Time) ([]int64, error) {
	ids, err := q.ids(ctx, `SELECT id FROM oauth_tokens WHERE auth_code = $1 AND auth_code <> '' AND revoked_at IS NULL`, codeHash)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	for _, id := range ids {
		if _, err := q.RevokeToken(ctx, id, now); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// DeleteExpiredAuthCodes removes codes past their expiry.
func (q Queries) DeleteExpiredAuthCodes(ctx context.Context, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM oauth_codes WHERE expires_at < $1`, ms(now))
	return err
}

// InsertToken stores an access token (by its hash).
func (q Queries) InsertToken(ctx context.Context, tokenHash string, t *model.Token) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO oauth_tokens (id, token_hash, refresh_hash, app_id, account_id, scopes, created_at, expires_at, auth_code)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.ID, tokenHash, t.RefreshHash, nullID(t.AppID), nullID(t.AccountID),
		strings.Join(t.Scopes, " "), ms(t.CreatedAt), msPtr(t.ExpiresAt), t.AuthCode)
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

const tokenColumns = `id, app_id, account_id, scopes, created_at, expires_at, revoked_at, refresh_hash, auth_code`

func scanToken(row scanner, extra ...any) (*model.Token, error) {
	var t model.Token
	var app, account, expires, revoked sql.NullInt64
	var scopes string
	var created int64
	if err := row.Scan(append([]any{&t.ID, &app, &account, &scopes, &created, &expires, &revoked, &t.RefreshHash, &t.AuthCode}, extra...)...); err != nil {
		return nil, err
	}
	t.AppID, t.AccountID = app.Int64, account.Int64
	t.Scopes = strings.Fields(scopes)
	t.CreatedAt = fromMS(created)
	t.ExpiresAt = fromNullMS(expires)
	t.RevokedAt = fromNullMS(revoked)
	return &t, nil
}

// TokenByHash finds a token by the hash of its secret (revoked ones too).
func (q Queries) TokenByHash(ctx context.Context, tokenHash string) (*model.Token, error) {
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM oauth_tokens WHERE token_hash = $1`, tokenHash))
	if err != nil {
		return nil, notFound(err, "token")
	}
	return t, nil
}

// TokenAuth is what authenticating a request needs, read in one query:
// the token, and the revisions of its account's row and of what its
// account sees (viewercache.go), for the caches.
type TokenAuth struct {
	Token      *model.Token
	AccountRev int64
	ViewerRev  int64
}

// TokenForAuth finds a token by the hash of its secret, with revisions.
func (q Queries) TokenForAuth(ctx context.Context, tokenHash string) (TokenAuth, error) {
	snap := q.snapshotOf(ctx)
	if snap != nil {
		if t, ok := snap.getToken(tokenHash); ok {
			c := *t.Token
			t.Token = &c
			return t, nil
		}
	}
	t, err := q.tokenForAuth(ctx, tokenHash)
	if err == nil && snap != nil {
		c := *t.Token
		snap.putToken(tokenHash, TokenAuth{Token: &c, AccountRev: t.AccountRev, ViewerRev: t.ViewerRev})
	}
	return t, err
}

func (q Queries) tokenForAuth(ctx context.Context, tokenHash string) (TokenAuth, error) {
	var accRev, viewerRev sql.NullInt64
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+prefixed("t.", tokenColumns)+`, a.rev, v.rev
		FROM oauth_tokens t LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN viewer_revs v ON v.account_id = t.account_id
		WHERE t.token_hash = $1`, tokenHash), &accRev, &viewerRev)
	if err != nil {
		return TokenAuth{}, notFound(err, "token")
	}
	return TokenAuth{Token: t, AccountRev: accRev.Int64, ViewerRev: viewerRev.Int64}, nil
}

// AccountAtRev returns an account whose row is at revision rev (as just
// read), from the model cache when it holds that revision.
func (q Queries) AccountAtRev(ctx context.Context, id, rev int64) (*model.Account, error) {
	if q.cache != nil {
		if a, ok := q.cache.accounts.Get(id, rev); ok {
			return copyAccount(a), nil
		}
	}
	a, err := q.accountRow(ctx, id)
	if err == nil && q.cache != nil {
		q.cache.accounts.Put(a.ID, a.Rev, copyAccount(a))
	}
	return a, err
}

// AppByIDCached returns an app; apps never change once registered, so the
// cache needs no revision.
func (q Queries) AppByIDCached(ctx context.Context, id int64) (*model.App, error) {
	if q.cache != nil {
		if a, ok := q.cache.apps.Get(id, 0); ok {
			c := *a
			return &c, nil
		}
	}
	a, err := q.AppByID(ctx, id)
	if err == nil && q.cache != nil {
		c := *a
		q.cache.apps.Put(id, 0, &c)
	}
	return a, err
}

// WithKnownViewerRev is WithViewerRev for a revision the caller has read
// already (with the token, see TokenForAuth).
func WithKnownViewerRev(ctx context.Context, viewer, rev int64) context.Context {
	if viewer == 0 {
		return ctx
	}
	return context.WithValue(ctx, viewerRevKey{}, viewerRevMemo{viewer, rev})
}

// TokenByRefreshHash finds a token by the hash of its refresh token.
func (q Queries) TokenByRefreshHash(ctx context.Context, refreshHash string) (*model.Token, error) {
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM oauth_tokens WHERE refresh_hash = $1`, refreshHash))
	if err != nil {
		return nil, notFound(err, "token")
	}
	return t, nil
}

// RevokeToken revokes one token; false when it was revoked already or is unknown.
func (q Queries) RevokeToken(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE oauth_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, ms(now))
	if err != nil {
		return false, fmt.Errorf("revoke token: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RevokeAccountTokens revokes every token of an account (suspension, deletion, password change).
func (q Queries) RevokeAccountTokens(ctx context.Context, accountID int64, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE oauth_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL`, accountID, ms(now))
	if err != nil {
		return fmt.Errorf("revoke tokens: %w", err)
	}
	return nil
}

// InsertSession stores a browser session (by the hash of its cookie).
func (q Queries) InsertSession(ctx context.Context, idHash string, s *model.Session) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO web_sessions (id_hash, account_id, csrf_token, user_agent, created_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, idHash, s.AccountID, s.CSRFToken, s.UserAgent, ms(s.CreatedAt), ms(s.LastSeenAt))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// SessionByHash finds a browser session.
func (q Queries) SessionByHash(ctx context.Context, idHash string) (*model.Session, error) {
	var s model.Session
	var created, seen int64
	err := q.db.QueryRowContext(ctx, `SELECT account_id, csrf_token, user_agent, created_at, last_seen_at FROM web_sessions
		WHERE id_hash = $1`, idHash).Scan(&s.AccountID, &s.CSRFToken, &s.UserAgent, &created, &seen)
	if err != nil {
		return nil, notFound(err, "session")
	}
	s.Key = idHash
	s.CreatedAt, s.LastSeenAt = fromMS(created), fromMS(seen)
	return &s, nil
}

// DeleteSession signs a browser out.
func (q Queries) DeleteSession(ctx context.Context, idHash string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE id_hash = $1`, idHash)
	return err
}

// DeleteAccountSessions signs an account out everywhere.
func (q Queries) DeleteAccountSessions(ctx context.Context, accountID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM web_sessions WHERE account_id = $1`, accountID)
	return err
}

// IdempotentStatus returns the status created earlier under this key (by
// this account, since since), or ErrNotFound.
func (q Queries) IdempotentStatus(ctx context.Context, accountID int64, keyHash string, since time.Time) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT status_id FROM idempotency_keys WHERE account_id = $1 AND key_hash = $2 AND created_at >= $3`,
		accountID, keyHash, ms(since)).Scan(&id)
	if err != nil {
		return 0, notFound(err, "idempotency key")
	}
	return id, nil
}

// ClaimIdempotencyKey records that this key creates statusID, unless the
// key created a status since cutoff already (then false). Two requests
// with the same key at once: the second waits for the first's transaction
// (PostgreSQL) or its turn (SQLite) and finds the key claimed.
func (q Queries) ClaimIdempotencyKey(ctx context.Context, accountID int64, keyHash string, statusID int64, now, cutoff time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO idempotency_keys (account_id, key_hash, status_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, key_hash) DO UPDATE SET status_id = excluded.status_id, created_at = excluded.created_at
		WHERE idempotency_keys.created_at < $5`, accountID, keyHash, statusID, ms(now), ms(cutoff))
	if err != nil {
		return false, fmt.Errorf("claim idempotency key: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteOldIdempotencyKeys forgets keys recorded before before.
func (q Queries) DeleteOldIdempotencyKeys(ctx context.Context, before time.Time) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, ms(before))
	return err
}
