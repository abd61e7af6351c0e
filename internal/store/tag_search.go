package store

import (
	"context"
	"fmt"

	"weft/internal/model"
)

// TagMatch is a hashtag found by the start of its name.
type TagMatch struct {
	Tag  model.Tag
	Key  string // the normalised name (text.TagKey)
	Uses int64  // public posts using it, counted up to SearchTags' maxUses
}

// SearchTags lists the hashtags whose normalised name starts with prefix (a
// text.TagKey), in name order, at most candidates of them, each with the
// number of public, live posts by accounts in good standing that use it,
// counted up to maxUses: as the tag statistics count, so a tag only private
// posts use counts zero. Both bounds keep the cost of a short prefix on a
// big server to a few index range scans.
func (q Queries) SearchTags(ctx context.Context, prefix string, candidates, maxUses int) ([]TagMatch, error) {
	if prefix == "" || candidates <= 0 {
		return nil, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT t.id, t.name, t.name_key,
		(SELECT COUNT(*) FROM (SELECT 1 FROM status_tags st JOIN statuses s ON s.id = st.status_id
			WHERE st.tag_id = t.id AND s.visibility = 'public' AND s.deleted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM accounts ax WHERE ax.id = s.account_id AND ax.suspended_at IS NOT NULL)
			LIMIT $4) u)
		FROM (SELECT id, name, name_key FROM tags WHERE name_key >= $1 AND name_key < $2 ORDER BY name_key LIMIT $3) t
		ORDER BY t.name_key`, prefix, prefix+prefixTop, candidates, maxUses)
	if err != nil {
		return nil, fmt.Errorf("search tags: %w", err)
	}
	defer rows.Close()
	var out []TagMatch
	for rows.Next() {
		var m TagMatch
		if err := rows.Scan(&m.Tag.ID, &m.Tag.Name, &m.Key, &m.Uses); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
