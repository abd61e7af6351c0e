package mastodon

import (
	"context"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// statusContext answers a post's ancestors and descendants. Signed out,
// the thread is cut to Mastodon's limits for anonymous requests.
func (a *API) statusContext(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	cx, err := a.svc.StatusContext(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	signedIn := c.viewer() != 0
	if !signedIn {
		cx.Limit(service.AnonymousAncestors, service.AnonymousDescendants, service.AnonymousDepth)
	}
	return a.filteredContext(c, cx, signedIn)
}

// accountsOfStatus lists who liked or boosted a post, newest first, paged
// by the like or boost (their IDs appear only in the Link header).
func (a *API) accountsOfStatus(list func(ctx context.Context, viewer, statusID int64, p model.Page) (service.AccountList, error)) handler {
	return func(c *call) (any, error) {
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
		if n := len(l.RowIDs); n > 0 {
			httpx.SetLink(c.w, c.r, a.cfg.BaseURL, l.RowIDs[n-1], l.RowIDs[0])
		}
		return a.accounts(l.Accounts), nil
	}
}
