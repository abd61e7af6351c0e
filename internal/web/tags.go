package web

import (
	"net/url"
	"strings"

	"weft/internal/model"
	"weft/internal/store"
)

// tag is GET /tags/{name}: the public posts with a hashtag, local and from
// the fediverse (where hashtag links in posts lead).
func (w *Web) tag(q *req) error {
	name := strings.TrimPrefix(q.r.PathValue("name"), "#")
	if name == "" {
		return model.NotFound("tag")
	}
	var viewer int64
	if q.me != nil {
		viewer = q.me.ID
	}
	t, err := w.svc.TagTimeline(q.r.Context(), viewer, name, store.AllOrigins, cursor(q))
	if err != nil {
		return err
	}
	posts, err := w.filtered(q, model.FilterPublic, t.Statuses)
	if err != nil {
		return err
	}
	d := w.data(q, "#"+name, "")
	d["Posts"] = posts
	d["More"] = moreLink("/tags/"+url.PathEscape(name), t, len(t.Statuses))
	d["Intro"] = "Public posts with #" + name + " on this server and from the people it follows on the fediverse."
	return w.show(q, 0, "feed", d)
}
