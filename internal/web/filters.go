package web

import (
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// filtered applies the member's filters (muted words) for a context, as
// the client API does: posts a "hide" filter matches are left out; those a
// "warn" filter matches are shown folded behind the filter's title.
func (w *Web) filtered(q *req, fc model.FilterContext, views []*service.StatusView) ([]postItem, error) {
	now := w.now()
	if q.me == nil {
		return w.posts(views, now), nil
	}
	verdicts, err := w.svc.ApplyFilters(q.r.Context(), q.me.ID, fc, views)
	if err != nil {
		return nil, err
	}
	out := make([]postItem, 0, len(views))
	for _, v := range views {
		if verdicts.Hidden[v.Status.ID] {
			continue
		}
		it := w.post(v, now)
		var titles []string
		for _, r := range verdicts.Results[v.Status.ID] {
			titles = append(titles, r.Filter.Title)
		}
		it.FilteredBy = strings.Join(titles, ", ")
		out = append(out, it)
	}
	return out, nil
}
