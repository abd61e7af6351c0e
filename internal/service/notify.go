package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// RunNotify is the job that creates one notification.
func (s *Service) RunNotify(ctx context.Context, args NotifyArgs) error {
	return s.notify(ctx, args)
}

// notify creates a notification if the recipient should get it: a local,
// active recipient, not the actor themself; no block either way; the actor
// not muted with notifications hidden; the post (if any) visible to the
// recipient and its conversation not muted by them. Creating the same
// notification twice is a no-op.
func (s *Service) notify(ctx context.Context, args NotifyArgs) error {
	if args.AccountID == args.FromAccountID || !model.ValidNotificationType(args.Type) {
		return nil
	}
	var n *model.Notification
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if rcpt, err := tx.AccountByID(ctx, args.AccountID); err != nil || !rcpt.Local() {
			return err // a remote account's server notifies it, not this one
		}
		ok, err := s.wantsNotification(ctx, tx.Queries, args)
		if err != nil || !ok {
			return err
		}
		if verdict, err := s.notificationVerdict(ctx, tx.Queries, args); err != nil || verdict == model.PolicyDrop {
			return err // the recipient's notification policy drops it
		}
		n = &model.Notification{ID: s.newID(), AccountID: args.AccountID, Type: model.NotificationType(args.Type),
			FromAccountID: args.FromAccountID, StatusID: args.StatusID, CreatedAt: s.clock()}
		if n.GroupKey, err = s.notificationGroupKey(ctx, tx.Queries, n); err != nil {
			return err
		}
		added, err := tx.InsertNotification(ctx, n)
		if !added {
			n = nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if n != nil {
		s.publish(ctx, Event{Kind: "notification", AccountID: n.AccountID, NotificationID: n.ID})
	}
	return nil
}

func (s *Service) wantsNotification(ctx context.Context, q store.Queries, args NotifyArgs) (bool, error) {
	accounts, err := q.AccountsByIDs(ctx, []int64{args.AccountID, args.FromAccountID})
	if err != nil {
		return false, err
	}
	to, from := accounts[args.AccountID], accounts[args.FromAccountID]
	if to == nil || from == nil || !to.Local() || to.Gone() || from.Gone() {
		return false, nil
	}
	v, err := s.sightOf(ctx, q, to.ID, []int64{from.ID})
	if err != nil {
		return false, err
	}
	if v.rel.Blocking[from.ID] || v.rel.BlockedBy[from.ID] {
		return false, nil
	}
	if m := v.rel.Muting[from.ID]; m != nil && m.HideNotifications {
		return false, nil
	}
	// The job may run after the action was undone (like then unlike at
	// once): notify only about what still holds.
	if holds, err := q.EventStands(ctx, model.NotificationType(args.Type), args.FromAccountID, args.AccountID, args.StatusID); err != nil || !holds {
		return false, err
	}
	if args.StatusID == 0 {
		return true, nil
	}
	st, err := q.StatusByID(ctx, args.StatusID)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	author := from
	if st.AccountID != from.ID {
		if author, err = q.AccountByID(ctx, st.AccountID); err != nil {
			return false, err
		}
		if v, err = s.sightOf(ctx, q, to.ID, []int64{from.ID, author.ID}); err != nil {
			return false, err
		}
	}
	if !v.canSee(st, author) {
		return false, nil
	}
	muted, err := q.ConversationMuted(ctx, to.ID, st.ConversationID)
	return !muted, err
}
