package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"weft/internal/model"
)

// TagByKey returns the tag with this normalised name, or ErrNotFound.
func (q Queries) TagByKey(ctx context.Context, key string) (*model.Tag, error) {
	var t model.Tag
	if err := q.db.QueryRowContext(ctx, `SELECT id, name FROM tags WHERE name_key = $1`, key).Scan(&t.ID, &t.Name); err != nil {
		return nil, notFound(err, "tag")
	}
	return &t, nil
}

// FollowTag records that accountID follows a tag; false when it did already.
func (q Queries) FollowTag(ctx context.Context, id, accountID, tagID int64, now time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO tag_follows (id, account_id, tag_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, tag_id) DO NOTHING`, id, accountID, tagID, ms(now))
	if err != nil {
		return false, fmt.Errorf("follow tag: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UnfollowTag removes a tag follow; false when there was none.
func (q Queries) UnfollowTag(ctx context.Context, accountID, tagID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM tag_follows WHERE account_id = $1 AND tag_id = $2`, accountID, tagID)
	if err != nil {
		return false, fmt.Errorf("unfollow tag: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FollowingTags returns which of tagIDs accountID follows.
func (q Queries) FollowingTags(ctx context.Context, accountID int64, tagIDs []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	tagIDs = uniqueIDs(tagIDs)
	if accountID == 0 || len(tagIDs) == 0 {
		return out, nil
	}
	got, err := q.ids(ctx, `SELECT tag_id FROM tag_follows WHERE account_id = $1 AND `+q.inIDs("tag_id", 2), accountID, q.idsArg(tagIDs))
	if err != nil {
		return nil, fmt.Errorf("check followed tags: %w", err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// TagPage is a page of tags with the row IDs that paginate it.
type TagPage struct {
	Tags   []model.Tag
	RowIDs []int64
}

// FollowedTags pages the tags accountID follows, newest follow first.
func (q Queries) FollowedTags(ctx context.Context, accountID int64, p model.Page) (TagPage, error) {
	args := []any{accountID}
	where, asc, args := pageClause("f.id", p, args)
	lim, args := limitArg(p.Limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT f.id, t.id, t.name FROM tag_follows f JOIN tags t ON t.id = f.tag_id
		WHERE f.account_id = $1`+where+orderBy("f.id", asc)+lim, args...)
	if err != nil {
		return TagPage{}, fmt.Errorf("list followed tags: %w", err)
	}
	defer rows.Close()
	var out TagPage
	for rows.Next() {
		var rowID int64
		var t model.Tag
		if err := rows.Scan(&rowID, &t.ID, &t.Name); err != nil {
			return out, err
		}
		out.Tags = append(out.Tags, t)
		out.RowIDs = append(out.RowIDs, rowID)
	}
	if asc {
		slices.Reverse(out.Tags)
		slices.Reverse(out.RowIDs)
	}
	return out, rows.Err()
}

// TagFollowersOfStatus lists, by account ID after afterID, the active
// accounts following one of a status's tags, for fan-out in batches.
func (q Queries) TagFollowersOfStatus(ctx context.Context, statusID, afterID int64, limit int) ([]int64, error) {
	ids, err := q.ids(ctx, `SELECT DISTINCT f.account_id FROM status_tags st JOIN tag_follows f ON f.tag_id = st.tag_id
		JOIN accounts a ON a.id = f.account_id AND a.suspended_at IS NULL AND a.deleted_at IS NULL
		WHERE st.status_id = $1 AND f.account_id > $2 ORDER BY f.account_id LIMIT $3`, statusID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list tag followers: %w", err)
	}
	return ids, nil
}
