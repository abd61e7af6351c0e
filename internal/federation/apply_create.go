package federation

import (
	"context"

	"weft/internal/ap"
	"weft/internal/model"
)

// applyCreate stores a new post by the actor, when someone here has reason
// to see it: a local member follows the actor, or it mentions a local
// member, or it answers a post known here. Anything else would only fill
// the disk ("a server stores only what its members follow or touch").
func (f *Federation) applyCreate(ctx context.Context, actor *model.Account, act *ap.Object) error {
	obj, err := f.activityObject(ctx, act)
	if err != nil {
		return err
	}
	if !isPost(obj) {
		return nil
	}
	if obj.AttributedTo != actor.URI {
		return model.Errorf(model.ErrForbidden, "", "an actor can only create its own posts")
	}
	wanted, err := f.wanted(ctx, actor, obj)
	if err != nil || !wanted {
		return err
	}
	_, err = f.ingestPost(ctx, obj, maxParentDepth, true)
	return err
}

// activityObject returns the object of an activity: inline when it comes
// from the actor's server, else fetched from its own.
func (f *Federation) activityObject(ctx context.Context, act *ap.Object) (*ap.Object, error) {
	if obj := embedded(act); obj != nil {
		return obj, nil
	}
	if act.Object.IRI() == "" {
		return nil, model.Invalid("object", "the activity has no object")
	}
	return f.fetch(ctx, act.Object.IRI())
}

// wanted: does anyone here follow the actor, or is a local member or post
// involved (mentioned, answered, or quoted: Misskey sends a quote to the
// quoted author's inbox as it sends a reply, whoever follows the quoter)?
func (f *Federation) wanted(ctx context.Context, actor *model.Account, obj *ap.Object) (bool, error) {
	followed, err := f.svc.HasLocalFollowers(ctx, actor.ID)
	if err != nil || followed {
		return followed, err
	}
	for _, t := range obj.Tags {
		if t.Type == "Mention" && f.svc.IsLocalURI(t.Href) {
			return true, nil
		}
	}
	for _, iri := range append(append([]string{}, obj.To...), obj.CC...) {
		if f.svc.IsLocalURI(iri) {
			return true, nil
		}
	}
	if obj.InReplyTo != "" {
		if _, err := f.svc.StatusByURI(ctx, obj.InReplyTo); err == nil {
			return true, nil
		}
	}
	if quotesShared(ctx, f, obj) {
		return true, nil
	}
	return false, nil
}

// quotesShared: a public or unlisted post that quotes a post a member here
// shared with the fediverse.
func quotesShared(ctx context.Context, f *Federation, obj *ap.Object) bool {
	if obj.Quote == "" {
		return false
	}
	if v := visibilityOf(obj, ""); v != model.Public && v != model.Unlisted {
		return false
	}
	_, err := f.svc.SharedLocalStatus(ctx, obj.Quote)
	return err == nil
}

// applyUpdate: an edited post, or a refreshed profile.
func (f *Federation) applyUpdate(ctx context.Context, actor *model.Account, act *ap.Object) error {
	obj, err := f.activityObject(ctx, act)
	if err != nil {
		return err
	}
	if obj.IsActor() {
		if obj.ID != actor.URI {
			return model.Errorf(model.ErrForbidden, "", "an actor can only update itself")
		}
		_, err := f.saveActor(ctx, obj)
		return err
	}
	if !isPost(obj) {
		return nil
	}
	if obj.AttributedTo != actor.URI {
		return model.Errorf(model.ErrForbidden, "", "an actor can only update its own posts")
	}
	if _, err := f.svc.StatusByURI(ctx, obj.ID); err != nil {
		return err // an edit of a post never seen here: nothing to update
	}
	in, err := f.postInput(ctx, actor, obj, 0)
	if err != nil {
		return err
	}
	return f.svc.UpdateRemoteStatus(ctx, in)
}

// applyDelete: the actor deletes a post or boost of its own, or itself.
func (f *Federation) applyDelete(ctx context.Context, actor *model.Account, act *ap.Object) error {
	id := act.Object.IRI()
	if id == "" {
		return model.Invalid("object", "a Delete needs an object")
	}
	if id == actor.URI {
		return f.svc.DeleteRemoteAccount(ctx, actor.ID)
	}
	return f.svc.DeleteRemoteObject(ctx, actor.ID, id)
}

// applyLike: the actor likes a post known here (Mastodon sends Likes only
// to the post's author's server, so it is normally a local post).
func (f *Federation) applyLike(ctx context.Context, actor *model.Account, act *ap.Object) error {
	st, err := f.svc.StatusByURI(ctx, act.Object.IRI())
	if err != nil {
		return err
	}
	return f.svc.RemoteFavourite(ctx, actor.ID, st.ID, act.ID)
}

// applyAnnounce: the actor boosts a post. A boost of a post not known here
// is fetched only when someone here follows the booster.
func (f *Federation) applyAnnounce(ctx context.Context, actor *model.Account, act *ap.Object) error {
	iri := act.Object.IRI()
	if iri == "" {
		return model.Invalid("object", "an Announce needs an object")
	}
	st, err := f.svc.StatusByURI(ctx, iri)
	if err != nil {
		followed, ferr := f.svc.HasLocalFollowers(ctx, actor.ID)
		if ferr != nil || !followed {
			return ferr
		}
		if st, err = f.ResolveStatus(ctx, iri); err != nil {
			return err
		}
	}
	vis := visibilityOf(act, "")
	if vis == model.Direct {
		vis = model.Private
	}
	return f.svc.RemoteReblog(ctx, actor.ID, st.ID, vis, act.ID)
}
