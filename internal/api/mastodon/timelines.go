package mastodon

import (
	"net/http"

	"weft/internal/httpx"
	"weft/internal/service"
)

func (a *API) timelineRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/timelines/home", userScope("read:statuses"), a.homeTimeline)
}

// page renders a timeline and sets its Link header.
func (a *API) page(c *call, t service.Timeline) any {
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, t.NextMaxID, t.PrevMinID)
	return a.statuses(t.Statuses, c.viewer() != 0)
}

func (a *API) homeTimeline(c *call) (any, error) {
	pg, err := c.params.Page(20, 40)
	if err != nil {
		return nil, err
	}
	t, err := a.svc.HomeTimeline(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	return a.page(c, t), nil
}
