package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"weft/internal/model"
)

// The timeline queries pre-filter in SQL (visibility, blocks, mutes,
// suspended authors) so pages come out full; the service then checks every
// status again with the one visibility policy before showing it.

// hiddenAuthors returns a condition excluding statuses by accounts the viewer
// blocks, is blocked by, or (withMutes) mutes, and by suspended or deleted
// accounts. col names the author column.
func hiddenAuthors(col string, viewer int64, withMutes bool, now time.Time, args []any) (string, []any) {
	cond := suspendedCond(col)
	if viewer == 0 {
		return cond, args
	}
	args = append(args, viewer)
	v := "$" + strconv.Itoa(len(args))
	sub := "SELECT target_account_id FROM blocks WHERE account_id = " + v +
		" UNION SELECT account_id FROM blocks WHERE target_account_id = " + v
	if withMutes {
		args = append(args, ms(now))
		sub += " UNION SELECT target_account_id FROM mutes WHERE account_id = " + v +
			" AND (expires_at IS NULL OR expires_at > $" + strconv.Itoa(len(args)) + ")"
	}
	return cond + " AND " + col + " NOT IN (" + sub + ")", args
}

// withoutSuspendedAuthors drops statuses by suspended or deleted accounts
// (whose rows come from the model cache).
func (q Queries) withoutSuspendedAuthors(ctx context.Context, list []*model.Status) ([]*model.Status, error) {
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.AccountID
	}
	authors, err := q.AccountsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(s *model.Status) bool {
		a := authors[s.AccountID]
		return a == nil || a.SuspendedAt != nil
	}), nil
}

// suspendedCond excludes statuses by suspended or deleted accounts.
func suspendedCond(col string) string {
	return " AND NOT EXISTS (SELECT 1 FROM accounts ax WHERE ax.id = " + col + " AND ax.suspended_at IS NOT NULL)"
}

// finishPage runs a statuses query built with pageClause and puts it newest first.
func (q Queries) finishPage(ctx context.Context, query string, asc bool, args []any) ([]*model.Status, error) {
	list, err := q.queryStatuses(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	if asc {
		slices.Reverse(list)
	}
	return list, nil
}

// HomeTimeline reads a home timeline, paginated by entry ID.
func (q Queries) HomeTimeline(ctx context.Context, viewer int64, p model.Page, now time.Time) ([]*model.Status, error) {
	e, err := q.viewerEntry(ctx, viewer)
	if err != nil {
		return nil, err
	}
	if e != nil {
		// A cached page keeps posts by suspended accounts (the policy hides
		// them when the page is read): lifting a suspension changes no
		// revision of the viewer's, yet must show them again.
		list, err := q.cachedHomePage(ctx, e, p, now, func() ([]*model.Status, error) { return q.homeTimelineRows(ctx, viewer, p, now, true) })
		if err != nil {
			return nil, err
		}
		return q.withoutSuspendedAuthors(ctx, list)
	}
	return q.homeTimelineRows(ctx, viewer, p, now, false)
}

func (q Queries) homeTimelineRows(ctx context.Context, viewer int64, p model.Page, now time.Time, withSuspended bool) ([]*model.Status, error) {
	args := []any{viewer}
	where, asc, args := pageClause("f.entry_id", p, args)
	hidden, args := hiddenAuthors("f.author_id", viewer, true, now, args)
	if withSuspended {
		hidden = strings.Replace(hidden, suspendedCond("f.author_id"), "", 1)
	}
	lim, args := limitArg(p.Limit, args)
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM home_feed f JOIN statuses s ON s.id = f.entry_id
		WHERE f.account_id = $1 AND s.deleted_at IS NULL`+where+hidden+orderBy("f.entry_id", asc)+lim, asc, args)
}

// Scope narrows a public timeline by origin.
type Scope int

const (
	AllOrigins Scope = iota
	LocalOnly
	RemoteOnly
)

func scopeCond(s Scope) string {
	switch s {
	case LocalOnly:
		return " AND s.local = TRUE"
	case RemoteOnly:
		return " AND s.local = FALSE"
	}
	return ""
}

// withMediaCond keeps the posts with at least one attachment (Mastodon's
// only_media). A boost has no media of its own, so it never matches. It is
// a condition of the page's query, not a filter of its rows, so pages stay
// full and their cursors right; the partial index media_status
// (status_id, position) answers it with one index probe per post.
const withMediaCond = " AND EXISTS (SELECT 1 FROM media_attachments m WHERE m.status_id = s.id)"

// PublicFilter narrows the public and hashtag timelines.
type PublicFilter struct {
	Scope     Scope // by origin
	OnlyMedia bool  // posts with attachments only
}

func (f PublicFilter) cond() string {
	c := scopeCond(f.Scope)
	if f.OnlyMedia {
		c += withMediaCond
	}
	return c
}

// PublicTimeline reads public posts that are not boosts and not replies to
// someone else (self-replies, i.e. threads, are kept).
func (q Queries) PublicTimeline(ctx context.Context, viewer int64, f PublicFilter, p model.Page, now time.Time) ([]*model.Status, error) {
	var args []any
	where, asc, args := pageClause("s.id", p, args)
	hidden, args := hiddenAuthors("s.account_id", viewer, true, now, args)
	lim, args := limitArg(p.Limit, args)
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM statuses s
		WHERE s.visibility = 'public' AND s.reblog_of_id IS NULL AND s.deleted_at IS NULL
		AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)`+
		f.cond()+where+hidden+orderBy("s.id", asc)+lim, asc, args)
}

// TagTimeline reads public posts with a tag.
func (q Queries) TagTimeline(ctx context.Context, viewer, tagID int64, f PublicFilter, p model.Page, now time.Time) ([]*model.Status, error) {
	args := []any{tagID}
	where, asc, args := pageClause("st.status_id", p, args)
	hidden, args := hiddenAuthors("s.account_id", viewer, true, now, args)
	lim, args := limitArg(p.Limit, args)
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM status_tags st JOIN statuses s ON s.id = st.status_id
		WHERE st.tag_id = $1 AND s.visibility = 'public' AND s.deleted_at IS NULL`+
		f.cond()+where+hidden+orderBy("st.status_id", asc)+lim, asc, args)
}

// AccountQuery selects an account's statuses.
type AccountQuery struct {
	AccountID int64
	Viewer    int64
	// Visibilities the viewer may see by relationship; posts of other
	// visibilities are included only where the viewer is mentioned.
	Visibilities   []model.Visibility
	ExcludeReplies bool // keeps self-replies (threads)
	ExcludeReblogs bool
	OnlyReplies    bool  // replies to others only (a profile's "Replies" tab)
	TagID          int64 // only posts with this tag
	OnlyMedia      bool  // posts with attachments only (so no boosts)
	Page           model.Page
}

// AccountStatuses reads an account's posts and boosts, newest first.
func (q Queries) AccountStatuses(ctx context.Context, aq AccountQuery, now time.Time) ([]*model.Status, error) {
	args := []any{aq.AccountID}
	cond := ""
	vis := ""
	for i, v := range aq.Visibilities {
		args = append(args, string(v))
		if i > 0 {
			vis += ", "
		}
		vis += "$" + strconv.Itoa(len(args))
	}
	if vis == "" {
		vis = "NULL"
	}
	if aq.Viewer != 0 {
		args = append(args, aq.Viewer)
		cond += " AND (s.visibility IN (" + vis + ") OR EXISTS (SELECT 1 FROM status_mentions m WHERE m.status_id = s.id AND m.account_id = $" +
			strconv.Itoa(len(args)) + "))"
	} else {
		cond += " AND s.visibility IN (" + vis + ")"
	}
	if aq.ExcludeReplies {
		cond += " AND (s.in_reply_to_id IS NULL OR s.in_reply_to_account_id = s.account_id)"
	}
	if aq.OnlyReplies {
		cond += " AND s.in_reply_to_id IS NOT NULL AND s.in_reply_to_account_id <> s.account_id"
	}
	if aq.ExcludeReblogs {
		cond += " AND s.reblog_of_id IS NULL"
	}
	if aq.TagID != 0 {
		args = append(args, aq.TagID)
		cond += " AND s.id IN (SELECT status_id FROM status_tags WHERE tag_id = $" + strconv.Itoa(len(args)) + ")"
	}
	if aq.OnlyMedia {
		cond += withMediaCond
	}
	where, asc, args := pageClause("s.id", aq.Page, args)
	hidden, args := hiddenAuthors("s.account_id", aq.Viewer, false, now, args)
	lim, args := limitArg(aq.Page.Limit, args)
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM statuses s WHERE s.account_id = $1 AND s.deleted_at IS NULL`+
		cond+where+hidden+orderBy("s.id", asc)+lim, asc, args)
}

// MarkedStatuses is a page of bookmarked or liked statuses with the IDs of
// the bookmark/like rows, which paginate it.
type MarkedStatuses struct {
	Statuses []*model.Status
	RowIDs   []int64
}

// Bookmarked reads the viewer's bookmarks, newest first.
func (q Queries) Bookmarked(ctx context.Context, viewer int64, p model.Page) (MarkedStatuses, error) {
	return q.marked(ctx, "bookmarks", viewer, p)
}

// Favourited reads the posts the viewer liked, newest like first.
func (q Queries) Favourited(ctx context.Context, viewer int64, p model.Page) (MarkedStatuses, error) {
	return q.marked(ctx, "favourites", viewer, p)
}

func (q Queries) marked(ctx context.Context, table string, viewer int64, p model.Page) (MarkedStatuses, error) {
	if !pairTables[table] {
		panic("store: unknown pair table " + table)
	}
	args := []any{viewer}
	where, asc, args := pageClause("r.id", p, args)
	lim, args := limitArg(p.Limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT `+statusColumns+`, r.id FROM `+table+` r JOIN statuses s ON s.id = r.status_id
		WHERE r.account_id = $1 AND s.deleted_at IS NULL`+where+orderBy("r.id", asc)+lim, args...)
	if err != nil {
		return MarkedStatuses{}, err
	}
	defer rows.Close()
	var out MarkedStatuses
	for rows.Next() {
		var rowID int64
		s, err := scanStatus(rows, &rowID)
		if err != nil {
			return out, err
		}
		out.Statuses = append(out.Statuses, s)
		out.RowIDs = append(out.RowIDs, rowID)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows.Close()
	if asc {
		slices.Reverse(out.Statuses)
		slices.Reverse(out.RowIDs)
	}
	return out, q.loadExtras(ctx, out.Statuses)
}

// FavouritedBy lists who liked a post, newest first, paginated by like ID.
func (q Queries) FavouritedBy(ctx context.Context, statusID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "favourites", "account_id", "status_id", statusID, p, "")
}

// RebloggedBy lists who boosted a post, newest first, paginated by boost ID.
func (q Queries) RebloggedBy(ctx context.Context, statusID int64, p model.Page) (AccountPage, error) {
	return q.relationPage(ctx, "statuses", "account_id", "reblog_of_id", statusID, p, "")
}
