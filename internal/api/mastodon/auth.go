package mastodon

import (
	"net/http"
	"slices"

	"weft/internal/model"
	"weft/internal/store"
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
	if c.r.Method == http.MethodGet || c.r.Method == http.MethodHead {
		// The viewer's revision was read with the token, before any data
		// of this request: a read's cached lookups go by it. Not for
		// writes, whose answers must show their own change (they read the
		// revision after it), nor for streams, which outlive any revision
		// (they do not come through here).
		c.r = c.r.WithContext(store.WithKnownViewerRev(c.r.Context(), caller.AccountID(), caller.ViewerRev))
	}
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
