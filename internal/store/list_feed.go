package store

import (
	"context"
	"fmt"
	"time"

	"weft/internal/model"
)

// ListTarget is a list a fan-out may add a post to: one of a follower's
// lists that has the post's author as a member.
type ListTarget struct {
	ListID        int64
	OwnerID       int64
	RepliesPolicy model.RepliesPolicy
	Exclusive     bool
	// RepliedIsMember: the account the post replies to is a member of the
	// list too (for the "list" replies policy).
	RepliedIsMember bool
}

// ListsForFanOut returns, by owner, the lists of ownerIDs that have
// authorID as a member. repliedTo is the account the post replies to (0 for
// none).
func (q Queries) ListsForFanOut(ctx context.Context, authorID int64, ownerIDs []int64, repliedTo int64) (map[int64][]ListTarget, error) {
	out := map[int64][]ListTarget{}
	if len(ownerIDs) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT l.id, l.account_id, l.replies_policy, l.exclusive,
			EXISTS (SELECT 1 FROM list_accounts r WHERE r.list_id = l.id AND r.account_id = $2)
		FROM list_accounts la JOIN lists l ON l.id = la.list_id
		WHERE la.account_id = $1 AND `+q.inIDs("l.account_id", 3), authorID, repliedTo, q.idsArg(ownerIDs))
	if err != nil {
		return nil, fmt.Errorf("lists for fan-out: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t ListTarget
		var policy string
		if err := rows.Scan(&t.ListID, &t.OwnerID, &policy, &t.Exclusive, &t.RepliedIsMember); err != nil {
			return nil, err
		}
		t.RepliesPolicy = model.RepliesPolicy(policy)
		out[t.OwnerID] = append(out[t.OwnerID], t)
	}
	return out, rows.Err()
}

// InsertListEntry adds an entry to a list's timeline (e.AccountID is not
// used). As in home timelines, a boost is skipped (false) when its post is
// among the newest dedupWindow entries already.
func (q Queries) InsertListEntry(ctx context.Context, listID int64, e FeedEntry, dedupWindow int) (bool, error) {
	if e.EntryID != e.ObjectID && dedupWindow > 0 {
		n, err := q.countRows(ctx, `SELECT COUNT(*) FROM (SELECT object_id FROM list_feed WHERE list_id = $1
			ORDER BY entry_id DESC LIMIT $2) recent WHERE object_id = $3`, listID, dedupWindow, e.ObjectID)
		if err != nil {
			return false, fmt.Errorf("check list feed for boost: %w", err)
		}
		if n > 0 {
			return false, nil
		}
	}
	res, err := q.db.ExecContext(ctx, `INSERT INTO list_feed (list_id, entry_id, object_id, author_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (list_id, entry_id) DO NOTHING`, listID, e.EntryID, e.ObjectID, e.AuthorID)
	if err != nil {
		return false, fmt.Errorf("insert list entry: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ListTimeline reads a list's timeline, paginated by entry ID. Entries of
// accounts that left the list (removed, unfollowed, blocked) are skipped.
func (q Queries) ListTimeline(ctx context.Context, listID, viewer int64, p model.Page, now time.Time) ([]*model.Status, error) {
	args := []any{listID}
	where, asc, args := pageClause("f.entry_id", p, args)
	hidden, args := hiddenAuthors("f.author_id", viewer, true, now, args)
	lim, args := limitArg(p.Limit, args)
	return q.finishPage(ctx, `SELECT `+statusColumns+` FROM list_feed f JOIN statuses s ON s.id = f.entry_id
		WHERE f.list_id = $1 AND s.deleted_at IS NULL
		AND f.author_id IN (SELECT account_id FROM list_accounts WHERE list_id = $1)`+
		where+hidden+orderBy("f.entry_id", asc)+lim, asc, args)
}
