package web

import (
	"strconv"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
)

// pageSize is how many posts a feed page shows.
const pageSize = 40

// cursor reads ?max_id= ("load more").
func cursor(q *req) model.Page {
	p := model.Page{Limit: pageSize}
	if id, err := strconv.ParseInt(q.r.URL.Query().Get("max_id"), 10, 64); err == nil && id > 0 {
		p.MaxID = id
	}
	return p
}

// moreLink is the "load more" link of a feed page, "" at the end.
func moreLink(path string, t service.Timeline, shown int) string {
	if t.NextMaxID == 0 || shown < pageSize {
		return "" // a page that is not full is the last one
	}
	return path + "?max_id=" + strconv.FormatInt(t.NextMaxID, 10)
}

// home is "/": a member's home feed, newest first, with the composer; the
// instance's landing page for visitors.
func (w *Web) home(q *req) error {
	if q.me == nil {
		return w.landing(q)
	}
	t, err := w.svc.HomeTimeline(q.r.Context(), q.me.ID, cursor(q))
	if err != nil {
		return err
	}
	posts, err := w.filtered(q, model.FilterHome, t.Statuses)
	if err != nil {
		return err
	}
	d := w.data(q, "Home", "home")
	d["Posts"] = threaded(posts)
	d["More"] = moreLink("/", t, len(t.Statuses))
	c := w.composer(q, w.quoteState(q))
	c["Compact"] = true // one line until it is used: the feed comes first
	d["Composer"] = c
	return w.show(q, 0, "home", d)
}

// fediverse is the feed of posts from followed accounts on other servers.
func (w *Web) fediverse(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	t, err := w.svc.HomeTimeline(q.r.Context(), q.me.ID, cursor(q))
	if err != nil {
		return err
	}
	var remote []*service.StatusView
	for _, v := range t.Statuses {
		if !v.Account.Local() || (v.Reblog != nil && !v.Reblog.Account.Local()) {
			remote = append(remote, v)
		}
	}
	posts, err := w.filtered(q, model.FilterHome, remote)
	if err != nil {
		return err
	}
	d := w.data(q, "Fediverse", "fediverse")
	d["Posts"] = posts
	d["More"] = moreLink("/fediverse", t, len(t.Statuses))
	d["Intro"] = "Posts from the people you follow on other servers: Mastodon, Threads and the rest of the fediverse."
	d["Empty"] = "Nothing from other servers yet. To follow someone on Mastodon, Threads or another server, look up their handle (like @name@mastodon.social) in Search and follow them."
	if !q.me.FediverseSharing {
		d["Empty"] = d["Empty"].(string) + " Following across servers needs fediverse sharing on (Settings → Fediverse sharing)."
	}
	return w.show(q, 0, "feed", d)
}

// landing is what visitors see at "/": what this place is, how to join,
// and the latest public posts made here.
func (w *Web) landing(q *req) error {
	t, err := w.svc.PublicTimeline(q.r.Context(), 0, store.LocalOnly, model.Page{Limit: 20})
	if err != nil {
		return err
	}
	info := w.svc.InstanceInfo(q.r.Context())
	d := w.data(q, info.Name, "landing")
	d["Description"] = info.Description
	if info.PublicFeedHidden {
		t = service.Timeline{}
	}
	d["Domain"] = w.cfg.Domain
	d["Posts"] = w.posts(t.Statuses, w.now())
	return w.show(q, 0, "landing", d)
}

// public is the local public feed (Explore); visitors see it unless the
// admins keep it for members.
func (w *Web) public(q *req) error {
	var viewer int64
	if q.me != nil {
		viewer = q.me.ID
	} else if w.svc.InstanceInfo(q.r.Context()).PublicFeedHidden {
		return errSignIn
	}
	t, err := w.svc.PublicTimeline(q.r.Context(), viewer, store.LocalOnly, cursor(q))
	if err != nil {
		return err
	}
	posts, err := w.filtered(q, model.FilterPublic, t.Statuses)
	if err != nil {
		return err
	}
	d := w.data(q, "Explore", "public")
	d["Posts"] = threaded(posts)
	d["More"] = moreLink(q.r.URL.Path, t, len(t.Statuses))
	d["Intro"] = "Public posts from people on " + w.cfg.Domain + ", newest first."
	if cursor(q).MaxID == 0 { // the first page leads with what is trending
		d["Trending"], err = w.trending(q, viewer)
		if err != nil {
			return err
		}
	}
	return w.show(q, 0, "feed", d)
}

// trendItem is a hashtag of the week, with how many people used it.
type trendItem struct {
	Name   string
	People int64
}

// maxTrends is how many trending hashtags Explore shows.
const maxTrends = 10

// trending is the week's hashtags by how many people used them (the days'
// distinct authors added up, as Mastodon's trends count them).
func (w *Web) trending(q *req, viewer int64) ([]trendItem, error) {
	tags, err := w.svc.TrendingTags(q.r.Context(), viewer, maxTrends, 0)
	if err != nil {
		return nil, err
	}
	out := make([]trendItem, 0, len(tags))
	for _, t := range tags {
		it := trendItem{Name: t.Tag.Name}
		for _, day := range t.History {
			it.People += day.Accounts
		}
		out = append(out, it)
	}
	return out, nil
}

// quoteState starts the composer with a link to the post named by ?quote=
// (the "Quote" action): the post quoted is one the member may see.
func (w *Web) quoteState(q *req) composerState {
	id, err := strconv.ParseInt(q.r.URL.Query().Get("quote"), 10, 64)
	if err != nil {
		return composerState{}
	}
	v, err := w.svc.Status(q.r.Context(), q.me.ID, id)
	if err != nil || v.Reblog != nil {
		return composerState{}
	}
	return composerState{Parts: []composerPart{{Text: "\n\n" + w.post(v, w.now()).URL}}, Autofocus: true}
}
