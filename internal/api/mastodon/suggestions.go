package mastodon

import (
	"net/http"
)

// Follow suggestions: the most followed discoverable local accounts the
// caller does not follow yet (see service.Suggestions).
func (a *API) suggestionRoutes(mux *http.ServeMux) {
	read := userScope("read", "read:accounts")
	a.route(mux, "GET /api/v1/suggestions", read, a.suggestionsV1)
	a.route(mux, "GET /api/v2/suggestions", read, a.suggestionsV2)
	a.route(mux, "DELETE /api/v1/suggestions/{account_id}", userScope("read", "write", "write:accounts"), a.dismissSuggestion)
}

// Suggestion is Mastodon's entity of the same name. weft's suggestions
// all come from one source: Mastodon's "global" (sources: "most_followed").
type Suggestion struct {
	Source  string   `json:"source"`
	Sources []string `json:"sources"`
	Account Account  `json:"account"`
}

func (a *API) suggestionsV1(c *call) (any, error) {
	limit, err := c.params.Int("limit", 40, 1, 1<<30)
	if err != nil {
		return nil, err
	}
	list, err := a.svc.Suggestions(c.ctx(), c.viewer(), min(limit, 80))
	if err != nil {
		return nil, err
	}
	return a.accounts(list), nil
}

func (a *API) suggestionsV2(c *call) (any, error) {
	limit, err := c.params.Int("limit", 40, 1, 1<<30)
	if err != nil {
		return nil, err
	}
	list, err := a.svc.Suggestions(c.ctx(), c.viewer(), min(limit, 80))
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(list))
	for _, acc := range list {
		out = append(out, Suggestion{Source: "global", Sources: []string{"most_followed"}, Account: a.account(acc)})
	}
	return out, nil
}

// dismissSuggestion answers {} whatever the ID, as Mastodon does.
func (a *API) dismissSuggestion(c *call) (any, error) {
	id, err := pathID(c, "account_id")
	if err != nil {
		return nil, nil
	}
	return nil, a.svc.DismissSuggestion(c.ctx(), c.viewer(), id)
}
