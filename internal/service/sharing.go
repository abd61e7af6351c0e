package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// StopSharingArgs ends a member's relations with remote accounts after
// they turned fediverse sharing off.
type StopSharingArgs struct {
	AccountID int64 `json:"account_id,string"`
}

func (StopSharingArgs) Kind() string { return "stop_sharing" }

// sharingChangedTx tells the fediverse what a profile change means: a
// member who shares sends the new profile to their followers' servers; a
// member who stops sharing leaves the fediverse as if deleted there (the
// servers that know them drop the account and its posts, as Threads does
// when sharing is turned off), and their follows across servers end.
func (s *Service) sharingChangedTx(ctx context.Context, tx *store.Tx, a *model.Account, wasSharing bool) error {
	if a.FediverseSharing {
		return s.federate(ctx, tx, a, FederateArgs{Verb: VerbUpdateActor})
	}
	if !wasSharing {
		return nil
	}
	inboxes, err := tx.DeliveryInboxes(ctx, a.ID)
	if err != nil {
		return err
	}
	followed, err := tx.FollowedInboxes(ctx, a.ID)
	if err != nil {
		return err
	}
	// Enqueued directly: federate() sends nothing for members who do not
	// share, and this is the one message that must still leave.
	if err := s.enqueue(ctx, tx, FederateArgs{Verb: VerbDeleteActor, ActorID: a.ID, Inboxes: append(inboxes, followed...)}); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, StopSharingArgs{AccountID: a.ID})
}

// RunStopSharing removes the follows and follow requests between a member
// who stopped sharing and remote accounts, in batches. It stops early if
// the member shares again meanwhile.
func (s *Service) RunStopSharing(ctx context.Context, args StopSharingArgs) error {
	for {
		done := false
		err := s.st.InTx(ctx, func(tx *store.Tx) error {
			a, err := tx.AccountByID(ctx, args.AccountID)
			if err != nil || a.FediverseSharing {
				done = true
				return err
			}
			pairs, err := tx.RemoteFollowPairs(ctx, a.ID, deleteBatch)
			if err != nil {
				return err
			}
			done = len(pairs) == 0
			for _, p := range pairs {
				if _, err := tx.DeleteFollowRequest(ctx, p[0], p[1]); err != nil {
					return err
				}
				if err := s.deleteFollowTx(ctx, tx, p[0], p[1]); err != nil {
					return err
				}
			}
			return nil
		})
		if isNotFound(err) {
			return nil
		}
		if err != nil || done {
			return err
		}
	}
}
