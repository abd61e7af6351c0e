package mastodon

import (
	"context"
	"errors"
	"net/http"

	"weft/internal/model"
	"weft/internal/service"
)

// relationshipRoutes: following, the relationships between the caller and
// others, and the lists of followers and followed accounts.
func (a *API) relationshipRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/accounts/relationships", userScope("read:follows"), a.relationships)
	a.route(mux, "GET /api/v1/accounts/familiar_followers", userScope("read:follows"), a.familiarFollowers)
	a.route(mux, "GET /api/v1/accounts/{id}/followers", ifToken("read:accounts"), a.followers)
	a.route(mux, "GET /api/v1/accounts/{id}/following", ifToken("read:accounts"), a.following)
	a.route(mux, "POST /api/v1/accounts/{id}/follow", userScope("write:follows"), a.follow)
	a.route(mux, "POST /api/v1/accounts/{id}/unfollow", userScope("write:follows"), a.unfollow)
}

// FamiliarFollowers is Mastodon's FamiliarFollowers entity.
type FamiliarFollowers struct {
	ID       string    `json:"id"`
	Accounts []Account `json:"accounts"`
}

// relationshipResult renders the relationship after an action. Repeating
// an idempotent one (blocking twice) is no error on Mastodon: the service's
// ErrAlready comes with the current relationship, answered with 200.
func relationshipResult(rel model.Relationship, err error) (any, error) {
	if err != nil && !errors.Is(err, model.ErrAlready) {
		return nil, err
	}
	return relationship(rel), nil
}

func (a *API) relationships(c *call) (any, error) {
	withSuspended, _, err := c.params.Bool("with_suspended")
	if err != nil {
		return nil, err
	}
	rels, err := a.svc.RelationshipsWith(c.ctx(), c.viewer(), idList(c, "id"), withSuspended)
	if err != nil {
		return nil, err
	}
	out := make([]Relationship, 0, len(rels))
	for _, r := range rels {
		out = append(out, relationship(r))
	}
	return out, nil
}

func (a *API) familiarFollowers(c *call) (any, error) {
	list, err := a.svc.FamiliarFollowersOf(c.ctx(), c.viewer(), idList(c, "id"))
	if err != nil {
		return nil, err
	}
	out := make([]FamiliarFollowers, 0, len(list))
	for _, f := range list {
		out = append(out, FamiliarFollowers{ID: idStr(f.AccountID), Accounts: a.accounts(f.Accounts)})
	}
	return out, nil
}

func (a *API) followers(c *call) (any, error) {
	return a.accountList(c, a.svc.Followers)
}

func (a *API) following(c *call) (any, error) {
	return a.accountList(c, a.svc.Following)
}

// accountList serves a list of an account's relations, 40 a page (at most 80).
func (a *API) accountList(c *call, list func(ctx context.Context, viewer, accountID int64, p model.Page) (service.AccountList, error)) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	pg, err := c.params.Page(40, 80)
	if err != nil {
		return nil, err
	}
	l, err := list(c.ctx(), c.viewer(), id, pg)
	if err != nil {
		return nil, err
	}
	return a.accountPage(c, l), nil
}

// follow follows an account, or asks to when it approves followers by hand.
// reblogs and notify set the follow's options (again when following already).
func (a *API) follow(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	if id == c.viewer() {
		return nil, model.Errorf(model.ErrForbidden, "", "Following your own account is not allowed") // Mastodon's 403
	}
	var opts service.FollowOptions
	if opts.Reblogs, err = c.params.BoolPtr("reblogs"); err != nil {
		return nil, err
	}
	if opts.Notify, err = c.params.BoolPtr("notify"); err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.Follow(c.ctx(), c.viewer(), id, opts))
}

// unfollow stops following, or withdraws a pending request.
func (a *API) unfollow(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.Unfollow(c.ctx(), c.viewer(), id))
}
