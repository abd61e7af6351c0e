package mastodon

import (
	"html"
	"net/http"
	"strings"
	"time"

	"weft/internal/model"
)

// Endpoints Mastodon 4.5 apps call, often at start-up, for features weft
// does not have (or not yet): they answer what a Mastodon server without
// them answers, so apps show nothing rather than an error.
func (a *API) compatRoutes(mux *http.ServeMux) {
	// Announcements: weft has none (admins cannot make them yet).
	a.route(mux, "GET /api/v1/announcements", userScope(), func(*call) (any, error) { return []any{}, nil })
	notFound := func(*call) (any, error) { return nil, recordNotFound() }
	a.route(mux, "POST /api/v1/announcements/{id}/dismiss", userScope("write:accounts"), notFound)
	a.route(mux, "PUT /api/v1/announcements/{id}/reactions/{name}", userScope("write:favourites"), notFound)
	a.route(mux, "DELETE /api/v1/announcements/{id}/reactions/{name}", userScope("write:favourites"), notFound)

	// More about the instance.
	a.route(mux, "GET /api/v1/instance/extended_description", public, a.extendedDescription)
	a.route(mux, "GET /api/v1/instance/translation_languages", public, func(*call) (any, error) {
		return map[string][]string{}, nil // weft does not translate
	})
	// The domains this server blocks: none (weft does not federate yet).
	a.route(mux, "GET /api/v1/instance/domain_blocks", public, func(*call) (any, error) { return []any{}, nil })

	// Endorsed (featured) accounts: weft cannot endorse accounts yet, so
	// every list is empty.
	a.route(mux, "GET /api/v1/endorsements", userScope("read:accounts"), func(*call) (any, error) { return []any{}, nil })
	a.route(mux, "GET /api/v1/accounts/{id}/endorsements", public, a.accountEndorsements)

	// Web Push: not supported yet. Mastodon answers 404 when a token has no
	// subscription, which apps take as "not subscribed"; creating one is
	// refused with a 422 that says why, rather than pretending to deliver.
	push := userScope("push")
	a.route(mux, "GET /api/v1/push/subscription", push, notFound)
	a.route(mux, "PUT /api/v1/push/subscription", push, notFound)
	a.route(mux, "POST /api/v1/push/subscription", push, func(*call) (any, error) {
		return nil, model.Errorf(model.ErrInvalid, "", "Push notifications are not supported by this server yet")
	})
	a.route(mux, "DELETE /api/v1/push/subscription", push, func(*call) (any, error) { return nil, nil })

	// Scheduled posts: weft cannot schedule posts yet, so there are none.
	a.route(mux, "GET /api/v1/scheduled_statuses", userScope("read:statuses"), func(*call) (any, error) { return []any{}, nil })
	a.route(mux, "GET /api/v1/scheduled_statuses/{id}", userScope("read:statuses"), notFound)
	a.route(mux, "PUT /api/v1/scheduled_statuses/{id}", userScope("write:statuses"), notFound)
	a.route(mux, "DELETE /api/v1/scheduled_statuses/{id}", userScope("write:statuses"), notFound)

	a.suggestionRoutes(mux)
	a.featuredTagRoutes(mux)
	a.domainBlockRoutes(mux)
}

// startedAt stands for when the instance's description last changed: it
// comes from the configuration, read at start.
var startedAt = time.Now().UTC()

// ExtendedDescription is Mastodon's entity of the same name.
type ExtendedDescription struct {
	UpdatedAt string `json:"updated_at"`
	Content   string `json:"content"`
}

// extendedDescription is the configured description, as HTML paragraphs.
func (a *API) extendedDescription(*call) (any, error) {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(a.cfg.Description, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
		}
	}
	return ExtendedDescription{UpdatedAt: timestamp(startedAt), Content: b.String()}, nil
}

// accountEndorsements: the accounts one features — none, once the account
// is known to be there.
func (a *API) accountEndorsements(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	if _, err := a.svc.Account(c.ctx(), c.viewer(), id); err != nil {
		return nil, err
	}
	return []any{}, nil
}
