package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// ConversationView is a direct conversation as one participant sees it.
type ConversationView struct {
	ID     int64 // the conversation's ID (model.Status.ConversationID)
	Unread bool  // its newest post is someone else's and was not read yet
	// Accounts are the other participants of its newest post; the viewer
	// alone when they wrote it to nobody else.
	Accounts   []*model.Account
	LastStatus *StatusView
}

// ConversationList is a page of conversations, newest post first, with the
// cursors (IDs of the newest posts) of the next and previous pages.
type ConversationList struct {
	Conversations []*ConversationView
	NextMaxID     int64
	PrevMinID     int64
}

// Conversations lists the direct conversations the viewer takes part in
// (wrote, or is mentioned in, a direct post of), newest first.
func (s *Service) Conversations(ctx context.Context, viewer int64, p model.Page) (ConversationList, error) {
	q := s.st.Read()
	rows, err := q.Conversations(ctx, viewer, p.Clamp(model.MaxLimit), s.clock())
	if err != nil {
		return ConversationList{}, err
	}
	views, err := s.conversationViews(ctx, q, viewer, rows)
	if err != nil {
		return ConversationList{}, err
	}
	out := ConversationList{Conversations: views}
	if len(rows) > 0 {
		out.PrevMinID, out.NextMaxID = rows[0].LastStatusID, rows[len(rows)-1].LastStatusID
	}
	return out, nil
}

// ReadConversation marks a conversation read up to its newest post.
func (s *Service) ReadConversation(ctx context.Context, viewer, id int64) (*ConversationView, error) {
	var row store.ConversationRow
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = tx.Conversation(ctx, viewer, id, s.clock()); err != nil {
			return err
		}
		row.LastReadID = row.LastStatusID
		return tx.MarkConversationRead(ctx, viewer, id, row.LastStatusID)
	})
	if err != nil {
		return nil, err
	}
	views, err := s.conversationViews(ctx, s.st.Read(), viewer, []store.ConversationRow{row})
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, model.NotFound("conversation")
	}
	return views[0], nil
}

// RemoveConversation takes a conversation off the viewer's list; a newer
// direct post in it brings it back, as on Mastodon.
func (s *Service) RemoveConversation(ctx context.Context, viewer, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		row, err := tx.Conversation(ctx, viewer, id, s.clock())
		if err != nil {
			return err
		}
		return tx.HideConversation(ctx, viewer, id, row.LastStatusID)
	})
}

func (s *Service) conversationViews(ctx context.Context, q store.Queries, viewer int64, rows []store.ConversationRow) ([]*ConversationView, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.LastStatusID
	}
	byID, err := q.StatusesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	list := make([]*model.Status, 0, len(byID))
	for _, id := range ids {
		if st := byID[id]; st != nil {
			list = append(list, st)
		}
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{})
	if err != nil {
		return nil, err
	}
	visible := make(map[int64]*StatusView, len(views))
	for _, v := range views {
		visible[v.Status.ID] = v
	}
	out := make([]*ConversationView, 0, len(rows))
	for _, r := range rows {
		v := visible[r.LastStatusID]
		if v == nil {
			continue
		}
		c := &ConversationView{ID: r.ConversationID, LastStatus: v,
			Unread: v.Status.AccountID != viewer && r.LastStatusID > r.LastReadID}
		seen := map[int64]bool{viewer: true}
		for _, a := range append([]*model.Account{v.Account}, v.Mentions...) {
			if a != nil && !seen[a.ID] && !a.Gone() {
				seen[a.ID] = true
				c.Accounts = append(c.Accounts, a)
			}
		}
		if len(c.Accounts) == 0 && v.Account != nil {
			c.Accounts = []*model.Account{v.Account} // a note to self
		}
		out = append(out, c)
	}
	return out, nil
}
