package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TagID returns the ID of the tag with this key, creating it (with the name
// as written) when it is new. newID is called only when a row is inserted.
func (q Queries) TagID(ctx context.Context, name, key string, newID func() int64, now time.Time) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT id FROM tags WHERE name_key = $1`, key).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find tag: %w", err)
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO tags (id, name, name_key, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name_key) DO NOTHING`, newID(), name, key, ms(now))
	if err != nil {
		return 0, fmt.Errorf("insert tag: %w", err)
	}
	if err := q.db.QueryRowContext(ctx, `SELECT id FROM tags WHERE name_key = $1`, key).Scan(&id); err != nil {
		return 0, fmt.Errorf("read tag: %w", err)
	}
	return id, nil
}

// TagIDByKey returns the ID of an existing tag, or ErrNotFound.
func (q Queries) TagIDByKey(ctx context.Context, key string) (int64, error) {
	var id int64
	if err := q.db.QueryRowContext(ctx, `SELECT id FROM tags WHERE name_key = $1`, key).Scan(&id); err != nil {
		return 0, notFound(err, "tag")
	}
	return id, nil
}

// SetTags replaces the tags of a status.
func (q Queries) SetTags(ctx context.Context, statusID int64, tagIDs []int64) error {
	if err := q.bumpStatus(ctx, statusID); err != nil {
		return err
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM status_tags WHERE status_id = $1`, statusID); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	return q.AddTags(ctx, statusID, tagIDs)
}

// AddTags records the tags of a new status, in one statement.
func (q Queries) AddTags(ctx context.Context, statusID int64, tagIDs []int64) error {
	tagIDs = uniqueIDs(tagIDs)
	if len(tagIDs) == 0 {
		return nil
	}
	if _, err := q.db.ExecContext(ctx, `INSERT INTO status_tags (tag_id, status_id) SELECT id, $1 FROM `+q.idRows(2)+
		` WHERE TRUE ON CONFLICT DO NOTHING`, statusID, q.idsArg(tagIDs)); err != nil {
		return fmt.Errorf("insert status tags: %w", err)
	}
	return nil
}
