package mastodon

import (
	"net/http"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
)

func (a *API) timelineRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/timelines/home", userScope("read:statuses"), a.homeTimeline)
	// Public and hashtag timelines are open to everyone; a token, if sent,
	// must have read:statuses (Mastodon's authorize_if_got_token!).
	a.route(mux, "GET /api/v1/timelines/public", ifToken("read:statuses"), a.publicTimeline)
	a.route(mux, "GET /api/v1/timelines/tag/{hashtag}", ifToken("read:statuses"), a.tagTimeline)
	a.route(mux, "GET /api/v1/timelines/list/{id}", userScope("read:lists"), a.listTimeline)
	a.route(mux, "GET /api/v1/bookmarks", userScope("read:bookmarks"), a.bookmarks)
	a.route(mux, "GET /api/v1/favourites", userScope("read:favourites"), a.favourites)
	// The other reading groups of this file's family register here, since
	// Routes lists one function per original group.
	a.listRoutes(mux)
	a.conversationRoutes(mux)
	a.tagRoutes(mux)
}

// page renders a timeline and sets its Link header.
func (a *API) page(c *call, t service.Timeline) any {
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, t.NextMaxID, t.PrevMinID)
	return a.statuses(t.Statuses, c.viewer() != 0)
}

// timelinePage reads the pagination parameters of a status timeline.
func timelinePage(c *call) (model.Page, error) {
	return c.params.Page(model.DefaultLimit, model.MaxLimit)
}

func (a *API) homeTimeline(c *call) (any, error) {
	pg, err := timelinePage(c)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.HomeTimeline(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	return a.filteredPage(c, t, model.FilterHome)
}

// publicFilter reads local, remote and only_media. Both local and remote
// set is the same as neither, as on Mastodon.
func publicFilter(c *call) (f store.PublicFilter, err error) {
	local, _, err := c.params.Bool("local")
	if err != nil {
		return f, err
	}
	remote, _, err := c.params.Bool("remote")
	if err != nil {
		return f, err
	}
	if f.OnlyMedia, _, err = c.params.Bool("only_media"); err != nil {
		return f, err
	}
	switch {
	case local && !remote:
		f.Scope = store.LocalOnly
	case remote && !local:
		f.Scope = store.RemoteOnly
	}
	return f, nil
}

func (a *API) publicTimeline(c *call) (any, error) {
	pg, err := timelinePage(c)
	if err != nil {
		return nil, err
	}
	f, err := publicFilter(c)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.FilteredPublicTimeline(c.ctx(), c.viewer(), f, pg)
	if err != nil {
		return nil, err
	}
	return a.filteredPage(c, t, model.FilterPublic)
}

func (a *API) tagTimeline(c *call) (any, error) {
	pg, err := timelinePage(c)
	if err != nil {
		return nil, err
	}
	f, err := publicFilter(c)
	if err != nil {
		return nil, err
	}
	o := service.TagTimelineOptions{Any: c.params.Strings("any"), All: c.params.Strings("all"), None: c.params.Strings("none")}
	t, err := a.svc.TaggedTimeline(c.ctx(), c.viewer(), c.r.PathValue("hashtag"), o, f, pg)
	if err != nil {
		return nil, err
	}
	return a.filteredPage(c, t, model.FilterPublic)
}

func (a *API) listTimeline(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	pg, err := timelinePage(c)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.ListTimeline(c.ctx(), c.viewer(), id, pg)
	if err != nil {
		return nil, err
	}
	return a.filteredPage(c, t, model.FilterHome)
}

// bookmarks and favourites page by when the post was bookmarked or liked:
// their Link headers carry the IDs of those rows, not of the posts.
func (a *API) bookmarks(c *call) (any, error) {
	pg, err := timelinePage(c)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.Bookmarks(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	return a.page(c, t), nil
}

func (a *API) favourites(c *call) (any, error) {
	pg, err := timelinePage(c)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.Favourites(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	return a.page(c, t), nil
}
