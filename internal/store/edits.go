package store

import (
	"context"
	"fmt"

	"weft/internal/model"
)

// InsertStatusEdit stores one version of a post.
func (q Queries) InsertStatusEdit(ctx context.Context, e *model.StatusEdit) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO status_edits (id, status_id, account_id, text, content_html, spoiler_text, sensitive, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, e.StatusID, e.AccountID, e.Text, e.ContentHTML, e.SpoilerText, e.Sensitive, ms(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert status edit: %w", err)
	}
	return nil
}

// StatusEdits returns a post's versions, oldest first.
func (q Queries) StatusEdits(ctx context.Context, statusID int64) ([]*model.StatusEdit, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, status_id, account_id, text, content_html, spoiler_text, sensitive, created_at
		FROM status_edits WHERE status_id = $1 ORDER BY id`, statusID)
	if err != nil {
		return nil, fmt.Errorf("list status edits: %w", err)
	}
	defer rows.Close()
	var out []*model.StatusEdit
	for rows.Next() {
		var e model.StatusEdit
		var created int64
		if err := rows.Scan(&e.ID, &e.StatusID, &e.AccountID, &e.Text, &e.ContentHTML, &e.SpoilerText, &e.Sensitive, &created); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(created)
		out = append(out, &e)
	}
	return out, rows.Err()
}
