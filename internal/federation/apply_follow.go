package federation

import (
	"context"
	"net/url"
	"strings"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
)

// applyFollow: a remote account follows (or asks to follow) a local member
// who shares with the fediverse. The service sends the Accept when no
// approval is needed. A member who does not share is not there at all:
// the Follow is dropped without an answer that would tell otherwise.
func (f *Federation) applyFollow(ctx context.Context, actor *model.Account, act *ap.Object) error {
	target, err := f.localAccount(ctx, act.Object.IRI())
	if err != nil {
		return err
	}
	_, err = f.svc.Follow(ctx, actor.ID, target.ID, service.FollowOptions{URI: act.ID})
	return err
}

// applyAccept: a remote account accepts (or rejects) a local member's
// follow. The Follow is named inline or by its id; weft's Follow ids name
// the follower (…/users/NAME#follows/N).
func (f *Federation) applyAccept(ctx context.Context, actor *model.Account, act *ap.Object, accepted bool) error {
	var follower *model.Account
	var err error
	if obj := act.Object; obj != nil && obj.Obj != nil && obj.Obj.Actor != "" {
		follower, err = f.localAccount(ctx, obj.Obj.Actor)
	} else {
		follower, err = f.localAccount(ctx, followerOfFollowID(act.Object.IRI()))
	}
	if err != nil {
		return err
	}
	if accepted {
		return f.svc.RemoteFollowAccepted(ctx, actor.ID, follower.ID)
	}
	return f.svc.RemoteFollowRejected(ctx, actor.ID, follower.ID)
}

// followerOfFollowID reads the actor out of one of weft's Follow ids.
func followerOfFollowID(id string) string {
	u, err := url.Parse(id)
	if err != nil || !strings.HasPrefix(u.Fragment, "follows/") {
		return ""
	}
	u.Fragment = ""
	return u.String()
}
