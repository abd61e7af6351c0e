package mastodon

import (
	"slices"

	"weft/internal/model"
)

// authorize resolves the caller's token and applies the endpoint's rule:
// no valid token where one is needed → 401; a token without the scope →
// 403; an app-only token where a user is needed → 422 — Mastodon's answers.
func (a *API) authorize(c *call, acc access) error {
	tok := bearer(c.r)
	if tok == "" {
		if acc.token {
			return model.Errorf(model.ErrUnauthorized, "", "The access token is invalid")
		}
		return nil
	}
	caller, err := a.svc.TokenCaller(c.ctx(), tok)
	if err != nil {
		return err // a bad token is refused even where none is needed, as on Mastodon
	}
	c.caller = caller
	if len(acc.scopes) > 0 && !slices.ContainsFunc(acc.scopes, caller.Allows) {
		return model.Errorf(model.ErrForbidden, "", "This action is outside the authorized scopes")
	}
	if acc.user && caller.Account == nil {
		return errNeedsUser
	}
	return nil
}

// errNeedsUser: Mastodon answers 422 when an app-only token calls a user's endpoint.
var errNeedsUser = model.Errorf(model.ErrInvalid, "", "This method requires an authenticated user")
