package federation

import (
	"context"
	"errors"

	"weft/internal/ap"
	"weft/internal/model"
)

// applyUndo withdraws a Follow, Like, Announce or Block of the actor's.
// The undone activity may be inline or named by id; by id, boosts and
// follows are found (their activity ids are stored).
func (f *Federation) applyUndo(ctx context.Context, actor *model.Account, act *ap.Object) error {
	inner := act.Object
	if inner == nil {
		return model.Invalid("object", "an Undo needs an object")
	}
	if inner.Obj == nil {
		return f.svc.UndoRemoteByURI(ctx, actor.ID, inner.ID)
	}
	obj := inner.Obj
	if obj.Actor != "" && obj.Actor != actor.URI {
		return model.Errorf(model.ErrForbidden, "", "an actor can only undo its own activities")
	}
	switch obj.Type {
	case "Follow":
		target, err := f.localAccount(ctx, obj.Object.IRI())
		if err != nil {
			return err
		}
		_, err = f.svc.Unfollow(ctx, actor.ID, target.ID)
		return err
	case "Like", "EmojiReact":
		st, err := f.svc.StatusByURI(ctx, obj.Object.IRI())
		if err != nil {
			return err
		}
		return f.svc.RemoteUnfavourite(ctx, actor.ID, st.ID)
	case "Announce":
		return f.svc.UndoRemoteReblog(ctx, actor.ID, obj.ID)
	case "Block":
		target, err := f.localAccount(ctx, obj.Object.IRI())
		if err != nil {
			return err
		}
		_, err = f.svc.Unblock(ctx, actor.ID, target.ID)
		if errors.Is(err, model.ErrNotFound) {
			return nil
		}
		return err
	}
	return nil
}
