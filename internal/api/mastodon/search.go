package mastodon

import (
	"math"
	"net/http"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) searchRoutes(mux *http.ServeMux) {
	// Anyone may search; a token, when sent, must carry read:search (or read).
	a.route(mux, "GET /api/v2/search", ifToken("read:search"), a.search)
}

// SearchResult is Mastodon's Search entity.
type SearchResult struct {
	Accounts []Account `json:"accounts"`
	Statuses any       `json:"statuses"` // as the statuses renderer gives them
	Hashtags []Hashtag `json:"hashtags"`
}

// search is GET /api/v2/search: q (required), type, resolve, following,
// account_id, exclude_unreviewed, max_id, min_id, limit (20, at most 40)
// and offset. Anonymous callers may not page with offset nor resolve, as on
// Mastodon, and find no posts.
func (a *API) search(c *call) (any, error) {
	p := c.params
	in := service.Search{Query: p.String("q"), Type: strings.TrimSpace(p.String("type"))}
	if c.viewer() == 0 && strings.TrimSpace(p.String("offset")) != "" && strings.TrimSpace(in.Query) != "" {
		// Mastodon refuses the parameter itself, even at 0 or without a
		// type (a missing q is the first thing it says, by the service).
		return nil, model.Errorf(model.ErrUnauthorized, "", "Search queries pagination is not supported without authentication")
	}
	var err error
	if in.Limit, err = p.Int("limit", 0, 1, math.MaxInt32); err != nil {
		return nil, err
	}
	if in.Offset, err = p.Int("offset", 0, 0, service.MaxSearchOffset); err != nil {
		return nil, err
	}
	if in.Resolve, _, err = p.Bool("resolve"); err != nil {
		return nil, err
	}
	if in.Following, _, err = p.Bool("following"); err != nil {
		return nil, err
	}
	if in.ExcludeUnreviewed, _, err = p.Bool("exclude_unreviewed"); err != nil {
		return nil, err
	}
	if in.AccountID, err = p.ID("account_id"); err != nil {
		return nil, err
	}
	if in.MaxID, err = p.ID("max_id"); err != nil {
		return nil, err
	}
	if in.MinID, err = p.ID("min_id"); err != nil {
		return nil, err
	}
	res, err := a.svc.Search(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	signedIn := c.viewer() != 0
	return SearchResult{Accounts: a.accounts(res.Accounts), Statuses: a.statuses(res.Statuses, signedIn),
		Hashtags: a.hashtags(res.Hashtags, signedIn)}, nil
}
