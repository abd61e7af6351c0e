package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// FollowOptions are the follower's choices; nil keeps the current (or default) value.
type FollowOptions struct {
	Reblogs *bool // show their boosts in my home timeline (default true)
	Notify  *bool // notify me when they post (default false)
	// URI is the id of a remote account's Follow activity (federation
	// only): the Accept or Reject names it.
	URI string
}

// Follow follows an account, or asks to when it approves followers by hand.
// Following again updates the options. Returns the relationship after.
//
// Across servers: a local member may follow a remote account only when
// they share with the fediverse, and the follow stays a request until the
// other server accepts it. A remote account (federation) may follow only a
// local member who shares; when the follow needs no approval, the Accept
// is sent in the same transaction.
func (s *Service) Follow(ctx context.Context, accountID, targetID int64, opts FollowOptions) (model.Relationship, error) {
	if accountID == targetID {
		return model.Relationship{}, model.Invalid("id", "you cannot follow yourself")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		actor, err := s.activeAccount(ctx, tx.Queries, accountID)
		if err != nil {
			return err
		}
		target, err := tx.AccountByID(ctx, targetID)
		if err != nil {
			return err
		}
		if target.Gone() {
			return model.NotFound("account")
		}
		if err := s.checkFederatedPair(actor, target); err != nil {
			return err
		}
		blocked, err := tx.BlockedEitherWay(ctx, accountID, targetID)
		if err != nil {
			return err
		}
		if blocked {
			return model.Errorf(model.ErrForbidden, "", "you cannot follow this account")
		}
		showReblogs, notify := true, false
		if existing, err := tx.Follow(ctx, accountID, targetID); err == nil {
			showReblogs, notify = existing.ShowReblogs, existing.Notify
			setBool(&showReblogs, opts.Reblogs)
			setBool(&notify, opts.Notify)
			if err := tx.UpdateFollowOptions(ctx, accountID, targetID, showReblogs, notify); err != nil {
				return err
			}
			if actor.Local() {
				return nil
			}
			// A remote server that asks again lost our Accept: send it again.
			return s.federate(ctx, tx, target, FederateArgs{Verb: VerbAccept, TargetID: actor.ID, ObjectURI: opts.URI})
		} else if !isNotFound(err) {
			return err
		}
		if pending, err := tx.FollowRequest(ctx, accountID, targetID); err == nil {
			// Asking again while the request waits changes its options.
			showReblogs, notify = pending.ShowReblogs, pending.Notify
			setBool(&showReblogs, opts.Reblogs)
			setBool(&notify, opts.Notify)
			return tx.UpdateFollowRequestOptions(ctx, accountID, targetID, showReblogs, notify)
		} else if !isNotFound(err) {
			return err
		}
		setBool(&showReblogs, opts.Reblogs)
		setBool(&notify, opts.Notify)
		now := s.clock()
		if target.Locked || !target.Local() {
			req := &model.FollowRequest{ID: s.newID(), AccountID: accountID, TargetAccountID: targetID,
				ShowReblogs: showReblogs, Notify: notify, URI: opts.URI, CreatedAt: now}
			if actor.Local() {
				req.URI = s.followURI(actor, req.ID)
			}
			added, err := tx.InsertFollowRequest(ctx, req)
			if err != nil || !added {
				return err
			}
			if !target.Local() {
				return s.federate(ctx, tx, actor, FederateArgs{Verb: VerbFollow, TargetID: targetID, ObjectURI: req.URI})
			}
			return s.enqueue(ctx, tx, NotifyArgs{AccountID: targetID, Type: string(model.NotifyFollowRequest), FromAccountID: accountID})
		}
		if err := s.insertFollowTx(ctx, tx, &model.Follow{ID: s.newID(), AccountID: accountID, TargetAccountID: targetID,
			ShowReblogs: showReblogs, Notify: notify, URI: opts.URI, CreatedAt: now}); err != nil {
			return err
		}
		if !actor.Local() {
			if err := s.federate(ctx, tx, target, FederateArgs{Verb: VerbAccept, TargetID: actor.ID, ObjectURI: opts.URI}); err != nil {
				return err
			}
		}
		return s.enqueue(ctx, tx, NotifyArgs{AccountID: targetID, Type: string(model.NotifyFollow), FromAccountID: accountID})
	})
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, targetID)
}

// checkFederatedPair refuses a relation that would cross to another
// server for a member who does not share with the fediverse: fediverse
// sharing is each member's own choice, and nothing of theirs leaves the
// server (nor does a remote account reach them) until they make it.
func (s *Service) checkFederatedPair(actor, target *model.Account) error {
	if actor.Local() == target.Local() {
		return nil
	}
	local := actor
	if !actor.Local() {
		local = target
	}
	if local.FediverseSharing {
		return nil
	}
	if local == actor {
		return errNeedsSharing
	}
	return model.NotFound("account")
}

// errNeedsSharing: a member who does not share with the fediverse tried to
// follow, answer, like or boost someone on another server, which would
// reveal them to it (Threads' model: that is each member's choice).
var errNeedsSharing = model.Errorf(model.ErrInvalid, "",
	"turn on fediverse sharing in your settings to follow and talk with people on other servers")

// checkSharesFor refuses an interaction of a local member who does not
// share with a post from another server.
func checkSharesFor(actor *model.Account, st *model.Status) error {
	if actor.Local() && !actor.FediverseSharing && !st.Local {
		return errNeedsSharing
	}
	return nil
}

// insertFollowTx records a follow, its counters and the home timeline merge.
func (s *Service) insertFollowTx(ctx context.Context, tx *store.Tx, f *model.Follow) error {
	added, err := tx.InsertFollow(ctx, f)
	if err != nil || !added {
		return err
	}
	if err := tx.AdjustAccountCounts(ctx, f.AccountID, 0, 1, 0); err != nil {
		return err
	}
	if err := tx.AdjustAccountCounts(ctx, f.TargetAccountID, 1, 0, 0); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, FeedMergeArgs{AccountID: f.AccountID, TargetID: f.TargetAccountID})
}

// deleteFollowTx removes a follow, fixing counters and the home timeline.
func (s *Service) deleteFollowTx(ctx context.Context, tx *store.Tx, accountID, targetID int64) error {
	removed, err := tx.DeleteFollow(ctx, accountID, targetID)
	if err != nil || !removed {
		return err
	}
	if err := tx.AdjustAccountCounts(ctx, accountID, 0, -1, 0); err != nil {
		return err
	}
	if err := tx.AdjustAccountCounts(ctx, targetID, -1, 0, 0); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, FeedUnmergeArgs{AccountID: accountID, TargetID: targetID})
}

// Unfollow stops following an account, or withdraws a pending request.
func (s *Service) Unfollow(ctx context.Context, accountID, targetID int64) (model.Relationship, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		target, err := tx.AccountByID(ctx, targetID)
		if err != nil {
			return err
		}
		if !target.Local() {
			if err := s.undoRemoteFollowTx(ctx, tx, accountID, target); err != nil {
				return err
			}
		}
		withdrawn, err := tx.DeleteFollowRequest(ctx, accountID, targetID)
		if err != nil {
			return err
		}
		if withdrawn {
			if err := tx.DeleteNotificationEvent(ctx, targetID, model.NotifyFollowRequest, accountID, 0); err != nil {
				return err
			}
		}
		if err := tx.DeleteNotificationEvent(ctx, targetID, model.NotifyFollow, accountID, 0); err != nil {
			return err
		}
		return s.deleteFollowTx(ctx, tx, accountID, targetID)
	})
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, targetID)
}

// AuthorizeFollowRequest accepts a pending request to follow accountID.
func (s *Service) AuthorizeFollowRequest(ctx context.Context, accountID, requesterID int64) (model.Relationship, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error { return s.authorizeTx(ctx, tx, accountID, requesterID) })
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, requesterID)
}

func (s *Service) authorizeTx(ctx context.Context, tx *store.Tx, accountID, requesterID int64) error {
	req, err := tx.FollowRequest(ctx, requesterID, accountID)
	if err != nil {
		return err
	}
	target, err := tx.AccountByID(ctx, accountID)
	if err != nil {
		return err
	}
	if req.URI != "" && !s.IsLocalURI(req.URI) { // a remote account's request: its server awaits our Accept
		if err := s.federate(ctx, tx, target, FederateArgs{Verb: VerbAccept, TargetID: requesterID, ObjectURI: req.URI}); err != nil {
			return err
		}
	}
	if _, err := tx.DeleteFollowRequest(ctx, requesterID, accountID); err != nil {
		return err
	}
	if err := tx.DeleteNotificationEvent(ctx, accountID, model.NotifyFollowRequest, requesterID, 0); err != nil {
		return err
	}
	return s.insertFollowTx(ctx, tx, &model.Follow{ID: s.newID(), AccountID: requesterID, TargetAccountID: accountID,
		ShowReblogs: req.ShowReblogs, Notify: req.Notify, URI: req.URI, CreatedAt: s.clock()})
}

// RejectFollowRequest turns down a pending request.
func (s *Service) RejectFollowRequest(ctx context.Context, accountID, requesterID int64) (model.Relationship, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		req, err := tx.FollowRequest(ctx, requesterID, accountID)
		if err != nil {
			return err
		}
		if _, err := tx.DeleteFollowRequest(ctx, requesterID, accountID); err != nil {
			return err
		}
		target, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if req.URI != "" && !s.IsLocalURI(req.URI) {
			if err := s.federate(ctx, tx, target, FederateArgs{Verb: VerbReject, TargetID: requesterID, ObjectURI: req.URI}); err != nil {
				return err
			}
		}
		return tx.DeleteNotificationEvent(ctx, accountID, model.NotifyFollowRequest, requesterID, 0)
	})
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, requesterID)
}

// RunAcceptPendingFollows authorizes every pending request, in batches.
func (s *Service) RunAcceptPendingFollows(ctx context.Context, args AcceptPendingFollowsArgs) error {
	for {
		page, err := s.st.Read().FollowRequests(ctx, args.AccountID, model.Page{Limit: 100})
		if err != nil {
			return err
		}
		if len(page.AccountIDs) == 0 {
			return nil
		}
		err = s.st.InTx(ctx, func(tx *store.Tx) error {
			for _, requester := range page.AccountIDs {
				if err := s.authorizeTx(ctx, tx, args.AccountID, requester); err != nil && !isNotFound(err) {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// undoRemoteFollowTx tells a remote account's server that a local member
// withdraws their follow or follow request (an Undo of the same Follow).
func (s *Service) undoRemoteFollowTx(ctx context.Context, tx *store.Tx, accountID int64, target *model.Account) error {
	uri := ""
	if f, err := tx.Follow(ctx, accountID, target.ID); err == nil {
		uri = f.URI
	} else if !isNotFound(err) {
		return err
	} else if r, err := tx.FollowRequest(ctx, accountID, target.ID); err == nil {
		uri = r.URI
	} else if isNotFound(err) {
		return nil // nothing to undo
	} else {
		return err
	}
	actor, err := tx.AccountByID(ctx, accountID)
	if err != nil {
		return err
	}
	return s.federate(ctx, tx, actor, FederateArgs{Verb: VerbUndoFollow, TargetID: target.ID, ObjectURI: uri})
}
