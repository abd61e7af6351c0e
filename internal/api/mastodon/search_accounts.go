package mastodon

import (
	"math"
	"net/http"

	"weft/internal/service"
)

func (a *API) accountSearchRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/accounts/search", userScope("read:accounts"), a.searchAccounts)
}

// searchAccounts finds accounts by the start of their username or display
// name, or user@domain exactly (apps use it to complete mentions). limit
// is clamped to 40; resolve does nothing until federation arrives.
func (a *API) searchAccounts(c *call) (any, error) {
	p := c.params
	limit, err := p.Int("limit", service.MaxSearchLimit, 1, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	offset, err := p.Int("offset", 0, 0, service.MaxSearchOffset)
	if err != nil {
		return nil, err
	}
	in := service.AccountSearch{Query: p.String("q"), Limit: min(limit, service.MaxSearchLimit), Offset: offset}
	if in.Resolve, _, err = p.Bool("resolve"); err != nil {
		return nil, err
	}
	if in.Following, _, err = p.Bool("following"); err != nil {
		return nil, err
	}
	list, err := a.svc.SearchAccounts(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	return a.accounts(list), nil
}
