package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// DeletePost deletes a post of the author's. The row stays, blanked, so
// replies keep their place in the thread; a job removes it from timelines
// and notifications and removes its boosts. It returns the post as it was,
// with its source text, for "delete and redraft".
func (s *Service) DeletePost(ctx context.Context, authorID, statusID int64) (*StatusView, error) {
	q := s.st.Read()
	before, err := s.ownStatus(ctx, q, authorID, statusID)
	if err != nil {
		return nil, err
	}
	view, err := s.statusView(ctx, q, authorID, before)
	if err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		st, err := s.ownStatus(ctx, tx.Queries, authorID, statusID) // again, inside the transaction
		if err != nil {
			return err
		}
		if err := s.deleteStatusTx(ctx, tx, st); err != nil {
			return err
		}
		// Its media become free uploads again, so "delete and redraft"
		// can attach them to the new post; unused, they go after a day.
		if err := tx.DetachStatusMedia(ctx, st.ID, s.clock()); err != nil {
			return err
		}
		author, err := tx.AccountByID(ctx, st.AccountID)
		if err != nil {
			return err
		}
		if author.FediverseSharing {
			inboxes, err := s.postInboxesTx(ctx, tx, st)
			if err != nil {
				return err
			}
			if err := s.federate(ctx, tx, author, FederateArgs{Verb: VerbDelete, StatusID: st.ID, Inboxes: inboxes}); err != nil {
				return err
			}
		}
		return s.enqueue(ctx, tx, StatusDeletedArgs{StatusID: st.ID})
	})
	if err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: "delete", AccountID: authorID, StatusID: statusID})
	return view, nil
}

// deleteStatusTx soft-deletes a post and fixes counters; the caller then
// cleans up after it (a job, or inline when deleting a whole account).
func (s *Service) deleteStatusTx(ctx context.Context, tx *store.Tx, st *model.Status) error {
	if err := tx.SoftDeleteStatus(ctx, st.ID, s.clock()); err != nil {
		return err
	}
	if err := tx.AdjustAccountCounts(ctx, st.AccountID, 0, 0, -1); err != nil {
		return err
	}
	if st.InReplyToID != 0 {
		if err := tx.AdjustStatusCounts(ctx, st.InReplyToID, -1, 0, 0); err != nil {
			return err
		}
	}
	_, err := tx.DeletePin(ctx, st.AccountID, st.ID)
	return err
}

// RunStatusDeleted is the cleanup job of a deleted post.
func (s *Service) RunStatusDeleted(ctx context.Context, args StatusDeletedArgs) error {
	announce := s.deletionEvents(ctx, args.StatusID) // before the cleanup removes its boosts (streams.go)
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return s.cleanupDeletedStatusTx(ctx, tx, args.StatusID) }); err != nil {
		return err
	}
	announce()
	return nil
}

// cleanupDeletedStatusTx removes a deleted post from timelines and
// notifications and removes its boosts.
func (s *Service) cleanupDeletedStatusTx(ctx context.Context, tx *store.Tx, statusID int64) error {
	if err := tx.DeleteFeedObject(ctx, statusID); err != nil {
		return err
	}
	if err := tx.DeleteNotificationsAbout(ctx, statusID); err != nil {
		return err
	}
	boosts, err := tx.ReblogIDsOf(ctx, statusID)
	if err != nil {
		return err
	}
	for _, id := range boosts {
		b, err := tx.StatusByID(ctx, id)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return err
		}
		if err := tx.DeleteStatusRow(ctx, id); err != nil {
			return err
		}
		if err := tx.AdjustAccountCounts(ctx, b.AccountID, 0, 0, -1); err != nil {
			return err
		}
	}
	return tx.AdjustStatusCounts(ctx, statusID, 0, -int64(len(boosts)), 0)
}
