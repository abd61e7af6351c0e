package service

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// Federation verbs: what a local member did that other servers must hear
// of. The federation worker renders each as an ActivityPub activity and
// delivers it to the inboxes concerned.
const (
	VerbCreate       = "create"        // StatusID: a new post
	VerbUpdate       = "update"        // StatusID: an edited post
	VerbDelete       = "delete"        // StatusID: a deleted post
	VerbAnnounce     = "announce"      // StatusID: the boost
	VerbUndoAnnounce = "undo_announce" // StatusID: the boost (its row is gone), ObjectID the boosted post
	VerbLike         = "like"          // StatusID: the liked post, ObjectID: the favourite's ID
	VerbUndoLike     = "undo_like"     // StatusID, ObjectID as for VerbLike
	VerbFollow       = "follow"        // TargetID; ObjectURI: the Follow's id
	VerbUndoFollow   = "undo_follow"   // TargetID; ObjectURI: the Follow's id
	VerbAccept       = "accept"        // TargetID: the follower; ObjectURI: their Follow's id
	VerbReject       = "reject"        // TargetID, ObjectURI as for VerbAccept
	VerbBlock        = "block"         // TargetID; ObjectID: the block's ID
	VerbUndoBlock    = "undo_block"    // TargetID; ObjectID: the block's ID
	VerbUpdateActor  = "update_actor"  // the actor's profile changed
	VerbDeleteActor  = "delete_actor"  // the actor's account is gone
	VerbFlag         = "flag"          // ObjectID: a report forwarded to TargetID's server, sent as the instance actor
)

// FederateArgs is one local change for the fediverse. It is enqueued in the
// transaction of the change; the federation worker (internal/federation)
// decides the recipients when it runs and enqueues one DeliverArgs per inbox.
type FederateArgs struct {
	Verb      string `json:"verb"`
	ActorID   int64  `json:"actor_id,string"`
	StatusID  int64  `json:"status_id,string,omitempty"`
	TargetID  int64  `json:"target_id,string,omitempty"`
	ObjectID  int64  `json:"object_id,string,omitempty"`
	ObjectURI string `json:"object_uri,omitempty"`
	// Inboxes, when set, are the recipients decided at the time of the
	// change (a deleted account's followers, which are gone when the job runs).
	Inboxes []string `json:"inboxes,omitempty"`
	// Retract: a Delete of a post sent after its author stopped sharing
	// (the one thing still sent for them).
	Retract bool `json:"retract,omitempty"`
}

func (FederateArgs) Kind() string { return "federate" }

// Queue puts federation work on its own queue: a slow or dead remote
// server must never delay local fan-out.
func (FederateArgs) Queue() string { return QueueFederation }

// DeliverArgs is one signed POST of an activity to one inbox.
type DeliverArgs struct {
	SignerID int64           `json:"signer_id,string"` // the local account whose key signs; 0 = the instance actor
	Inbox    string          `json:"inbox"`
	Activity json.RawMessage `json:"activity"`
}

func (DeliverArgs) Kind() string  { return "deliver" }
func (DeliverArgs) Queue() string { return QueueFederation }

// MaxAttempts: with River's backoff (attempt⁴ seconds, with jitter), 17
// attempts retry a dead server for about three days.
func (DeliverArgs) MaxAttempts() int { return 17 }

// InboxArgs is one verified activity received in an inbox, applied by the
// federation worker.
type InboxArgs struct {
	Activity json.RawMessage `json:"activity"`
	// SignerID is the remote account whose key signed the delivery.
	SignerID int64 `json:"signer_id,string"`
	// InboxOf is the local account whose personal inbox received it; 0 for the shared inbox.
	InboxOf int64 `json:"inbox_of,string,omitempty"`
}

func (InboxArgs) Kind() string     { return "inbox" }
func (InboxArgs) Queue() string    { return QueueFederation }
func (InboxArgs) MaxAttempts() int { return 8 }

// QueueFederation is the job queue of inbox, federate and deliver jobs.
const QueueFederation = "federation"

// federate enqueues a change for the fediverse when its actor is a local
// member who shares with the fediverse; nothing otherwise. (Whether anyone
// out there needs it is decided when the job runs.)
func (s *Service) federate(ctx context.Context, tx *store.Tx, actor *model.Account, args FederateArgs) error {
	if actor == nil || !actor.Local() || !actor.FediverseSharing {
		return nil
	}
	args.ActorID = actor.ID
	return s.enqueue(ctx, tx, args)
}

// EnqueueDeliveries inserts delivery jobs in one transaction (the
// federation worker's fan-out of one activity to its inboxes).
func (s *Service) EnqueueDeliveries(ctx context.Context, list []DeliverArgs) error {
	if len(list) == 0 {
		return nil
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		for _, d := range list {
			if err := s.enqueue(ctx, tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

// ActorURI is an account's ActivityPub id: its /users/ URL for a local
// account, the id its server gave it for a remote one.
func (s *Service) ActorURI(a *model.Account) string {
	if !a.Local() {
		return a.URI
	}
	return s.cfg.BaseURL + "/users/" + a.Username
}

// StatusURI is a post's ActivityPub id.
func (s *Service) StatusURI(st *model.Status, author *model.Account) string {
	if !st.Local {
		return st.URI
	}
	return s.ActorURI(author) + "/statuses/" + strconv.FormatInt(st.ID, 10)
}

// followURI is the id of a local member's Follow activity, made from the
// follow request's row ID so the Undo names the same Follow.
func (s *Service) followURI(follower *model.Account, requestID int64) string {
	return s.ActorURI(follower) + "#follows/" + strconv.FormatInt(requestID, 10)
}

// ErrNoRetry marks a job failure that retrying cannot fix (a remote server
// answered 4xx, an activity is invalid): the job runner records it and
// stops instead of retrying.
var ErrNoRetry = errors.New("permanent failure")

// postInboxesTx lists, at the time of a change, the inboxes that saw a
// post: its author's followers' servers (unless it is direct) and the
// servers of the remote accounts it mentions. A Delete needs them fixed
// now, since the post's mentions are cleaned up after it.
func (s *Service) postInboxesTx(ctx context.Context, tx *store.Tx, st *model.Status) ([]string, error) {
	var out []string
	if st.Visibility != model.Direct {
		list, err := tx.DeliveryInboxes(ctx, st.AccountID)
		if err != nil {
			return nil, err
		}
		out = list
	}
	actors, err := tx.RemoteActorsByIDs(ctx, st.Mentions)
	if err != nil {
		return nil, err
	}
	for _, r := range actors {
		out = append(out, r.DeliveryInbox())
	}
	return out, nil
}

// SnoozeError asks the job runner to run the job again after a while,
// without counting an attempt (a rate-limited or busy server).
type SnoozeError struct{ After time.Duration }

func (e *SnoozeError) Error() string { return "snoozed for " + e.After.String() }
