package mastodon

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"weft/internal/model"
)

// Featured hashtags: the hashtags an account shows on its profile.
func (a *API) featuredTagRoutes(mux *http.ServeMux) {
	read, write := userScope("read:accounts"), userScope("write:accounts")
	a.route(mux, "GET /api/v1/featured_tags", read, a.ownFeaturedTags)
	a.route(mux, "POST /api/v1/featured_tags", write, a.featureTag)
	a.route(mux, "DELETE /api/v1/featured_tags/{id}", write, a.unfeatureTag)
	a.route(mux, "GET /api/v1/featured_tags/suggestions", read, a.featuredTagSuggestions)
	a.route(mux, "GET /api/v1/accounts/{id}/featured_tags", public, a.accountFeaturedTags)
	// Mastodon 4.4's way, from a hashtag's page: answers the Tag.
	a.route(mux, "POST /api/v1/tags/{name}/feature", write, a.featureTagNamed)
	a.route(mux, "POST /api/v1/tags/{name}/unfeature", write, a.unfeatureTagNamed)
}

// FeaturedTag is Mastodon's entity of the same name: statuses_count is a
// string and last_status_at a date, as Mastodon sends them.
type FeaturedTag struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	StatusesCount string  `json:"statuses_count"`
	LastStatusAt  *string `json:"last_status_at"`
}

func (a *API) featuredTag(acc *model.Account, f *model.FeaturedTag) FeaturedTag {
	out := FeaturedTag{ID: idStr(f.ID), Name: f.Tag.Name,
		URL:           a.svc.AccountURL(acc) + "/tagged/" + url.PathEscape(f.Tag.Name),
		StatusesCount: strconv.FormatInt(f.StatusesCount, 10)}
	if f.LastStatusAt != nil {
		d := f.LastStatusAt.UTC().Format("2006-01-02")
		out.LastStatusAt = &d
	}
	return out
}

func (a *API) featuredTagList(acc *model.Account, list []*model.FeaturedTag) []FeaturedTag {
	out := make([]FeaturedTag, 0, len(list))
	for _, f := range list {
		out = append(out, a.featuredTag(acc, f))
	}
	return out
}

func (a *API) ownFeaturedTags(c *call) (any, error) {
	acc, list, err := a.svc.FeaturedTags(c.ctx(), c.viewer(), c.viewer())
	if err != nil {
		return nil, err
	}
	return a.featuredTagList(acc, list), nil
}

func (a *API) accountFeaturedTags(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	acc, list, err := a.svc.FeaturedTags(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return a.featuredTagList(acc, list), nil
}

func (a *API) featureTag(c *call) (any, error) {
	f, err := a.svc.FeatureTag(c.ctx(), c.viewer(), c.params.String("name"))
	if err != nil {
		return nil, err
	}
	return a.featuredTag(c.caller.Account, f), nil
}

func (a *API) unfeatureTag(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.UnfeatureTag(c.ctx(), c.viewer(), id)
}

func (a *API) featuredTagSuggestions(c *call) (any, error) {
	views, err := a.svc.FeaturedTagSuggestions(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	return a.hashtags(views, true), nil
}

// featureTagNamed features the hashtag of the path; featuring it again is
// harmless here.
func (a *API) featureTagNamed(c *call) (any, error) {
	name := c.r.PathValue("name")
	if _, err := a.svc.FeatureTag(c.ctx(), c.viewer(), name); err != nil && !errors.Is(err, model.ErrAlready) {
		return nil, err
	}
	v, err := a.svc.Tag(c.ctx(), c.viewer(), name)
	if err != nil {
		return nil, err
	}
	return a.hashtag(v, true), nil
}

func (a *API) unfeatureTagNamed(c *call) (any, error) {
	name := c.r.PathValue("name")
	if err := a.svc.UnfeatureTagNamed(c.ctx(), c.viewer(), name); err != nil {
		return nil, err
	}
	v, err := a.svc.Tag(c.ctx(), c.viewer(), name)
	if err != nil {
		return nil, err
	}
	return a.hashtag(v, true), nil
}
