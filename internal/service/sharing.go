package service

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// StopSharingArgs ends a member's relations with remote accounts after
// they turned fediverse sharing off, and starts the retraction of what
// they shared at every server that knew them.
type StopSharingArgs struct {
	AccountID int64 `json:"account_id,string"`
	// Inboxes are the servers that knew the member, read when sharing was
	// turned off (the follows are gone by the time the job runs); each gets
	// a Delete of every post that was shared since SharedSince, then of the
	// actor (RetractArgs).
	Inboxes     []string `json:"inboxes,omitempty"`
	SharedSince int64    `json:"shared_since,string,omitempty"` // unix milliseconds
	// Started counts the inboxes whose retraction is enqueued (progress).
	Started int `json:"started,omitempty"`
}

func (StopSharingArgs) Kind() string { return "stop_sharing" }

// RetractArgs takes back at one server, in order, everything a member who
// stopped sharing had shared: a Delete of each shared post, in batches,
// then the Delete of the actor, last. Servers that drop an actor refuse
// later Deletes signed by it (GoToSocial answers 403, others 401), which
// would leave the posts behind; one job per server keeps the order.
type RetractArgs struct {
	AccountID int64 `json:"account_id,string"`
	// Inbox is where the server hears of it: its shared inbox, else the
	// personal inbox of one of its accounts (a follower's first). A server
	// applies a Delete whichever of its inboxes it arrives at, and once it
	// has dropped the actor it refuses anything more signed by it, so one
	// inbox per server (GoToSocial and Threads have no shared inbox).
	Inbox string `json:"inbox"`
	// Others are a few more of the server's inboxes, taken in turn when
	// Inbox is gone (404, 410: an account that left it meanwhile).
	Others      []string `json:"others,omitempty"`
	SharedSince int64    `json:"shared_since,string,omitempty"` // unix milliseconds; 0: no posts to take back
	AfterID     int64    `json:"after_id,string,omitempty"`     // the posts up to this one are done
}

func (RetractArgs) Kind() string { return "retract" }

// Queue: retraction is federation work, kept apart from local fan-out.
func (RetractArgs) Queue() string { return QueueFederation }

// MaxAttempts as for a delivery: a server down for a while still hears.
func (RetractArgs) MaxAttempts() int { return DeliverArgs{}.MaxAttempts() }

// sharingChangedTx tells the fediverse what a profile change means: a
// member who shares sends the new profile to their followers' servers; a
// member who stops sharing leaves the fediverse as if deleted there (the
// servers that know them drop their posts and the account, as Threads
// does when sharing is turned off), and their follows across servers end.
func (s *Service) sharingChangedTx(ctx context.Context, tx *store.Tx, a *model.Account, wasSharing bool, sharedSince *time.Time) error {
	if a.FediverseSharing {
		return s.federate(ctx, tx, a, FederateArgs{Verb: VerbUpdateActor})
	}
	if !wasSharing {
		return nil
	}
	// Every server this one knows may hold a shared post (boosts and
	// replies carry them beyond the followers' servers).
	known, err := tx.KnownInboxes(ctx, maxAnnounceInboxes)
	if err != nil {
		return err
	}
	followers, err := tx.DeliveryInboxes(ctx, a.ID)
	if err != nil {
		return err
	}
	// Followers' inboxes first: each server's retraction goes to the first
	// of its inboxes listed (see RetractArgs).
	all := append(followers, known...)
	args := StopSharingArgs{AccountID: a.ID, Inboxes: all}
	if sharedSince != nil {
		args.SharedSince = sharedSince.UnixMilli()
	}
	return s.enqueue(ctx, tx, args)
}

// retractStartBatch is how many servers' retractions one job enqueues.
const retractStartBatch = 500

// RunStopSharing starts the retraction of what a member shared at every
// server that knew them (a RetractArgs job each, a batch of servers per
// run, each run enqueueing the next), then removes the follows and follow
// requests between them and remote accounts, in batches. It stops early if
// the member shares again.
func (s *Service) RunStopSharing(ctx context.Context, args StopSharingArgs) error {
	if args.Started < len(args.Inboxes) {
		return s.startRetractions(ctx, args)
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

// startRetractions enqueues the retraction of a batch of servers, and the
// run that goes on from there, in one transaction: a retry starts where
// the last commit left off.
func (s *Service) startRetractions(ctx context.Context, args StopSharingArgs) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, args.AccountID)
		if isNotFound(err) || err == nil && a.FediverseSharing {
			return nil // gone, or sharing again: nothing to take back
		}
		if err != nil {
			return err
		}
		// One retraction per server: the order (posts, then the actor)
		// must hold per server, not per inbox.
		end := min(args.Started+retractStartBatch, len(args.Inboxes))
		for _, r := range retractionsByServer(args.Inboxes, args.Started, end) {
			r.AccountID, r.SharedSince = a.ID, args.SharedSince
			if err := s.enqueue(ctx, tx, r); err != nil {
				return err
			}
		}
		next := args
		next.Started = end
		return s.enqueue(ctx, tx, next)
	})
}

// retractionsByServer lists, for the inboxes from..to of a list, the
// servers whose first inbox in the list lies there, each with that inbox
// and up to maxRetractOthers more of its own as fallbacks (servers met
// earlier in the list were done by an earlier batch).
func retractionsByServer(inboxes []string, from, to int) []RetractArgs {
	hostOf := func(inbox string) string {
		if u, err := url.Parse(inbox); err == nil {
			return strings.ToLower(u.Host)
		}
		return inbox
	}
	byHost := map[string]int{} // host → index in out, -1 for a host done earlier
	var out []RetractArgs
	for i, in := range inboxes {
		host := hostOf(in)
		at, seen := byHost[host]
		switch {
		case !seen && i >= to:
			byHost[host] = -1 // first met in a later batch: that batch's
		case !seen && i < from:
			byHost[host] = -1 // first met in an earlier batch: done there
		case !seen:
			byHost[host] = len(out)
			out = append(out, RetractArgs{Inbox: in})
		case at >= 0 && in != out[at].Inbox && len(out[at].Others) < maxRetractOthers && !slices.Contains(out[at].Others, in):
			out[at].Others = append(out[at].Others, in)
		}
	}
	return out
}

// maxRetractOthers bounds the fallback inboxes of a server's retraction.
const maxRetractOthers = 5

// Retraction is the next batch of a member's shared posts to take back
// at a server, for RunRetract.
type Retraction struct {
	Account   *model.Account
	StatusIDs []int64
	// More: the batch was full; the job goes on after LastID, the last
	// post it looked at.
	More   bool
	LastID int64
}

// RetractBatch lists up to limit posts after afterID that a member who
// stopped sharing had shared since sharedSince (unix ms): their own posts,
// not boosts, not deleted (a deleted post's Delete went out then). The
// member is ErrNotFound once sharing again or gone for good.
func (s *Service) RetractBatch(ctx context.Context, accountID, sharedSince, afterID int64, limit int) (Retraction, error) {
	q := s.st.Read()
	a, err := q.AccountByID(ctx, accountID)
	if err != nil {
		return Retraction{}, err
	}
	if a.FediverseSharing || !a.Local() {
		return Retraction{}, model.NotFound("account")
	}
	out := Retraction{Account: a}
	if sharedSince == 0 {
		return out, nil
	}
	ids, err := q.StatusIDsOfAccount(ctx, accountID, afterID, limit)
	if err != nil || len(ids) == 0 {
		return out, err
	}
	byID, err := q.StatusesByIDs(ctx, ids)
	if err != nil {
		return out, err
	}
	since := time.UnixMilli(sharedSince)
	for _, id := range ids {
		st := byID[id]
		if st == nil || st.IsReblog() || st.DeletedAt != nil || st.CreatedAt.Before(since) {
			continue
		}
		out.StatusIDs = append(out.StatusIDs, id)
	}
	out.More, out.LastID = len(ids) == limit, ids[len(ids)-1]
	return out, nil
}

// ContinueRetraction enqueues the rest of a server's retraction.
func (s *Service) ContinueRetraction(ctx context.Context, args RetractArgs) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error { return s.enqueue(ctx, tx, args) })
}

// maxAnnounceInboxes bounds the servers an account's deletion or
// retraction is sent to.
const maxAnnounceInboxes = 10_000
