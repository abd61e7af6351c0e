package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"weft/internal/model"
)

// Direct conversations are read from the direct posts themselves: those an
// account wrote or is mentioned in, grouped by conversation. Only the read
// position and removals are stored (conversation_states).

// ConversationRow is one of an account's conversations: its newest direct
// post the account may see, and how far the account has read it.
type ConversationRow struct {
	ConversationID int64
	LastStatusID   int64
	LastReadID     int64
}

// directOf is the newest direct post per conversation among those viewer
// wrote or is mentioned in, without posts by accounts that are suspended or
// that block, or are blocked by, the viewer. It uses $1 for the viewer and
// appends its own arguments; extra is one more condition on s.
func directOf(viewer int64, now time.Time, args []any, extra string) (string, []any) {
	hidden, args := hiddenAuthors("s.account_id", viewer, false, now, args)
	return `SELECT s.conversation_id, MAX(s.id) AS last_id FROM statuses s
		WHERE s.id IN (SELECT id FROM statuses WHERE account_id = $1 AND visibility = 'direct'
			UNION SELECT status_id FROM status_mentions WHERE account_id = $1)
		AND s.visibility = 'direct' AND s.deleted_at IS NULL AND s.reblog_of_id IS NULL` + extra + hidden + `
		GROUP BY s.conversation_id`, args
}

// Conversations pages an account's direct conversations by their newest
// post, newest first, leaving out those it removed since their last post.
func (q Queries) Conversations(ctx context.Context, viewer int64, p model.Page, now time.Time) ([]ConversationRow, error) {
	inner, args := directOf(viewer, now, []any{viewer}, "")
	where, asc, args := pageClause("c.last_id", p, args)
	lim, args := limitArg(p.Limit, args)
	rows, err := q.db.QueryContext(ctx, `SELECT c.conversation_id, c.last_id, COALESCE(cs.last_read_id, 0) FROM (`+inner+`) c
		LEFT JOIN conversation_states cs ON cs.account_id = $1 AND cs.conversation_id = c.conversation_id
		WHERE c.last_id > COALESCE(cs.hidden_until_id, 0)`+where+orderBy("c.last_id", asc)+lim, args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	var out []ConversationRow
	for rows.Next() {
		var c ConversationRow
		if err := rows.Scan(&c.ConversationID, &c.LastStatusID, &c.LastReadID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if asc {
		slices.Reverse(out)
	}
	return out, rows.Err()
}

// Conversation returns one of an account's conversations (removed or not),
// or ErrNotFound when it takes no part in it.
func (q Queries) Conversation(ctx context.Context, viewer, conversationID int64, now time.Time) (ConversationRow, error) {
	inner, args := directOf(viewer, now, []any{viewer, conversationID}, " AND s.conversation_id = $2")
	c := ConversationRow{ConversationID: conversationID}
	err := q.db.QueryRowContext(ctx, `SELECT c.last_id, COALESCE(cs.last_read_id, 0) FROM (`+inner+`) c
		LEFT JOIN conversation_states cs ON cs.account_id = $1 AND cs.conversation_id = c.conversation_id`,
		args...).Scan(&c.LastStatusID, &c.LastReadID)
	if err != nil {
		return c, notFound(err, "conversation")
	}
	return c, nil
}

// MarkConversationRead records that an account read a conversation up to a post.
func (q Queries) MarkConversationRead(ctx context.Context, accountID, conversationID, lastReadID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO conversation_states (account_id, conversation_id, last_read_id) VALUES ($1, $2, $3)
		ON CONFLICT (account_id, conversation_id) DO UPDATE SET last_read_id = excluded.last_read_id`,
		accountID, conversationID, lastReadID)
	if err != nil {
		return fmt.Errorf("mark conversation read: %w", err)
	}
	return nil
}

// HideConversation removes a conversation from an account's list until a
// post newer than untilID arrives in it.
func (q Queries) HideConversation(ctx context.Context, accountID, conversationID, untilID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO conversation_states (account_id, conversation_id, hidden_until_id) VALUES ($1, $2, $3)
		ON CONFLICT (account_id, conversation_id) DO UPDATE SET hidden_until_id = excluded.hidden_until_id`,
		accountID, conversationID, untilID)
	if err != nil {
		return fmt.Errorf("remove conversation: %w", err)
	}
	return nil
}
