package web

import (
	"strings"

	"weft/internal/service"
)

// search is GET /search?q=: local accounts, posts and hashtags, and for a
// signed-in member also @user@domain or a post's URL on another server,
// looked up there.
func (w *Web) search(q *req) error {
	query := strings.TrimSpace(q.r.URL.Query().Get("q"))
	d := w.data(q, "Search", "search")
	d["Query"] = query
	if query != "" {
		var viewer int64
		if q.me != nil {
			viewer = q.me.ID
		}
		res, err := w.svc.Search(q.r.Context(), viewer, service.Search{Query: query, Resolve: q.me != nil, Limit: 20})
		if err != nil {
			return err
		}
		var accounts []accountItem
		for _, a := range res.Accounts {
			accounts = append(accounts, w.account(a))
		}
		var tags []string
		for _, t := range res.Hashtags {
			tags = append(tags, t.Tag.Name)
		}
		d["Accounts"], d["Posts"], d["Tags"] = accounts, w.posts(res.Statuses, w.now()), tags
		d["Searched"] = true
	}
	return w.show(q, 0, "search", d)
}

// about is GET /about: what this server is, its rules.
func (w *Web) about(q *req) error {
	info := w.svc.InstanceInfo(q.r.Context())
	d := w.data(q, "About "+info.Name, "about")
	d["Description"], d["Domain"], d["Contact"], d["Rules"] = info.Description, w.cfg.Domain, w.cfg.ContactEmail, info.Rules
	return w.show(q, 0, "about", d)
}

// privacy is GET /privacy-policy (other servers, Threads among them, look
// for one before they federate).
func (w *Web) privacy(q *req) error {
	d := w.data(q, "Privacy policy", "about")
	d["Domain"], d["Contact"] = w.cfg.Domain, w.cfg.ContactEmail
	d["Policy"] = w.svc.InstanceInfo(q.r.Context()).PrivacyPolicy // "" shows the built-in one
	return w.show(q, 0, "privacy", d)
}
