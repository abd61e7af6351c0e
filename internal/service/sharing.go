package service

import (
	"context"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// StopSharingArgs ends a member's relations with remote accounts after
// they turned fediverse sharing off.
type StopSharingArgs struct {
	AccountID int64 `json:"account_id,string"`
	// Inboxes are the servers that knew the member, read when sharing was
	// turned off (the follows are gone by the time the job runs); each gets
	// a Delete of every post that was shared since SharedSince.
	Inboxes     []string `json:"inboxes,omitempty"`
	SharedSince int64    `json:"shared_since,string,omitempty"` // unix milliseconds
	AfterID     int64    `json:"after_id,string,omitempty"`     // retraction progress
}

func (StopSharingArgs) Kind() string { return "stop_sharing" }

// sharingChangedTx tells the fediverse what a profile change means: a
// member who shares sends the new profile to their followers' servers; a
// member who stops sharing leaves the fediverse as if deleted there (the
// servers that know them drop the account and its posts, as Threads does
// when sharing is turned off), and their follows across servers end.
func (s *Service) sharingChangedTx(ctx context.Context, tx *store.Tx, a *model.Account, wasSharing bool, sharedSince *time.Time) error {
	if a.FediverseSharing {
		return s.federate(ctx, tx, a, FederateArgs{Verb: VerbUpdateActor})
	}
	if !wasSharing {
		return nil
	}
	// Every server this one knows may hold a shared post (boosts and
	// replies carry them beyond the followers' servers).
	all, err := tx.KnownInboxes(ctx, maxAnnounceInboxes)
	if err != nil {
		return err
	}
	// Enqueued directly: federate() sends nothing for members who do not
	// share, and these are the messages that must still leave.
	if err := s.enqueue(ctx, tx, FederateArgs{Verb: VerbDeleteActor, ActorID: a.ID, Inboxes: all}); err != nil {
		return err
	}
	args := StopSharingArgs{AccountID: a.ID, Inboxes: all}
	if sharedSince != nil {
		args.SharedSince = sharedSince.UnixMilli()
	}
	return s.enqueue(ctx, tx, args)
}

// RunStopSharing retracts what a member shared (a Delete of every shared
// post, to every server that knew them, so copies out there disappear)
// and removes the follows and follow requests between them and remote
// accounts, in batches. It stops early if the member shares again.
func (s *Service) RunStopSharing(ctx context.Context, args StopSharingArgs) error {
	if err := s.retractPosts(ctx, args); err != nil {
		return err
	}
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

// retractPosts enqueues a Delete of each post the member shared, batch by
// batch; each batch records its progress in a follow-up job, so a retry
// does not start over.
func (s *Service) retractPosts(ctx context.Context, args StopSharingArgs) error {
	if len(args.Inboxes) == 0 || args.SharedSince == 0 {
		return nil
	}
	ids, err := s.st.Read().StatusIDsOfAccount(ctx, args.AccountID, args.AfterID, deleteBatch)
	if err != nil || len(ids) == 0 {
		return err
	}
	byID, err := s.st.Read().StatusesByIDs(ctx, ids)
	if err != nil {
		return err
	}
	since := time.UnixMilli(args.SharedSince)
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, args.AccountID)
		if err != nil || a.FediverseSharing {
			return err
		}
		for _, id := range ids {
			st := byID[id]
			if st == nil || st.IsReblog() || st.DeletedAt != nil || st.CreatedAt.Before(since) {
				continue
			}
			if err := s.enqueue(ctx, tx, FederateArgs{Verb: VerbDelete, ActorID: a.ID, StatusID: id, Inboxes: args.Inboxes, Retract: true}); err != nil {
				return err
			}
		}
		next := args
		next.AfterID = ids[len(ids)-1]
		if len(ids) < deleteBatch {
			return nil
		}
		return s.enqueue(ctx, tx, next)
	})
}

// maxAnnounceInboxes bounds the servers an account's deletion or
// retraction is sent to.
const maxAnnounceInboxes = 10_000
