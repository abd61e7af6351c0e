package service

import (
	"context"
	"encoding/json"

	"weft/internal/store"
)

// AcceptInboxActivity records a verified activity and enqueues its
// application, in one transaction; an activity id seen before is
// acknowledged and dropped, so a retried delivery (or one that reached
// both a personal and the shared inbox) is applied once.
func (s *Service) AcceptInboxActivity(ctx context.Context, activityID string, raw json.RawMessage, signerID, inboxOf int64) (bool, error) {
	var fresh bool
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if fresh, err = tx.MarkInboxSeen(ctx, activityID, s.clock()); err != nil || !fresh {
			return err
		}
		return s.enqueue(ctx, tx, InboxArgs{Activity: raw, SignerID: signerID, InboxOf: inboxOf})
	})
	return fresh, err
}

// HasLocalFollowers reports whether any local member follows an account:
// a server stores what its members follow or touch, not whatever is sent.
func (s *Service) HasLocalFollowers(ctx context.Context, accountID int64) (bool, error) {
	list, err := s.st.Read().LocalFollowersOf(ctx, accountID, 0, 1)
	return len(list) > 0, err
}
