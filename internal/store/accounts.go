package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"weft/internal/model"
)

const accountColumns = `id, username, domain, display_name, note, note_html, fields, locked, bot, discoverable,
	fediverse_sharing, uri, url, followers_count, following_count, statuses_count, last_status_at,
	suspended_at, deleted_at, created_at, updated_at, rev, fediverse_since, hide_collections,
	avatar_media_id, avatar_url, avatar_static_url, header_media_id, header_url, header_static_url`

type scanner interface{ Scan(dest ...any) error }

func scanAccount(row scanner) (*model.Account, error) {
	var (
		a                              model.Account
		fields                         string
		lastStatus, suspended, deleted sql.NullInt64
		since                          sql.NullInt64
		created, updated               int64
		avatarID, headerID             sql.NullInt64
	)
	err := row.Scan(&a.ID, &a.Username, &a.Domain, &a.DisplayName, &a.Note, &a.NoteHTML, &fields,
		&a.Locked, &a.Bot, &a.Discoverable, &a.FediverseSharing, &a.URI, &a.URL,
		&a.FollowersCount, &a.FollowingCount, &a.StatusesCount, &lastStatus,
		&suspended, &deleted, &created, &updated, &a.Rev, &since, &a.HideCollections,
		&avatarID, &a.AvatarURL, &a.AvatarStaticURL, &headerID, &a.HeaderURL, &a.HeaderStaticURL)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
		return nil, fmt.Errorf("account %d: bad fields JSON: %w", a.ID, err)
	}
	a.LastStatusAt = fromNullMS(lastStatus)
	a.SuspendedAt = fromNullMS(suspended)
	a.DeletedAt = fromNullMS(deleted)
	a.FediverseSince = fromNullMS(since)
	a.AvatarMediaID, a.HeaderMediaID = avatarID.Int64, headerID.Int64
	a.CreatedAt = fromMS(created)
	a.UpdatedAt = fromMS(updated)
	return &a, nil
}

func fieldsJSON(f []model.Field) (string, error) {
	if f == nil {
		f = []model.Field{}
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// InsertAccount stores a new account. A taken username gives ErrConflict.
// Domain names are case-insensitive: the domain is stored (and a.Domain
// set) in lower case, the form AccountByUsername looks up.
func (q Queries) InsertAccount(ctx context.Context, a *model.Account) error {
	fields, err := fieldsJSON(a.Fields)
	if err != nil {
		return err
	}
	a.Domain = strings.ToLower(a.Domain)
	_, err = q.db.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`, username_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
			$25, $26, $27, $28, $29, $30, $31)`,
		a.ID, a.Username, a.Domain, a.DisplayName, a.Note, a.NoteHTML, fields, a.Locked, a.Bot, a.Discoverable,
		a.FediverseSharing, a.URI, a.URL, a.FollowersCount, a.FollowingCount, a.StatusesCount, msPtr(a.LastStatusAt),
		msPtr(a.SuspendedAt), msPtr(a.DeletedAt), ms(a.CreatedAt), ms(a.UpdatedAt), a.Rev, msPtr(a.FediverseSince), a.HideCollections,
		nullID(a.AvatarMediaID), a.AvatarURL, a.AvatarStaticURL, nullID(a.HeaderMediaID), a.HeaderURL, a.HeaderStaticURL,
		strings.ToLower(a.Username))
	if isUniqueViolation(err) {
		return model.Errorf(model.ErrConflict, "username", "%q is already taken", a.Username)
	}
	if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	return nil
}

// AccountByID returns one account, deleted or not.
func (q Queries) AccountByID(ctx context.Context, id int64) (*model.Account, error) {
	if q.cache != nil {
		m, err := q.cachedAccounts(ctx, []int64{id})
		if err != nil {
			return nil, err
		}
		if a := m[id]; a != nil {
			return a, nil
		}
		return nil, model.NotFound("account")
	}
	return q.accountRow(ctx, id)
}

func (q Queries) accountRow(ctx context.Context, id int64) (*model.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "account")
	}
	return a, nil
}

// AccountByUsername finds an account by username (any case) and domain ("" for local).
func (q Queries) AccountByUsername(ctx context.Context, username, domain string) (*model.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE username_key = $1 AND domain = $2`, strings.ToLower(username), strings.ToLower(domain)))
	if err != nil {
		return nil, notFound(err, "account")
	}
	return a, nil
}

// AccountsByIDs loads accounts in one query; missing IDs are absent from the map.
func (q Queries) AccountsByIDs(ctx context.Context, ids []int64) (map[int64]*model.Account, error) {
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return map[int64]*model.Account{}, nil
	}
	if q.cache != nil {
		return q.cachedAccounts(ctx, ids)
	}
	list, err := q.accountRows(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*model.Account, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

func (q Queries) accountRows(ctx context.Context, ids []int64) ([]*model.Account, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+q.inIDs("id", 1), q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	defer rows.Close()
	var out []*model.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpdateAccountProfile writes the editable profile columns.
func (q Queries) UpdateAccountProfile(ctx context.Context, a *model.Account) error {
	fields, err := fieldsJSON(a.Fields)
	if err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, display_name = $2, note = $3, note_html = $4, fields = $5,
		locked = $6, bot = $7, discoverable = $8, fediverse_sharing = $9, updated_at = $10, fediverse_since = $11,
		hide_collections = $12 WHERE id = $1`,
		a.ID, a.DisplayName, a.Note, a.NoteHTML, fields, a.Locked, a.Bot, a.Discoverable, a.FediverseSharing, ms(a.UpdatedAt),
		msPtr(a.FediverseSince), a.HideCollections)
	if err != nil {
		return fmt.Errorf("update account %d: %w", a.ID, err)
	}
	return nil
}

// SetAccountSuspended sets or clears (at == nil) the suspension.
func (q Queries) SetAccountSuspended(ctx context.Context, id int64, at *time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, suspended_at = $2, updated_at = $3 WHERE id = $1`, id, msPtr(at), ms(time.Now()))
	if err != nil {
		return fmt.Errorf("suspend account %d: %w", id, err)
	}
	return nil
}

// MarkAccountDeleted keeps the row (the username stays reserved, as on
// Mastodon) but blanks the profile; a job removes what the account owned.
func (q Queries) MarkAccountDeleted(ctx context.Context, id int64, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, deleted_at = $2, suspended_at = COALESCE(suspended_at, $2),
		display_name = '', note = '', note_html = '', fields = '[]', updated_at = $2 WHERE id = $1`, id, ms(at))
	if err != nil {
		return fmt.Errorf("mark account %d deleted: %w", id, err)
	}
	return nil
}

// AdjustAccountCounts adds deltas to the cached counters, never below zero.
func (q Queries) AdjustAccountCounts(ctx context.Context, id int64, followers, following, statuses int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1,
		followers_count = CASE WHEN followers_count + $2 < 0 THEN 0 ELSE followers_count + $2 END,
		following_count = CASE WHEN following_count + $3 < 0 THEN 0 ELSE following_count + $3 END,
		statuses_count  = CASE WHEN statuses_count  + $4 < 0 THEN 0 ELSE statuses_count  + $4 END
		WHERE id = $1`, id, followers, following, statuses)
	if err != nil {
		return fmt.Errorf("adjust counts of account %d: %w", id, err)
	}
	return nil
}

// RecordPost counts a new post (or boost) of an account and when it was made.
func (q Queries) RecordPost(ctx context.Context, id int64, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, statuses_count = statuses_count + 1, last_status_at = $2 WHERE id = $1`, id, ms(at))
	if err != nil {
		return fmt.Errorf("count post of account %d: %w", id, err)
	}
	return nil
}

// RecountAccount recomputes the cached counters from the rows, for repair
// after bulk removals (account deletion).
func (q Queries) RecountAccount(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1,
		followers_count = (SELECT COUNT(*) FROM follows WHERE target_account_id = $1),
		following_count = (SELECT COUNT(*) FROM follows WHERE account_id = $1),
		statuses_count  = (SELECT COUNT(*) FROM statuses WHERE account_id = $1 AND deleted_at IS NULL)
		WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("recount account %d: %w", id, err)
	}
	return nil
}

// LocalAccounts lists local accounts by ID, after afterID, for admin listings.
func (q Queries) LocalAccounts(ctx context.Context, afterID int64, limit int) ([]*model.Account, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE domain = '' AND id > $1
		ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []*model.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InstanceStats counts local users (not deleted or suspended), local posts,
// and other servers known.
func (q Queries) InstanceStats(ctx context.Context) (users, statuses, domains int64, err error) {
	err = q.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM accounts WHERE domain = '' AND suspended_at IS NULL),
		(SELECT COUNT(*) FROM statuses WHERE local = TRUE AND deleted_at IS NULL AND reblog_of_id IS NULL),
		(SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain <> '')`).Scan(&users, &statuses, &domains)
	if err != nil {
		err = fmt.Errorf("instance stats: %w", err)
	}
	return
}
