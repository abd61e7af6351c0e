package federation

import (
	"context"
	"errors"
	"fmt"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
)

// RunInbox applies one received activity (the inbox job). The signature
// was checked when it arrived; here the actor must still be the signer.
// Activities weft does not handle are dropped; an activity that cannot be
// applied for good (invalid, about something unknown) fails without retry.
func (f *Federation) RunInbox(ctx context.Context, args service.InboxArgs) error {
	act, err := ap.Parse(args.Activity)
	if err != nil {
		return errors.Join(service.ErrNoRetry, err)
	}
	actor, err := f.svc.AccountByID(ctx, args.SignerID)
	if err != nil {
		return err
	}
	if actor.URI != act.Actor {
		return errors.Join(service.ErrNoRetry, fmt.Errorf("activity %s: actor %s is not the signer %s", act.ID, act.Actor, actor.URI))
	}
	err = f.apply(ctx, actor, act)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, model.ErrNotFound), errors.Is(err, model.ErrForbidden), errors.Is(err, model.ErrInvalid),
		errors.Is(err, model.ErrAlready), errors.Is(err, model.ErrSuspended), errors.Is(err, model.ErrGone):
		f.log.Debug("inbox activity not applied", "id", act.ID, "type", act.Type, "err", err)
		return nil // nothing to retry: the activity is about what is not (or may not be) here
	}
	return fmt.Errorf("apply %s %s: %w", act.Type, act.ID, err)
}

func (f *Federation) apply(ctx context.Context, actor *model.Account, act *ap.Object) error {
	switch act.Type {
	case "Follow":
		return f.applyFollow(ctx, actor, act)
	case "Accept":
		return f.applyAccept(ctx, actor, act, true)
	case "Reject":
		return f.applyAccept(ctx, actor, act, false)
	case "Undo":
		return f.applyUndo(ctx, actor, act)
	case "Create":
		return f.applyCreate(ctx, actor, act)
	case "Update":
		return f.applyUpdate(ctx, actor, act)
	case "Delete":
		return f.applyDelete(ctx, actor, act)
	case "Like", "EmojiReact":
		return f.applyLike(ctx, actor, act)
	case "Announce":
		return f.applyAnnounce(ctx, actor, act)
	case "Block":
		return f.applyBlock(ctx, actor, act)
	case "Flag":
		return f.applyFlag(ctx, actor, act)
	case "Move":
		return f.applyMove(ctx, actor, act)
	}
	f.log.Debug("inbox activity type not handled", "type", act.Type, "id", act.ID)
	return nil
}

// embedded returns the activity's object when it was sent inline and
// comes from the actor's own server (an inline object from elsewhere is
// not trusted: it is fetched from its origin instead), else nil.
func embedded(act *ap.Object) *ap.Object {
	if act.Object == nil || act.Object.Obj == nil {
		return nil
	}
	if ap.Origin(act.Object.Obj.ID) != ap.Origin(act.Actor) {
		return nil
	}
	return act.Object.Obj
}

// localAccount finds the local member an IRI names (a follow or block
// target), or ErrNotFound.
func (f *Federation) localAccount(ctx context.Context, iri string) (*model.Account, error) {
	if !f.svc.IsLocalURI(iri) {
		return nil, model.NotFound("account")
	}
	return f.svc.AccountByURI(ctx, iri)
}
