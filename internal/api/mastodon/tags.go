package mastodon

import (
	"net/http"
	"strconv"

	"weft/internal/httpx"
	"weft/internal/service"
)

func (a *API) tagRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/tags/{name}", public, a.getTag)
	a.route(mux, "POST /api/v1/tags/{name}/follow", userScope("write:follows"), a.followTag)
	a.route(mux, "POST /api/v1/tags/{name}/unfollow", userScope("write:follows"), a.unfollowTag)
	a.route(mux, "GET /api/v1/followed_tags", userScope("read:follows"), a.followedTags)
	a.route(mux, "GET /api/v1/trends/tags", public, a.trendingTags)
	a.route(mux, "GET /api/v1/trends", public, a.trendingTags) // the deprecated name, still used
}

// Hashtag is Mastodon's Tag entity as the tag endpoints answer it (statuses
// carry the short form, Tag).
type Hashtag struct {
	ID        string       `json:"id"` // "" for a hashtag no post used yet
	Name      string       `json:"name"`
	URL       string       `json:"url"`
	History   []TagHistory `json:"history"`
	Following *bool        `json:"following,omitempty"` // signed-in callers only
	Featuring *bool        `json:"featuring,omitempty"`
}

// TagHistory is one day of a hashtag's use; numbers are strings, as on Mastodon.
type TagHistory struct {
	Day      string `json:"day"` // Unix time of midnight UTC
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

func (a *API) hashtag(v *service.TagView, signedIn bool) Hashtag {
	out := Hashtag{Name: v.Tag.Name, URL: a.svc.TagURL(v.Tag.Name), History: make([]TagHistory, 0, len(v.History))}
	if v.Tag.ID != 0 {
		out.ID = idStr(v.Tag.ID)
	}
	for _, d := range v.History {
		out.History = append(out.History, TagHistory{Day: strconv.FormatInt(d.Day.Unix(), 10),
			Uses: strconv.FormatInt(d.Uses, 10), Accounts: strconv.FormatInt(d.Accounts, 10)})
	}
	if signedIn {
		out.Following, out.Featuring = boolPtr(v.Following), boolPtr(v.Featuring)
	}
	return out
}

func (a *API) hashtags(views []*service.TagView, signedIn bool) []Hashtag {
	out := make([]Hashtag, 0, len(views))
	for _, v := range views {
		out = append(out, a.hashtag(v, signedIn))
	}
	return out
}

func (a *API) getTag(c *call) (any, error) {
	v, err := a.svc.Tag(c.ctx(), c.viewer(), c.r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return a.hashtag(v, c.viewer() != 0), nil
}

func (a *API) followTag(c *call) (any, error) {
	v, err := a.svc.FollowTag(c.ctx(), c.viewer(), c.r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return a.hashtag(v, true), nil
}

func (a *API) unfollowTag(c *call) (any, error) {
	v, err := a.svc.UnfollowTag(c.ctx(), c.viewer(), c.r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	return a.hashtag(v, true), nil
}

// followedTags pages the caller's followed hashtags by when they followed
// them (the Link header carries those IDs, not the tags').
func (a *API) followedTags(c *call) (any, error) {
	pg, err := c.params.Page(100, 200)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.FollowedTags(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	if len(l.RowIDs) > 0 {
		httpx.SetLink(c.w, c.r, a.cfg.BaseURL, l.RowIDs[len(l.RowIDs)-1], l.RowIDs[0])
	}
	return a.hashtags(l.Tags, true), nil
}

// trendingTags: limit (default 10, at most 20) and offset, as on Mastodon.
func (a *API) trendingTags(c *call) (any, error) {
	limit, err := c.params.Int("limit", 10, 1, 1<<30)
	if err != nil {
		return nil, err
	}
	offset, err := c.params.Int("offset", 0, 0, 1<<30)
	if err != nil {
		return nil, err
	}
	views, err := a.svc.TrendingTags(c.ctx(), c.viewer(), min(limit, 20), offset)
	if err != nil {
		return nil, err
	}
	return a.hashtags(views, c.viewer() != 0), nil
}
