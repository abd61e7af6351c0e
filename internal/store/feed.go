package store

import (
	"context"
	"fmt"
)

// FeedEntry is one row of a home timeline.
type FeedEntry struct {
	AccountID int64 // whose home timeline
	EntryID   int64 // the status shown: a post, or a boost
	ObjectID  int64 // the post itself (the boosted post for a boost)
	AuthorID  int64 // who posted or boosted it
}

// InsertFeedEntry adds an entry to a home timeline. A boost is skipped
// (false) when its post, or another boost of it, is among the newest
// dedupWindow entries already: the reader saw it a moment ago.
func (q Queries) InsertFeedEntry(ctx context.Context, e FeedEntry, dedupWindow int) (bool, error) {
	if e.EntryID != e.ObjectID && dedupWindow > 0 {
		n, err := q.countRows(ctx, `SELECT COUNT(*) FROM (SELECT object_id FROM home_feed WHERE account_id = $1
			ORDER BY entry_id DESC LIMIT $2) recent WHERE object_id = $3`, e.AccountID, dedupWindow, e.ObjectID)
		if err != nil {
			return false, fmt.Errorf("check feed for boost: %w", err)
		}
		if n > 0 {
			return false, nil
		}
	}
	res, err := q.db.ExecContext(ctx, `INSERT INTO home_feed (account_id, entry_id, object_id, author_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, entry_id) DO NOTHING`, e.AccountID, e.EntryID, e.ObjectID, e.AuthorID)
	if err != nil {
		return false, fmt.Errorf("insert feed entry: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteFeedAuthor removes an author's entries from one home timeline (unfollow, block).
func (q Queries) DeleteFeedAuthor(ctx context.Context, accountID, authorID int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM home_feed WHERE account_id = $1 AND author_id = $2`, accountID, authorID); err != nil {
		return fmt.Errorf("remove author from feed: %w", err)
	}
	return nil
}

// DeleteFeedObject removes a post (and boosts of it) from every home timeline.
func (q Queries) DeleteFeedObject(ctx context.Context, objectID int64) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM home_feed WHERE object_id = $1`, objectID); err != nil {
		return fmt.Errorf("remove post from feeds: %w", err)
	}
	return nil
}

// LockFeedObject serialises, until the transaction ends, the fan-outs that
// insert one post (or boosts of it) into home timelines, so two of them
// running at once cannot both pass the boost dedup check. SQLite serialises
// all writers already; PostgreSQL takes a transaction advisory lock keyed by
// the post (one lock per fan-out batch, not per timeline row).
func (q Queries) LockFeedObject(ctx context.Context, objectID int64) error {
	if q.dialect != Postgres {
		return nil
	}
	if _, err := q.db.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, objectID); err != nil {
		return fmt.Errorf("lock feed object: %w", err)
	}
	return nil
}
