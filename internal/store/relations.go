package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"weft/internal/model"
)

// Relations is everything between one viewer and a set of other accounts,
// loaded in one query. The visibility policy, relationship lookups and
// timeline filters all read it.
type Relations struct {
	Viewer      int64
	Following   map[int64]model.Follow // viewer follows them (with options)
	FollowedBy  map[int64]bool
	Blocking    map[int64]bool // viewer blocks them
	BlockedBy   map[int64]bool // they block the viewer
	Muting      map[int64]*model.Mute
	Requested   map[int64]bool // viewer asked to follow them
	RequestedBy map[int64]bool // they asked to follow the viewer
	// requests holds the options of the viewer's pending requests.
	requests map[int64]model.FollowRequest
}

func newRelations(viewer int64) *Relations {
	return &Relations{Viewer: viewer, Following: map[int64]model.Follow{}, FollowedBy: map[int64]bool{},
		Blocking: map[int64]bool{}, BlockedBy: map[int64]bool{}, Muting: map[int64]*model.Mute{},
		Requested: map[int64]bool{}, RequestedBy: map[int64]bool{}, requests: map[int64]model.FollowRequest{}}
}

// RelationsOf loads the viewer's relations to ids. A zero viewer (anonymous)
// has none.
func (q Queries) RelationsOf(ctx context.Context, viewer int64, ids []int64, now time.Time) (*Relations, error) {
	r := newRelations(viewer)
	ids = slices.DeleteFunc(uniqueIDs(ids), func(id int64) bool { return id == viewer }) // one's own posts need no relations
	if viewer == 0 || len(ids) == 0 {
		return r, nil
	}
	e, err := q.viewerEntry(ctx, viewer)
	if err != nil {
		return nil, err
	}
	if e != nil {
		return q.cachedRelations(ctx, e, viewer, ids, now)
	}
	return q.relationRows(ctx, viewer, ids, now)
}

// relationRows reads the viewer's relations to ids (distinct, not the
// viewer) from the database.
func (q Queries) relationRows(ctx context.Context, viewer int64, ids []int64, now time.Time) (*Relations, error) {
	r := newRelations(viewer)
	in := func(col string) string { return q.inIDs(col, 3) }
	rows, err := q.db.QueryContext(ctx, `
		SELECT 'following', target_account_id, show_reblogs, notify, CAST(NULL AS BIGINT) FROM follows
			WHERE account_id = $1 AND `+in("target_account_id")+`
		UNION ALL SELECT 'followed_by', account_id, FALSE, FALSE, NULL FROM follows
			WHERE target_account_id = $1 AND `+in("account_id")+`
		UNION ALL SELECT 'blocking', target_account_id, FALSE, FALSE, NULL FROM blocks
			WHERE account_id = $1 AND `+in("target_account_id")+`
		UNION ALL SELECT 'blocked_by', account_id, FALSE, FALSE, NULL FROM blocks
			WHERE target_account_id = $1 AND `+in("account_id")+`
		UNION ALL SELECT 'muting', target_account_id, hide_notifications, FALSE, expires_at FROM mutes
			WHERE account_id = $1 AND `+in("target_account_id")+` AND (expires_at IS NULL OR expires_at > $2)
		UNION ALL SELECT 'requested', target_account_id, show_reblogs, notify, NULL FROM follow_requests
			WHERE account_id = $1 AND `+in("target_account_id")+`
		UNION ALL SELECT 'requested_by', account_id, FALSE, FALSE, NULL FROM follow_requests
			WHERE target_account_id = $1 AND `+in("account_id"), viewer, ms(now), q.idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("load relations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var id int64
		var a, b bool
		var exp sql.NullInt64
		if err := rows.Scan(&kind, &id, &a, &b, &exp); err != nil {
			return nil, err
		}
		switch kind {
		case "following":
			r.Following[id] = model.Follow{AccountID: viewer, TargetAccountID: id, ShowReblogs: a, Notify: b}
		case "followed_by":
			r.FollowedBy[id] = true
		case "blocking":
			r.Blocking[id] = true
		case "blocked_by":
			r.BlockedBy[id] = true
		case "muting":
			r.Muting[id] = &model.Mute{AccountID: viewer, TargetAccountID: id, HideNotifications: a, ExpiresAt: fromNullMS(exp)}
		case "requested":
			r.Requested[id] = true
			r.requests[id] = model.FollowRequest{AccountID: viewer, TargetAccountID: id, ShowReblogs: a, Notify: b}
		case "requested_by":
			r.RequestedBy[id] = true
		}
	}
	return r, rows.Err()
}

// Relationship shapes the relations to one account as Mastodon's entity.
func (r *Relations) Relationship(id int64) model.Relationship {
	f, following := r.Following[id]
	rel := model.Relationship{
		ID: id, Following: following, ShowingReblogs: following && f.ShowReblogs, Notifying: following && f.Notify,
		FollowedBy: r.FollowedBy[id], Blocking: r.Blocking[id], BlockedBy: r.BlockedBy[id],
		Requested: r.Requested[id], RequestedBy: r.RequestedBy[id],
	}
	if m := r.Muting[id]; m != nil {
		rel.Muting = true
		rel.MutingNotifications = m.HideNotifications
		rel.MuteExpiresAt = m.ExpiresAt
	}
	if req, ok := r.requests[id]; ok && !following {
		// Mastodon reports the options of a pending request too.
		rel.ShowingReblogs, rel.Notifying = req.ShowReblogs, req.Notify
	}
	return rel
}
