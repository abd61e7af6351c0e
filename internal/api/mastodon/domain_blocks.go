package mastodon

import (
	"net/http"

	"weft/internal/httpx"
)

// Domains the caller blocks. weft stores and lists them; what a domain
// block hides (that domain's posts, notifications and followers) takes
// effect once weft federates.
func (a *API) domainBlockRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/domain_blocks", userScope("read:blocks"), a.domainBlocks)
	a.route(mux, "POST /api/v1/domain_blocks", userScope("write:blocks"), a.blockDomain)
	a.route(mux, "DELETE /api/v1/domain_blocks", userScope("write:blocks"), a.unblockDomain)
}

// domainBlocks lists blocked domains as strings, paginated by the blocks'
// row IDs (limit 100 by default, at most 200), as on Mastodon.
func (a *API) domainBlocks(c *call) (any, error) {
	pg, err := c.params.Page(100, 200)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.DomainBlocks(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	if len(l.RowIDs) > 0 {
		httpx.SetLink(c.w, c.r, a.cfg.BaseURL, l.RowIDs[len(l.RowIDs)-1], l.RowIDs[0])
	}
	if l.Domains == nil {
		return []string{}, nil
	}
	return l.Domains, nil
}

func (a *API) blockDomain(c *call) (any, error) {
	return nil, a.svc.BlockDomain(c.ctx(), c.viewer(), c.params.String("domain"))
}

func (a *API) unblockDomain(c *call) (any, error) {
	return nil, a.svc.UnblockDomain(c.ctx(), c.viewer(), c.params.String("domain"))
}
