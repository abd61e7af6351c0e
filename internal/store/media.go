package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"weft/internal/model"
)

const mediaColumns = `id, account_id, status_id, position, purpose, kind, token, content_type, file_key, file_size,
	width, height, thumb_key, thumb_type, thumb_size, thumb_width, thumb_height, blurhash, description, focus_x, focus_y,
	remote_url, cached, viewed_at, created_at, updated_at`

func scanMedia(row scanner) (*model.Media, error) {
	var (
		m                        model.Media
		statusID                 sql.NullInt64
		purpose, kind            string
		viewed, created, updated int64
	)
	err := row.Scan(&m.ID, &m.AccountID, &statusID, &m.Position, &purpose, &kind, &m.Token, &m.ContentType, &m.FileKey,
		&m.FileSize, &m.Width, &m.Height, &m.ThumbKey, &m.ThumbType, &m.ThumbSize, &m.ThumbWidth, &m.ThumbHeight,
		&m.Blurhash, &m.Description, &m.FocusX, &m.FocusY, &m.RemoteURL, &m.Cached, &viewed, &created, &updated)
	if err != nil {
		return nil, err
	}
	m.StatusID = statusID.Int64
	m.Purpose, m.Kind = model.MediaPurpose(purpose), model.MediaKind(kind)
	m.ViewedAt, m.CreatedAt, m.UpdatedAt = fromMS(viewed), fromMS(created), fromMS(updated)
	return &m, nil
}

func (q Queries) queryMedia(ctx context.Context, query string, args ...any) ([]*model.Media, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query media: %w", err)
	}
	defer rows.Close()
	var out []*model.Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("read media: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// InsertMedia stores a new media row.
func (q Queries) InsertMedia(ctx context.Context, m *model.Media) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO media_attachments (`+mediaColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`,
		m.ID, m.AccountID, nullID(m.StatusID), m.Position, string(m.Purpose), string(m.Kind), m.Token, m.ContentType, m.FileKey,
		m.FileSize, m.Width, m.Height, m.ThumbKey, m.ThumbType, m.ThumbSize, m.ThumbWidth, m.ThumbHeight, m.Blurhash,
		m.Description, m.FocusX, m.FocusY, m.RemoteURL, m.Cached, ms(m.ViewedAt), ms(m.CreatedAt), ms(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert media: %w", err)
	}
	return nil
}

// MediaByID returns one media row.
func (q Queries) MediaByID(ctx context.Context, id int64) (*model.Media, error) {
	m, err := scanMedia(q.db.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE id = $1`, id))
	return m, notFound(err, "media")
}

// MediaByToken returns the media row whose files' URLs carry token.
func (q Queries) MediaByToken(ctx context.Context, token string) (*model.Media, error) {
	m, err := scanMedia(q.db.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE token = $1`, token))
	return m, notFound(err, "media")
}

// MediaByIDs returns the media rows with the given IDs, by ID.
func (q Queries) MediaByIDs(ctx context.Context, ids []int64) (map[int64]*model.Media, error) {
	out := map[int64]*model.Media{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE `+q.inIDs("id", 1), q.idsArg(ids))
	for _, m := range list {
		out[m.ID] = m
	}
	return out, err
}

// StatusMedia returns a status's attachments in order.
func (q Queries) StatusMedia(ctx context.Context, statusID int64) ([]*model.Media, error) {
	return q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE status_id = $1 ORDER BY position, id`, statusID)
}

// loadMedia fills the Media of statuses (by ID), in one query.
func (q Queries) loadMedia(ctx context.Context, byID map[int64]*model.Status, ids []int64) error {
	list, err := q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments WHERE `+q.inIDs("status_id", 1)+
		` ORDER BY status_id, position, id`, q.idsArg(ids))
	if err != nil {
		return fmt.Errorf("load media: %w", err)
	}
	for _, m := range list {
		if s := byID[m.StatusID]; s != nil {
			s.Media = append(s.Media, *m)
		}
	}
	return nil
}

// AttachMedia attaches media rows, in the given order, to a status (and
// detaches its other attachments, for an edit). The caller checked that
// they are the author's and free.
func (q Queries) AttachMedia(ctx context.Context, statusID int64, ids []int64, now time.Time) error {
	if err := q.bumpStatus(ctx, statusID); err != nil {
		return err
	}
	if _, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET status_id = NULL, updated_at = $2
		WHERE status_id = $1`, statusID, ms(now)); err != nil {
		return fmt.Errorf("detach media of %d: %w", statusID, err)
	}
	for i, id := range ids {
		if _, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET status_id = $2, position = $3, updated_at = $4
			WHERE id = $1`, id, statusID, i, ms(now)); err != nil {
			return fmt.Errorf("attach media %d: %w", id, err)
		}
	}
	return nil
}

// DetachStatusMedia makes a deleted post's attachments free again, so that
// "delete and redraft" can use them; unused, they go after a day.
func (q Queries) DetachStatusMedia(ctx context.Context, statusID int64, now time.Time) error {
	if _, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET status_id = NULL, updated_at = $2
		WHERE status_id = $1`, statusID, ms(now)); err != nil {
		return fmt.Errorf("detach media of %d: %w", statusID, err)
	}
	return nil
}

// UpdateMediaMeta changes the alt text and focal point; the post that
// shows the media, if any, changes with it.
func (q Queries) UpdateMediaMeta(ctx context.Context, m *model.Media) error {
	if m.StatusID != 0 {
		if err := q.bumpStatus(ctx, m.StatusID); err != nil {
			return err
		}
	}
	_, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET description = $2, focus_x = $3, focus_y = $4, updated_at = $5
		WHERE id = $1`, m.ID, m.Description, m.FocusX, m.FocusY, ms(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("update media %d: %w", m.ID, err)
	}
	return nil
}

// SetMediaFiles records the stored files of a media row (a remote file
// fetched into the cache): the post showing it changes (its URLs become
// this server's).
func (q Queries) SetMediaFiles(ctx context.Context, m *model.Media) error {
	if m.StatusID != 0 {
		if err := q.bumpStatus(ctx, m.StatusID); err != nil {
			return err
		}
	}
	_, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET kind = $2, content_type = $3, file_key = $4, file_size = $5,
		width = $6, height = $7, thumb_key = $8, thumb_type = $9, thumb_size = $10, thumb_width = $11, thumb_height = $12,
		blurhash = $13, cached = $14, viewed_at = $15, updated_at = $16 WHERE id = $1`,
		m.ID, string(m.Kind), m.ContentType, m.FileKey, m.FileSize, m.Width, m.Height, m.ThumbKey, m.ThumbType, m.ThumbSize,
		m.ThumbWidth, m.ThumbHeight, m.Blurhash, m.Cached, ms(m.ViewedAt), ms(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store media files %d: %w", m.ID, err)
	}
	return nil
}

// MarkMediaEvicted records that a cached remote file was removed. Its keys
// stay: the URLs shown do not change, and the file is fetched again when
// someone asks for it.
func (q Queries) MarkMediaEvicted(ctx context.Context, id int64, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET cached = FALSE, updated_at = $2 WHERE id = $1`, id, ms(now))
	if err != nil {
		return fmt.Errorf("evict media %d: %w", id, err)
	}
	return nil
}

// TouchMedia records that a cached remote file was viewed (for eviction
// order); callers throttle it.
func (q Queries) TouchMedia(ctx context.Context, id int64, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE media_attachments SET viewed_at = $2 WHERE id = $1`, id, ms(now))
	if err != nil {
		return fmt.Errorf("touch media %d: %w", id, err)
	}
	return nil
}

// DeleteMedia removes media rows (their files are the caller's).
func (q Queries) DeleteMedia(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM media_attachments WHERE `+q.inIDs("id", 1), q.idsArg(ids)); err != nil {
		return fmt.Errorf("delete media: %w", err)
	}
	return nil
}

// UnattachedMediaBefore lists uploads left unattached since before t.
func (q Queries) UnattachedMediaBefore(ctx context.Context, t time.Time, limit int) ([]*model.Media, error) {
	return q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments
		WHERE status_id IS NULL AND purpose = 'attachment' AND remote_url = '' AND updated_at < $1
		ORDER BY updated_at LIMIT $2`, ms(t), limit)
}

// MediaOfGoneStatuses lists attachments still on deleted posts (remote
// ones, and those of deleted accounts; a member's own deletion detaches
// them for redrafting) or on posts whose row is gone, to remove with their
// files.
func (q Queries) MediaOfGoneStatuses(ctx context.Context, limit int) ([]*model.Media, error) {
	return q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments m
		WHERE m.status_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM statuses s WHERE s.id = m.status_id AND s.deleted_at IS NULL)
		ORDER BY m.id LIMIT $1`, limit)
}

// ReplacedProfileMedia lists avatars and headers no account shows any more.
func (q Queries) ReplacedProfileMedia(ctx context.Context, before time.Time, limit int) ([]*model.Media, error) {
	return q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments m
		WHERE m.purpose IN ('avatar', 'header') AND m.updated_at < $1 AND NOT EXISTS (
			SELECT 1 FROM accounts a WHERE a.avatar_media_id = m.id OR a.header_media_id = m.id)
		ORDER BY m.id LIMIT $2`, ms(before), limit)
}

// CachedMediaBytes is the space the remote media cache takes.
func (q Queries) CachedMediaBytes(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	err := q.db.QueryRowContext(ctx, `SELECT SUM(file_size + thumb_size) FROM media_attachments
		WHERE cached AND remote_url <> ''`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cached media size: %w", err)
	}
	return n.Int64, nil
}

// LeastViewedCachedMedia lists cached remote files, least recently viewed first.
func (q Queries) LeastViewedCachedMedia(ctx context.Context, limit int) ([]*model.Media, error) {
	return q.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media_attachments
		WHERE cached AND remote_url <> '' ORDER BY viewed_at, id LIMIT $1`, limit)
}

// MediaUsage is what media takes, by kind of use.
type MediaUsage struct {
	LocalFiles, LocalBytes   int64 // uploads of this server's members (attachments, avatars, headers)
	CachedFiles, CachedBytes int64 // other servers' media in the cache
	RemoteKnown              int64 // other servers' media known, cached or not
}

// MediaUsage sums the media rows' sizes.
func (q Queries) MediaUsage(ctx context.Context) (MediaUsage, error) {
	var u MediaUsage
	var lb, cb sql.NullInt64
	err := q.db.QueryRowContext(ctx, `SELECT
		COUNT(*) FILTER (WHERE remote_url = '' AND file_key <> ''),
		SUM(file_size + thumb_size) FILTER (WHERE remote_url = ''),
		COUNT(*) FILTER (WHERE remote_url <> '' AND cached),
		SUM(file_size + thumb_size) FILTER (WHERE remote_url <> '' AND cached),
		COUNT(*) FILTER (WHERE remote_url <> '')
		FROM media_attachments`).Scan(&u.LocalFiles, &lb, &u.CachedFiles, &cb, &u.RemoteKnown)
	if err != nil {
		return u, fmt.Errorf("media usage: %w", err)
	}
	u.LocalBytes, u.CachedBytes = lb.Int64, cb.Int64
	return u, nil
}

// SetAccountImage sets an account's avatar or header (purpose) to a media
// row and the URLs it is shown with; mediaID 0 removes it.
func (q Queries) SetAccountImage(ctx context.Context, accountID int64, purpose model.MediaPurpose, mediaID int64, url, staticURL string, now time.Time) error {
	col := "avatar"
	if purpose == model.PurposeHeader {
		col = "header"
	}
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, `+col+`_media_id = $2, `+col+`_url = $3, `+
		col+`_static_url = $4, updated_at = $5 WHERE id = $1`, accountID, nullID(mediaID), url, staticURL, ms(now))
	if err != nil {
		return fmt.Errorf("set %s of %d: %w", col, accountID, err)
	}
	return nil
}

// RefreshAccountImageURLs points the accounts showing a media row as
// avatar or header at new URLs (a remote file now cached here).
func (q Queries) RefreshAccountImageURLs(ctx context.Context, m *model.Media, url, staticURL string) error {
	col := "avatar"
	if m.Purpose == model.PurposeHeader {
		col = "header"
	}
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, `+col+`_url = $2, `+col+`_static_url = $3
		WHERE `+col+`_media_id = $1`, m.ID, url, staticURL)
	if err != nil {
		return fmt.Errorf("refresh %s URLs of media %d: %w", col, m.ID, err)
	}
	return nil
}
