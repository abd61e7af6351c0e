package mastodon

import (
	"context"
	"errors"

	"weft/internal/model"
	"weft/internal/service"
)

// statusAction is a POST on a post that answers the post as the caller now
// sees it (favourite, bookmark, mute …). They come with no body and often
// no Content-Type; doing one twice is harmless and answers 200 again.
func (a *API) statusAction(act func(ctx context.Context, viewer, statusID int64) (*service.StatusView, error)) handler {
	return func(c *call) (any, error) {
		id, err := pathID(c, "id")
		if err != nil {
			return nil, err
		}
		v, err := act(c.ctx(), c.viewer(), id)
		if err != nil {
			return nil, err
		}
		return a.status(v, true), nil
	}
}

// reblog boosts a post and answers the boost, whose `reblog` is the post.
// Boosting again answers the existing boost, as Mastodon does.
func (a *API) reblog(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := a.svc.Reblog(c.ctx(), c.viewer(), id, model.Visibility(c.params.String("visibility")))
	if err != nil && !(errors.Is(err, model.ErrAlready) && v != nil) {
		return nil, err
	}
	return a.status(v, true), nil
}

// pin features one of the caller's posts on their profile. Mastodon answers
// 422 for another's post ("Someone else's post cannot be pinned") and for
// the limit.
func (a *API) pin(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := a.svc.Pin(c.ctx(), c.viewer(), id)
	if errors.Is(err, model.ErrForbidden) {
		return nil, model.Errorf(model.ErrInvalid, "", "Validation failed: Someone else's post cannot be pinned")
	}
	if err != nil {
		return nil, err
	}
	return a.status(v, true), nil
}

// unpin takes a post off the caller's profile. Another's post is not pinned
// by the caller, so there is nothing to undo: Mastodon answers the post.
func (a *API) unpin(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := a.svc.Unpin(c.ctx(), c.viewer(), id)
	if errors.Is(err, model.ErrForbidden) {
		v, err = a.svc.Status(c.ctx(), c.viewer(), id)
	}
	if err != nil {
		return nil, err
	}
	return a.status(v, true), nil
}
