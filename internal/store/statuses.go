package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"weft/internal/model"
)

const statusColumns = `s.id, s.account_id, s.text, s.content_html, s.spoiler_text, s.sensitive, s.language, s.visibility,
	s.in_reply_to_id, s.in_reply_to_account_id, s.thread_id, s.conversation_id, s.reblog_of_id, s.local, s.uri, s.url,
	s.replies_count, s.reblogs_count, s.favourites_count, s.created_at, s.edited_at, s.deleted_at, s.rev`

func scanStatus(row scanner, extra ...any) (*model.Status, error) {
	var (
		s                                 model.Status
		vis                               string
		replyTo, replyToAccount, reblogOf sql.NullInt64
		created                           int64
		edited, deleted                   sql.NullInt64
	)
	dest := []any{&s.ID, &s.AccountID, &s.Text, &s.ContentHTML, &s.SpoilerText, &s.Sensitive, &s.Language, &vis,
		&replyTo, &replyToAccount, &s.ThreadID, &s.ConversationID, &reblogOf, &s.Local, &s.URI, &s.URL,
		&s.RepliesCount, &s.ReblogsCount, &s.FavouritesCount, &created, &edited, &deleted, &s.Rev}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	s.Visibility = model.Visibility(vis)
	s.InReplyToID = replyTo.Int64
	s.InReplyToAccountID = replyToAccount.Int64
	s.ReblogOfID = reblogOf.Int64
	s.CreatedAt = fromMS(created)
	s.EditedAt = fromNullMS(edited)
	s.DeletedAt = fromNullMS(deleted)
	return &s, nil
}

// InsertStatus stores a post or boost row (without mentions and tags: see
// SetMentions and SetTags). A second boost of the same post by the same
// account gives ErrAlready.
func (q Queries) InsertStatus(ctx context.Context, s *model.Status) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO statuses (id, account_id, text, content_html, spoiler_text, sensitive,
		language, visibility, in_reply_to_id, in_reply_to_account_id, thread_id, conversation_id, reblog_of_id, local,
		uri, url, created_at, edited_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		s.ID, s.AccountID, s.Text, s.ContentHTML, s.SpoilerText, s.Sensitive, s.Language, string(s.Visibility),
		nullID(s.InReplyToID), nullID(s.InReplyToAccountID), s.ThreadID, s.ConversationID, nullID(s.ReblogOfID), s.Local,
		s.URI, s.URL, ms(s.CreatedAt), msPtr(s.EditedAt))
	if isUniqueViolation(err) && s.ReblogOfID != 0 {
		return model.Errorf(model.ErrAlready, "", "already boosted")
	}
	if err != nil {
		return fmt.Errorf("insert status: %w", err)
	}
	return nil
}

// StatusByID returns one status with its mentions and tags, deleted or not.
func (q Queries) StatusByID(ctx context.Context, id int64) (*model.Status, error) {
	if q.cache != nil {
		refs, err := q.refs(ctx, `SELECT id, rev FROM statuses WHERE id = $1`, id)
		if err != nil {
			return nil, fmt.Errorf("load status: %w", err)
		}
		list, err := q.statusesOf(ctx, refs)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, model.NotFound("status")
		}
		return list[0], nil
	}
	s, err := scanStatus(q.db.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE s.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "status")
	}
	if err := q.loadExtras(ctx, []*model.Status{s}); err != nil {
		return nil, err
	}
	return s, nil
}

// StatusesByIDs loads statuses with their mentions and tags in a few queries.
func (q Queries) StatusesByIDs(ctx context.Context, ids []int64) (map[int64]*model.Status, error) {
	ids = uniqueIDs(ids)
	out := make(map[int64]*model.Status, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := q.queryStatuses(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE `+q.inIDs("s.id", 1), q.idsArg(ids))
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		out[s.ID] = s
	}
	return out, nil
}

// queryStatuses runs a query selecting statusColumns and loads extras,
// through the model cache when there is one.
func (q Queries) queryStatuses(ctx context.Context, query string, args ...any) ([]*model.Status, error) {
	if list, ok, err := q.cachedStatusQuery(ctx, query, args); ok {
		return list, err
	}
	return q.queryStatusRows(ctx, query, args...)
}

// queryStatusRows runs a query selecting statusColumns and loads extras.
func (q Queries) queryStatusRows(ctx context.Context, query string, args ...any) ([]*model.Status, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query statuses: %w", err)
	}
	defer rows.Close()
	var out []*model.Status
	for rows.Next() {
		s, err := scanStatus(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := q.loadExtras(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadExtras fills Mentions, Tags and Media of the given statuses.
func (q Queries) loadExtras(ctx context.Context, list []*model.Status) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Status, len(list))
	ids := make([]int64, 0, len(list))
	for _, s := range list {
		if s.IsReblog() {
			continue // a boost has no text of its own
		}
		byID[s.ID] = s
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT status_id, account_id FROM status_mentions WHERE `+q.inIDs("status_id", 1)+
		` ORDER BY status_id, account_id`, q.idsArg(ids))
	if err != nil {
		return fmt.Errorf("load mentions: %w", err)
	}
	for rows.Next() {
		var sid, aid int64
		if err := rows.Scan(&sid, &aid); err != nil {
			rows.Close()
			return err
		}
		byID[sid].Mentions = append(byID[sid].Mentions, aid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.db.QueryContext(ctx, `SELECT st.status_id, t.name FROM status_tags st JOIN tags t ON t.id = st.tag_id
		WHERE `+q.inIDs("st.status_id", 1)+` ORDER BY st.status_id, t.name_key`, q.idsArg(ids))
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	for rows.Next() {
		var sid int64
		var name string
		if err := rows.Scan(&sid, &name); err != nil {
			rows.Close()
			return err
		}
		byID[sid].Tags = append(byID[sid].Tags, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return q.loadMedia(ctx, byID, ids)
}

// SetMentions replaces the accounts a status mentions.
func (q Queries) SetMentions(ctx context.Context, statusID int64, accountIDs []int64) error {
	if err := q.bumpStatus(ctx, statusID); err != nil {
		return err
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM status_mentions WHERE status_id = $1`, statusID); err != nil {
		return fmt.Errorf("clear mentions: %w", err)
	}
	return q.AddMentions(ctx, statusID, accountIDs)
}

// AddMentions records the accounts a new status mentions, in one statement.
func (q Queries) AddMentions(ctx context.Context, statusID int64, accountIDs []int64) error {
	accountIDs = uniqueIDs(accountIDs)
	if len(accountIDs) == 0 {
		return nil
	}
	if _, err := q.db.ExecContext(ctx, `INSERT INTO status_mentions (status_id, account_id) SELECT $1, id FROM `+q.idRows(2)+
		` WHERE TRUE ON CONFLICT DO NOTHING`, statusID, q.idsArg(accountIDs)); err != nil {
		return fmt.Errorf("insert mentions: %w", err)
	}
	return nil
}

// UpdateStatusContent writes an edit.
func (q Queries) UpdateStatusContent(ctx context.Context, s *model.Status) error {
	_, err := q.db.ExecContext(ctx, `UPDATE statuses SET rev = rev + 1, text = $2, content_html = $3, spoiler_text = $4, sensitive = $5,
		language = $6, edited_at = $7 WHERE id = $1`,
		s.ID, s.Text, s.ContentHTML, s.SpoilerText, s.Sensitive, s.Language, msPtr(s.EditedAt))
	if err != nil {
		return fmt.Errorf("update status %d: %w", s.ID, err)
	}
	return nil
}

// SoftDeleteStatus blanks a post but keeps its row, so replies keep their
// place in the thread and federation can answer with a tombstone.
func (q Queries) SoftDeleteStatus(ctx context.Context, id int64, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE statuses SET rev = rev + 1, deleted_at = $2, text = '', content_html = '', spoiler_text = ''
		WHERE id = $1 AND deleted_at IS NULL`, id, ms(at))
	if err != nil {
		return fmt.Errorf("delete status %d: %w", id, err)
	}
	return nil
}

// DeleteStatusRow removes a row outright (boosts, which have no thread to keep).
func (q Queries) DeleteStatusRow(ctx context.Context, id int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE status_id = $1`, id); err != nil {
		return fmt.Errorf("delete notifications of status %d: %w", id, err)
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM statuses WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete status %d: %w", id, err)
	}
	return nil
}

// AdjustStatusCounts adds deltas to a status's cached counters, never below zero.
func (q Queries) AdjustStatusCounts(ctx context.Context, id int64, replies, reblogs, favourites int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE statuses SET rev = rev + 1,
		replies_count    = CASE WHEN replies_count    + $2 < 0 THEN 0 ELSE replies_count    + $2 END,
		reblogs_count    = CASE WHEN reblogs_count    + $3 < 0 THEN 0 ELSE reblogs_count    + $3 END,
		favourites_count = CASE WHEN favourites_count + $4 < 0 THEN 0 ELSE favourites_count + $4 END
		WHERE id = $1`, id, replies, reblogs, favourites)
	if err != nil {
		return fmt.Errorf("adjust counts of status %d: %w", id, err)
	}
	return nil
}

// ReblogBy returns accountID's boost of statusID, or ErrNotFound.
func (q Queries) ReblogBy(ctx context.Context, accountID, statusID int64) (*model.Status, error) {
	s, err := scanStatus(q.db.QueryRowContext(ctx, `SELECT `+statusColumns+` FROM statuses s
		WHERE s.reblog_of_id = $1 AND s.account_id = $2`, statusID, accountID))
	if err != nil {
		return nil, notFound(err, "boost")
	}
	return s, nil
}

// ReblogIDsOf lists the boosts of a post (to remove them when it is deleted).
func (q Queries) ReblogIDsOf(ctx context.Context, statusID int64) ([]int64, error) {
	return q.ids(ctx, `SELECT id FROM statuses WHERE reblog_of_id = $1 ORDER BY id`, statusID)
}

// ThreadStatuses returns every status of a thread, oldest first, deleted ones
// included (they hold the tree together), up to limit.
func (q Queries) ThreadStatuses(ctx context.Context, threadID int64, limit int) ([]*model.Status, error) {
	return q.queryStatuses(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE s.thread_id = $1 AND s.reblog_of_id IS NULL
		ORDER BY s.id LIMIT $2`, threadID, limit)
}

// StatusIDsOfAccount lists an account's statuses by ID after afterID (cleanup jobs).
func (q Queries) StatusIDsOfAccount(ctx context.Context, accountID, afterID int64, limit int) ([]int64, error) {
	return q.ids(ctx, `SELECT id FROM statuses WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3`, accountID, afterID, limit)
}

// EngagedAccountIDs lists local accounts that boosted or liked a post (they
// are told when it is edited).
func (q Queries) EngagedAccountIDs(ctx context.Context, statusID int64) ([]int64, error) {
	return q.ids(ctx, `SELECT a.id FROM accounts a WHERE a.domain = '' AND a.id IN (
		SELECT account_id FROM statuses WHERE reblog_of_id = $1
		UNION SELECT account_id FROM favourites WHERE status_id = $1) ORDER BY a.id`, statusID)
}

// bumpStatus raises a status's revision for a change outside its row (its
// mentions, its tags), so cached copies of it are not used again.
func (q Queries) bumpStatus(ctx context.Context, id int64) error {
	if _, err := q.db.ExecContext(ctx, `UPDATE statuses SET rev = rev + 1 WHERE id = $1`, id); err != nil {
		return fmt.Errorf("bump status %d: %w", id, err)
	}
	return nil
}

// LockStatusURI serialises, until the transaction ends, the transactions
// that store a remote post with this ActivityPub id, so two deliveries of
// one post (a retry under a new activity id, the same post from two
// servers' boosts) cannot both find it missing and store it twice. SQLite
// serialises all writers already; PostgreSQL takes a transaction advisory
// lock keyed by a hash of the id (in its own key space: two-key form).
func (q Queries) LockStatusURI(ctx context.Context, uri string) error {
	if q.dialect != Postgres {
		return nil
	}
	if _, err := q.db.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7, hashtext($1))`, uri); err != nil {
		return fmt.Errorf("lock status uri: %w", err)
	}
	return nil
}
