package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"weft/internal/model"
)

const remoteActorColumns = `account_id, actor_type, inbox, shared_inbox, outbox, followers, following, featured,
	key_id, public_key_pem, also_known_as, moved_to, avatar_url, header_url, fetched_at`

func scanRemoteActor(row scanner) (*model.RemoteActor, error) {
	var (
		r       model.RemoteActor
		aka     string
		fetched int64
	)
	if err := row.Scan(&r.AccountID, &r.Type, &r.Inbox, &r.SharedInbox, &r.Outbox, &r.Followers, &r.Following,
		&r.Featured, &r.KeyID, &r.PublicKeyPEM, &aka, &r.MovedTo, &r.AvatarURL, &r.HeaderURL, &fetched); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(aka), &r.AlsoKnownAs); err != nil {
		return nil, fmt.Errorf("remote actor %d: bad also_known_as: %w", r.AccountID, err)
	}
	r.FetchedAt = fromMS(fetched)
	return &r, nil
}

// RemoteActor returns the federation details of a remote account, or ErrNotFound.
func (q Queries) RemoteActor(ctx context.Context, accountID int64) (*model.RemoteActor, error) {
	r, err := scanRemoteActor(q.db.QueryRowContext(ctx, `SELECT `+remoteActorColumns+` FROM remote_actors WHERE account_id = $1`, accountID))
	if err != nil {
		return nil, notFound(err, "actor")
	}
	return r, nil
}

// RemoteActorByKeyID finds the actor whose public key has this id, or ErrNotFound.
func (q Queries) RemoteActorByKeyID(ctx context.Context, keyID string) (*model.RemoteActor, error) {
	r, err := scanRemoteActor(q.db.QueryRowContext(ctx, `SELECT `+remoteActorColumns+` FROM remote_actors WHERE key_id = $1 LIMIT 1`, keyID))
	if err != nil {
		return nil, notFound(err, "actor")
	}
	return r, nil
}

// UpsertRemoteActor stores or replaces the federation details of an account.
func (q Queries) UpsertRemoteActor(ctx context.Context, r *model.RemoteActor) error {
	aka := r.AlsoKnownAs
	if aka == nil {
		aka = []string{}
	}
	akaJSON, err := json.Marshal(aka)
	if err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO remote_actors (`+remoteActorColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (account_id) DO UPDATE SET actor_type = excluded.actor_type, inbox = excluded.inbox,
			shared_inbox = excluded.shared_inbox, outbox = excluded.outbox, followers = excluded.followers,
			following = excluded.following, featured = excluded.featured, key_id = excluded.key_id,
			public_key_pem = excluded.public_key_pem, also_known_as = excluded.also_known_as,
			moved_to = excluded.moved_to, avatar_url = excluded.avatar_url, header_url = excluded.header_url,
			fetched_at = excluded.fetched_at`,
		r.AccountID, r.Type, r.Inbox, r.SharedInbox, r.Outbox, r.Followers, r.Following, r.Featured,
		r.KeyID, r.PublicKeyPEM, string(akaJSON), r.MovedTo, r.AvatarURL, r.HeaderURL, ms(r.FetchedAt))
	if err != nil {
		return fmt.Errorf("store remote actor %d: %w", r.AccountID, err)
	}
	return nil
}

// AccountByURI finds an account by its ActivityPub id, or ErrNotFound.
func (q Queries) AccountByURI(ctx context.Context, uri string) (*model.Account, error) {
	if uri == "" {
		return nil, model.NotFound("account")
	}
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE uri = $1 AND uri <> '' ORDER BY id LIMIT 1`, uri))
	if err != nil {
		return nil, notFound(err, "account")
	}
	return a, nil
}

// UpdateRemoteAccount writes what a fetched actor document says of a
// remote account: its profile and addresses.
func (q Queries) UpdateRemoteAccount(ctx context.Context, a *model.Account) error {
	fields, err := fieldsJSON(a.Fields)
	if err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, display_name = $2, note = $3, note_html = $4,
		fields = $5, locked = $6, bot = $7, discoverable = $8, uri = $9, url = $10, updated_at = $11 WHERE id = $1 AND domain <> ''`,
		a.ID, a.DisplayName, a.Note, a.NoteHTML, fields, a.Locked, a.Bot, a.Discoverable, a.URI, a.URL, ms(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("update remote account %d: %w", a.ID, err)
	}
	return nil
}

// DeliveryInboxes lists the distinct inboxes (shared where offered) of the
// remote followers of an account, for delivering its posts: one delivery
// per server, not per follower.
func (q Queries) DeliveryInboxes(ctx context.Context, accountID int64) ([]string, error) {
	out, err := q.texts(ctx, `SELECT DISTINCT CASE WHEN r.shared_inbox <> '' THEN r.shared_inbox ELSE r.inbox END
		FROM follows f JOIN remote_actors r ON r.account_id = f.account_id
		JOIN accounts a ON a.id = f.account_id
		WHERE f.target_account_id = $1 AND a.suspended_at IS NULL AND a.deleted_at IS NULL`, accountID)
	if err != nil {
		return nil, fmt.Errorf("list delivery inboxes: %w", err)
	}
	return out, nil
}

// RemoteActorsByIDs loads the federation details of several accounts;
// local and unknown ones are absent from the map.
func (q Queries) RemoteActorsByIDs(ctx context.Context, ids []int64) (map[int64]*model.RemoteActor, error) {
	out := map[int64]*model.RemoteActor{}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+remoteActorColumns+` FROM remote_actors WHERE `+q.inIDs("account_id", 1), q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("load remote actors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRemoteActor(rows)
		if err != nil {
			return nil, err
		}
		out[r.AccountID] = r
	}
	return out, rows.Err()
}

// MarkInboxSeen records an activity id as received; false when it was
// already (a retried or duplicate delivery).
func (q Queries) MarkInboxSeen(ctx context.Context, activityID string, at time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO inbox_seen (activity_id, received_at) VALUES ($1, $2)
		ON CONFLICT (activity_id) DO NOTHING`, activityID, ms(at))
	if err != nil {
		return false, fmt.Errorf("record inbox activity: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ForgetInboxSeen drops activity ids received before the given time.
func (q Queries) ForgetInboxSeen(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM inbox_seen WHERE received_at < $1`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("forget inbox activities: %w", err)
	}
	return res.RowsAffected()
}

// StatusByURI finds a post by its ActivityPub id, or ErrNotFound.
func (q Queries) StatusByURI(ctx context.Context, uri string) (*model.Status, error) {
	id, err := q.StatusIDByURI(ctx, uri)
	if err != nil {
		return nil, err
	}
	return q.StatusByID(ctx, id)
}

// StatusIDByURI is the ID of the status with an ActivityPub id, or
// ErrNotFound: one indexed read, for "is it here already?".
func (q Queries) StatusIDByURI(ctx context.Context, uri string) (int64, error) {
	if uri == "" {
		return 0, model.NotFound("status")
	}
	var id int64
	if err := q.db.QueryRowContext(ctx, `SELECT id FROM statuses WHERE uri = $1 AND uri <> '' ORDER BY id LIMIT 1`, uri).Scan(&id); err != nil {
		return 0, notFound(err, "status")
	}
	return id, nil
}

// RemoteFollowPairs lists up to limit follows and follow requests between
// a local account and remote accounts, either way, as (follower, target).
func (q Queries) RemoteFollowPairs(ctx context.Context, accountID int64, limit int) ([][2]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT f.account_id, f.target_account_id FROM follows f
			JOIN accounts a ON a.id = CASE WHEN f.account_id = $1 THEN f.target_account_id ELSE f.account_id END
			WHERE (f.account_id = $1 OR f.target_account_id = $1) AND a.domain <> ''
		UNION ALL
		SELECT r.account_id, r.target_account_id FROM follow_requests r
			JOIN accounts a ON a.id = CASE WHEN r.account_id = $1 THEN r.target_account_id ELSE r.account_id END
			WHERE (r.account_id = $1 OR r.target_account_id = $1) AND a.domain <> ''
		LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("list remote follows: %w", err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// BumpMentioningStatuses moves the revision of every post that mentions an
// account: cached renderings of those posts embed the account's profile
// URL, which just changed.
func (q Queries) BumpMentioningStatuses(ctx context.Context, accountID int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE statuses SET rev = rev + 1 WHERE id IN (SELECT status_id FROM status_mentions WHERE account_id = $1)`, accountID)
	if err != nil {
		return fmt.Errorf("bump posts mentioning %d: %w", accountID, err)
	}
	return nil
}

// PublicReplyIDs lists the public and unlisted replies to a post, oldest
// first after minID (0: from the start), up to limit: by its author only
// (self) or by everyone else (!self), as a post's replies collection pages
// them. Replies of members who do not share are never listed.
func (q Queries) PublicReplyIDs(ctx context.Context, statusID, authorID int64, self bool, minID int64, limit int) ([]int64, error) {
	by := "s.account_id <> $2"
	if self {
		by = "s.account_id = $2"
	}
	return q.ids(ctx, `SELECT s.id FROM statuses s JOIN accounts a ON a.id = s.account_id
		WHERE s.in_reply_to_id = $1 AND `+by+` AND s.deleted_at IS NULL AND s.reblog_of_id IS NULL
		AND s.visibility IN ('public', 'unlisted') AND a.suspended_at IS NULL AND a.deleted_at IS NULL
		AND (a.domain <> '' OR a.fediverse_sharing AND s.created_at >= a.fediverse_since) AND s.id > $3
		ORDER BY s.id LIMIT $4`, statusID, authorID, minID, limit)
}

// KnownInboxes lists the distinct delivery inboxes (shared where offered)
// of every remote server this one knows an account of, up to limit: where
// an account's deletion is announced, since any of them may hold its posts.
func (q Queries) KnownInboxes(ctx context.Context, limit int) ([]string, error) {
	out, err := q.texts(ctx, `SELECT DISTINCT CASE WHEN r.shared_inbox <> '' THEN r.shared_inbox ELSE r.inbox END
		FROM remote_actors r JOIN accounts a ON a.id = r.account_id
		WHERE a.suspended_at IS NULL AND a.deleted_at IS NULL LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list known inboxes: %w", err)
	}
	return out, nil
}

// FollowPairByURI finds the follow or follow request whose Follow activity
// had this id: (follower, target), or ErrNotFound.
func (q Queries) FollowPairByURI(ctx context.Context, uri string) (int64, int64, error) {
	var a, b int64
	err := q.db.QueryRowContext(ctx, `SELECT account_id, target_account_id FROM follows WHERE uri = $1 AND uri <> ''
		UNION ALL SELECT account_id, target_account_id FROM follow_requests WHERE uri = $1 AND uri <> '' LIMIT 1`, uri).Scan(&a, &b)
	if err != nil {
		return 0, 0, notFound(err, "follow")
	}
	return a, b, nil
}

// texts runs a query of one text column.
func (q Queries) texts(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
