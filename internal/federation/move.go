package federation

import (
	"context"
	"slices"

	"weft/internal/ap"
	"weft/internal/model"
)

// applyMove: a remote account moved to another. Its local followers
// follow the new account only when the new account confirms the move (its
// alsoKnownAs names the old one), read from a fresh fetch of it: anyone
// can claim to be moving anywhere.
func (f *Federation) applyMove(ctx context.Context, actor *model.Account, act *ap.Object) error {
	if act.Object.IRI() != actor.URI {
		return model.Errorf(model.ErrForbidden, "", "an account can only move itself")
	}
	target := act.Target.IRI()
	if target == "" || target == actor.URI {
		return model.Invalid("target", "a Move needs another account as its target")
	}
	var moved *model.Account
	var err error
	if f.svc.IsLocalURI(target) {
		moved, err = f.svc.AccountByURI(ctx, target)
	} else {
		moved, err = f.fetchActor(ctx, target)
	}
	if err != nil {
		return err
	}
	if !moved.Local() {
		r, err := f.svc.RemoteActorOf(ctx, moved.ID)
		if err != nil {
			return err
		}
		if !slices.Contains(r.AlsoKnownAs, actor.URI) {
			return model.Errorf(model.ErrForbidden, "", "the new account does not name the old one in alsoKnownAs")
		}
	} else {
		// weft members do not declare aliases yet: a move to one cannot be confirmed.
		return model.Errorf(model.ErrForbidden, "", "moves to local accounts need an alias, which weft does not offer yet")
	}
	return f.svc.AccountMoved(ctx, actor.ID, moved.ID)
}
