package web

import (
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// search is GET /search?q=: local accounts, posts and hashtags, and for a
// signed-in member also @user@domain or a post's URL on another server,
// looked up there.
func (w *Web) search(q *req) error {
	query := strings.TrimSpace(q.r.URL.Query().Get("q"))
	kind := q.r.URL.Query().Get("type")
	limit := 20
	switch kind {
	case "":
	case service.SearchTypeAccounts, service.SearchTypeStatuses, service.SearchTypeHashtags:
		limit = 40 // one kind: a longer list of it
	default:
		return model.NotFound("search type")
	}
	d := w.data(q, "Search", "search")
	d["Query"], d["Type"] = query, kind
	d["Tabs"] = searchTabs
	if query != "" {
		var viewer int64
		if q.me != nil {
			viewer = q.me.ID
		}
		res, err := w.svc.Search(q.r.Context(), viewer, service.Search{Query: query, Type: kind, Resolve: q.me != nil, Limit: limit})
		if err != nil {
			return err
		}
		people, err := w.people(q, res.Accounts)
		if err != nil {
			return err
		}
		// Only hashtags that posts use: the search also offers the name
		// typed when it is a valid one (apps let one follow it), which
		// here would be a result for any word.
		var tags []string
		for _, t := range res.Hashtags {
			if t.Tag.ID != 0 {
				tags = append(tags, t.Tag.Name)
			}
		}
		d["Accounts"], d["Posts"], d["Tags"] = people, w.posts(res.Statuses, w.now()), tags
		d["Searched"] = true
	}
	return w.show(q, 0, "search", d)
}

// searchTabs narrow a search to one kind of result, as Mastodon's and
// Threads' search do.
var searchTabs = []struct{ Type, Label string }{
	{"", "All"}, {service.SearchTypeAccounts, "People"}, {service.SearchTypeStatuses, "Posts"}, {service.SearchTypeHashtags, "Hashtags"},
}

// person is someone in a list of people, with the member's Follow button.
type person struct {
	Account     accountItem
	Verb, Label string // the follow button's: "" for the member themself or a visitor
}

// people turns accounts into a list with Follow, Unfollow or Cancel follow
// request buttons, from the member's relationships with them (one query).
func (w *Web) people(q *req, accounts []*model.Account) ([]person, error) {
	out := make([]person, len(accounts))
	var ids []int64
	for i, a := range accounts {
		out[i].Account = w.account(a)
		if q.me != nil && a.ID != q.me.ID {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	rels, err := w.svc.Relationships(q.r.Context(), q.me.ID, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]model.Relationship, len(rels))
	for _, r := range rels {
		byID[r.ID] = r
	}
	for i, a := range accounts {
		r, ok := byID[a.ID]
		switch {
		case !ok:
		case r.Following:
			out[i].Verb, out[i].Label = "unfollow", "Unfollow"
		case r.Requested:
			out[i].Verb, out[i].Label = "unfollow", "Cancel follow request"
		case !r.Blocking && !r.BlockedBy:
			out[i].Verb, out[i].Label = "follow", "Follow"
		}
	}
	return out, nil
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
