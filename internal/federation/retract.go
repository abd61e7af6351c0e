package federation

import (
	"context"
	"encoding/json"
	"errors"

	"weft/internal/model"
	"weft/internal/service"
)

// retractBatch is how many posts one retraction job takes back before it
// hands over to the next (so that a retry repeats at most this many).
const retractBatch = 20

// RunRetract takes back at one server what a member who stopped sharing
// had shared there: a Delete of each shared post, one after the other,
// then the Delete of the actor, last. A server that refuses a post's
// Delete for good (a 4xx: it never had it, or dropped the actor already)
// is not asked again for that post; any other failure retries the job,
// which repeats at most its batch (Deletes are idempotent).
func (f *Federation) RunRetract(ctx context.Context, args service.RetractArgs) error {
	batch, err := f.svc.RetractBatch(ctx, args.AccountID, args.SharedSince, args.AfterID, retractBatch)
	if errors.Is(err, model.ErrNotFound) {
		return nil // sharing again, or gone: nothing to take back
	}
	if err != nil {
		return err
	}
	actor := batch.Account
	for _, id := range batch.StatusIDs {
		act, _, err := f.buildPost(ctx, actor, service.FederateArgs{Verb: service.VerbDelete, ActorID: actor.ID,
			StatusID: id, Inboxes: []string{args.Inbox}, Retract: true})
		if errors.Is(err, model.ErrNotFound) || err == nil && act == nil {
			continue
		}
		if err != nil {
			return err
		}
		err = f.deliverActivity(ctx, actor.ID, args.Inbox, act)
		if gone(err) && len(args.Others) > 0 {
			return f.retractElsewhere(ctx, args)
		}
		if err != nil && !errors.Is(err, service.ErrNoRetry) {
			return err
		}
	}
	if batch.More {
		next := args
		next.AfterID = batch.LastID
		return f.svc.ContinueRetraction(ctx, next)
	}
	// Every post is taken back at this server: the actor goes last.
	actorURI := f.svc.ActorURI(actor)
	del := &activity{Context: ContextNote, ID: actorURI + "#delete", Type: "Delete", Actor: actorURI,
		To: []string{"https://www.w3.org/ns/activitystreams#Public"}, Object: actorURI}
	err = f.deliverActivity(ctx, actor.ID, args.Inbox, del)
	if gone(err) && len(args.Others) > 0 {
		return f.retractElsewhere(ctx, args)
	}
	if err != nil && !errors.Is(err, service.ErrNoRetry) {
		return err
	}
	return nil
}

// retractElsewhere goes on at another inbox of the same server, from the
// start of the current batch, when the one in use is gone (the account
// that owned it left; a server without a shared inbox has only those).
func (f *Federation) retractElsewhere(ctx context.Context, args service.RetractArgs) error {
	next := args
	next.Inbox, next.Others = args.Others[0], args.Others[1:]
	return f.svc.ContinueRetraction(ctx, next)
}

// deliverActivity signs and posts one activity to one inbox now.
func (f *Federation) deliverActivity(ctx context.Context, signerID int64, inbox string, act *activity) error {
	body, err := json.Marshal(act)
	if err != nil {
		return err
	}
	return f.deliver(ctx, service.DeliverArgs{SignerID: signerID, Inbox: inbox, Activity: body})
}
