package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"weft/internal/id"
	"weft/internal/model"
)

// Tag statistics count public posts only, from accounts that are not
// suspended: what anyone may see in the hashtag's timeline.

const dayMS = 24 * 60 * 60 * 1000

// TagHistory counts, per tag and UTC day since `since`, the public posts
// using each tag and their distinct authors. Days without use are absent.
func (q Queries) TagHistory(ctx context.Context, tagIDs []int64, since time.Time) (map[int64][]model.TagDay, error) {
	out := map[int64][]model.TagDay{}
	tagIDs = uniqueIDs(tagIDs)
	if len(tagIDs) == 0 {
		return out, nil
	}
	day := "s.created_at / " + strconv.Itoa(dayMS)
	rows, err := q.db.QueryContext(ctx, `SELECT st.tag_id, `+day+`, COUNT(*), COUNT(DISTINCT s.account_id)
		FROM status_tags st JOIN statuses s ON s.id = st.status_id
		WHERE `+q.inIDs("st.tag_id", 1)+` AND st.status_id >= $2 AND s.created_at >= $3
		AND s.visibility = 'public' AND s.deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM accounts ax WHERE ax.id = s.account_id AND ax.suspended_at IS NOT NULL)
		GROUP BY st.tag_id, `+day, q.idsArg(tagIDs), id.MinAt(since), ms(since))
	if err != nil {
		return nil, fmt.Errorf("tag history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tagID, dayNum int64
		var d model.TagDay
		if err := rows.Scan(&tagID, &dayNum, &d.Uses, &d.Accounts); err != nil {
			return nil, err
		}
		d.Day = fromMS(dayNum * dayMS)
		out[tagID] = append(out[tagID], d)
	}
	return out, rows.Err()
}

// TrendingTags ranks the tags of public posts since `since` by distinct
// voices, then by uses. A voice is a local member, or a whole remote
// server: one server's accounts, however many, count once, so that no
// server can fill the trends with accounts of its own making.
func (q Queries) TrendingTags(ctx context.Context, since time.Time, limit, offset int) ([]model.Tag, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT t.id, t.name,
		COUNT(DISTINCT CASE WHEN a.domain = '' THEN 'member:' || CAST(s.account_id AS TEXT) ELSE 'server:' || a.domain END) AS voices,
		COUNT(*) AS uses
		FROM statuses s JOIN status_tags st ON st.status_id = s.id JOIN tags t ON t.id = st.tag_id
		JOIN accounts a ON a.id = s.account_id
		WHERE s.id >= $1 AND s.visibility = 'public' AND s.deleted_at IS NULL AND s.reblog_of_id IS NULL
		AND a.suspended_at IS NULL
		GROUP BY t.id, t.name ORDER BY voices DESC, uses DESC, t.id DESC LIMIT $2 OFFSET $3`,
		id.MinAt(since), limit, offset)
	if err != nil {
		return nil, fmt.Errorf("trending tags: %w", err)
	}
	defer rows.Close()
	var out []model.Tag
	for rows.Next() {
		var t model.Tag
		var voices, uses int64
		if err := rows.Scan(&t.ID, &t.Name, &voices, &uses); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TagQuery selects posts by several tags (Mastodon's tag timeline with
// any[], all[] and none[]).
type TagQuery struct {
	Any  []int64 // at least one of these (the timeline's own tag among them)
	All  []int64 // every one of these too
	None []int64 // none of these
}

// TaggedTimeline reads public posts matching a TagQuery.
func (q Queries) TaggedTimeline(ctx context.Context, viewer int64, tq TagQuery, f PublicFilter, p model.Page, now time.Time) ([]*model.Status, error) {
	tq.Any, tq.All, tq.None = uniqueIDs(tq.Any), uniqueIDs(tq.All), uniqueIDs(tq.None)
	args := []any{q.idsArg(tq.Any)}
	cond := ""
	if len(tq.All) > 0 {
		args = append(args, q.idsArg(tq.All), len(tq.All))
		cond += " AND (SELECT COUNT(*) FROM status_tags a WHERE a.status_id = s.id AND " + q.inIDs("a.tag_id", len(args)-1) +
			") = $" + strconv.Itoa(len(args))
	}
	if len(tq.None) > 0 {
		args = append(args, q.idsArg(tq.None))
		cond += " AND NOT EXISTS (SELECT 1 FROM status_tags x WHERE x.status_id = s.id AND " + q.inIDs("x.tag_id", len(args)) + ")"
	}
	where, asc, args := pageClause("s.id", p, args)
	hidden, args := hiddenAuthors("s.account_id", viewer, true, now, args)
	lim, args := limitArg(p.Limit, args)
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM statuses s
		WHERE s.id IN (SELECT status_id FROM status_tags WHERE `+q.inIDs("tag_id", 1)+`)
		AND s.visibility = 'public' AND s.deleted_at IS NULL`+
		cond+f.cond()+where+hidden+orderBy("s.id", asc)+lim, asc, args)
}
