package store

import (
	"context"
	"fmt"
	"time"

	"weft/internal/model"
)

// Favourites, bookmarks and pins are (account, status) pairs with their own
// IDs, which order the favourites and bookmarks lists as Mastodon does.

var pairTables = map[string]bool{"favourites": true, "bookmarks": true, "pins": true}

func (q Queries) insertPair(ctx context.Context, table string, id, accountID, statusID int64, at time.Time) (bool, error) {
	if !pairTables[table] {
		panic("store: unknown pair table " + table) // programming error, never input
	}
	res, err := q.db.ExecContext(ctx, `INSERT INTO `+table+` (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, status_id) DO NOTHING`, id, accountID, statusID, ms(at))
	if err != nil {
		return false, fmt.Errorf("insert into %s: %w", table, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (q Queries) deletePair(ctx context.Context, table string, accountID, statusID int64) (bool, error) {
	if !pairTables[table] {
		panic("store: unknown pair table " + table)
	}
	res, err := q.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	if err != nil {
		return false, fmt.Errorf("delete from %s: %w", table, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// InsertFavourite records a like; false when it existed already.
func (q Queries) InsertFavourite(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error) {
	return q.insertPair(ctx, "favourites", id, accountID, statusID, at)
}

// InsertRemoteFavourite records a remote account's like with the id of
// its Like activity, so that an Undo naming only that id finds it;
// false when it existed already.
func (q Queries) InsertRemoteFavourite(ctx context.Context, id, accountID, statusID int64, uri string, at time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO favourites (id, account_id, status_id, uri, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id, status_id) DO NOTHING`, id, accountID, statusID, uri, ms(at))
	if err != nil {
		return false, fmt.Errorf("insert into favourites: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FavouritedStatusByURI finds the post an account's Like (by its activity
// id) was of, or ErrNotFound. The account's favourites index narrows it to
// that account's likes, which for a remote account are few.
func (q Queries) FavouritedStatusByURI(ctx context.Context, accountID int64, uri string) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT status_id FROM favourites WHERE account_id = $1 AND uri = $2 AND uri <> ''`, accountID, uri).Scan(&id)
	if err != nil {
		return 0, notFound(err, "favourite")
	}
	return id, nil
}

// DeleteFavourite removes a like; false when there was none.
func (q Queries) DeleteFavourite(ctx context.Context, accountID, statusID int64) (bool, error) {
	return q.deletePair(ctx, "favourites", accountID, statusID)
}

// InsertBookmark records a bookmark; false when it existed already.
func (q Queries) InsertBookmark(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error) {
	return q.insertPair(ctx, "bookmarks", id, accountID, statusID, at)
}

// DeleteBookmark removes a bookmark; false when there was none.
func (q Queries) DeleteBookmark(ctx context.Context, accountID, statusID int64) (bool, error) {
	return q.deletePair(ctx, "bookmarks", accountID, statusID)
}

// InsertPin pins a post; false when it was pinned already.
func (q Queries) InsertPin(ctx context.Context, id, accountID, statusID int64, at time.Time) (bool, error) {
	return q.insertPair(ctx, "pins", id, accountID, statusID, at)
}

// DeletePin unpins a post; false when it was not pinned.
func (q Queries) DeletePin(ctx context.Context, accountID, statusID int64) (bool, error) {
	return q.deletePair(ctx, "pins", accountID, statusID)
}

// PinCount counts an account's pins.
func (q Queries) PinCount(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pins WHERE account_id = $1`, accountID).Scan(&n)
	return n, err
}

// PinnedStatusIDs lists an account's pinned posts, newest pin first.
func (q Queries) PinnedStatusIDs(ctx context.Context, accountID int64) ([]int64, error) {
	return q.ids(ctx, `SELECT status_id FROM pins WHERE account_id = $1 ORDER BY id DESC`, accountID)
}

// MuteConversation mutes notifications from a conversation; false when already muted.
func (q Queries) MuteConversation(ctx context.Context, accountID, conversationID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO conversation_mutes (account_id, conversation_id) VALUES ($1, $2)
		ON CONFLICT (account_id, conversation_id) DO NOTHING`, accountID, conversationID)
	if err != nil {
		return false, fmt.Errorf("mute conversation: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UnmuteConversation lifts a conversation mute; false when there was none.
func (q Queries) UnmuteConversation(ctx context.Context, accountID, conversationID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM conversation_mutes WHERE account_id = $1 AND conversation_id = $2`, accountID, conversationID)
	if err != nil {
		return false, fmt.Errorf("unmute conversation: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ConversationMuted reports whether accountID muted the conversation.
func (q Queries) ConversationMuted(ctx context.Context, accountID, conversationID int64) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversation_mutes WHERE account_id = $1 AND conversation_id = $2`,
		accountID, conversationID).Scan(&n)
	return n > 0, err
}

// ViewerFlags says, for each status, whether the viewer liked, boosted,
// bookmarked, pinned it or muted its conversation.
type ViewerFlags struct {
	Favourited, Reblogged, Bookmarked, Pinned, Muted map[int64]bool
}

// ViewerFlagsFor loads the viewer's flags for these statuses in a few queries.
func (q Queries) ViewerFlagsFor(ctx context.Context, viewerID int64, statuses []*model.Status) (ViewerFlags, error) {
	if viewerID == 0 || len(statuses) == 0 {
		return newViewerFlags(), nil
	}
	e, err := q.viewerEntry(ctx, viewerID)
	if err != nil {
		return ViewerFlags{}, err
	}
	if e != nil {
		return q.cachedFlags(ctx, e, viewerID, statuses)
	}
	return q.flagRows(ctx, viewerID, statuses)
}

func newViewerFlags() ViewerFlags {
	return ViewerFlags{Favourited: map[int64]bool{}, Reblogged: map[int64]bool{}, Bookmarked: map[int64]bool{}, Pinned: map[int64]bool{}, Muted: map[int64]bool{}}
}

// flagRows reads the viewer's flags for statuses from the database.
func (q Queries) flagRows(ctx context.Context, viewerID int64, statuses []*model.Status) (ViewerFlags, error) {
	f := newViewerFlags()
	ids := make([]int64, 0, len(statuses))
	convs := make([]int64, 0, len(statuses))
	for _, s := range statuses {
		ids = append(ids, s.ID)
		convs = append(convs, s.ConversationID)
	}
	ids = uniqueIDs(ids)
	convs = uniqueIDs(convs)
	// One round trip for all five flags: it matters on PostgreSQL, where
	// every query is a network hop.
	rows, err := q.db.QueryContext(ctx, `
		SELECT 'f', status_id FROM favourites WHERE account_id = $1 AND `+q.inIDs("status_id", 2)+`
		UNION ALL SELECT 'r', reblog_of_id FROM statuses WHERE account_id = $1 AND `+q.inIDs("reblog_of_id", 2)+`
		UNION ALL SELECT 'b', status_id FROM bookmarks WHERE account_id = $1 AND `+q.inIDs("status_id", 2)+`
		UNION ALL SELECT 'p', status_id FROM pins WHERE account_id = $1 AND `+q.inIDs("status_id", 2)+`
		UNION ALL SELECT 'm', conversation_id FROM conversation_mutes WHERE account_id = $1 AND `+q.inIDs("conversation_id", 3),
		viewerID, q.idsArg(ids), q.idsArg(convs))
	if err != nil {
		return f, fmt.Errorf("load viewer flags: %w", err)
	}
	defer rows.Close()
	mutedConv := map[int64]bool{}
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return f, err
		}
		switch kind {
		case "f":
			f.Favourited[id] = true
		case "r":
			f.Reblogged[id] = true
		case "b":
			f.Bookmarked[id] = true
		case "p":
			f.Pinned[id] = true
		case "m":
			mutedConv[id] = true
		}
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	for _, s := range statuses {
		if mutedConv[s.ConversationID] {
			f.Muted[s.ID] = true
		}
	}
	return f, nil
}

// FavouriteID returns the ID of an account's like of a post, or ErrNotFound.
func (q Queries) FavouriteID(ctx context.Context, accountID, statusID int64) (int64, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT id FROM favourites WHERE account_id = $1 AND status_id = $2`, accountID, statusID).Scan(&id)
	if err != nil {
		return 0, notFound(err, "favourite")
	}
	return id, nil
}
