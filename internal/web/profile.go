package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/text"
)

// at dispatches the pages under "/@": a profile (/@user, /@user@domain)
// and a post (/@user/123). ServeMux patterns cannot match "@" inside a
// segment, so the catch-all route sends them here.
func (w *Web) at(q *req) error {
	rest, ok := strings.CutPrefix(q.r.URL.Path, "/@")
	if !ok || rest == "" {
		return model.NotFound("page")
	}
	acct, id, hasID := strings.Cut(rest, "/")
	// A server that looks up a local profile or post page as ActivityPub
	// (it found the address in a post's url) gets the document's address,
	// as the same URL gives it on Mastodon.
	if accept := q.r.Header.Get("Accept"); !strings.Contains(acct, "@") &&
		(strings.Contains(accept, "application/activity+json") || strings.Contains(accept, "application/ld+json")) {
		target := "/users/" + url.PathEscape(acct)
		if hasID {
			target += "/statuses/" + url.PathEscape(id)
		}
		q.rw.Header().Add("Vary", "Accept")
		http.Redirect(q.rw, q.r, target, http.StatusFound)
		return nil
	}
	q.rw.Header().Add("Vary", "Accept")
	if !hasID {
		return w.profile(q, acct)
	}
	id, sub, _ := strings.Cut(id, "/")
	statusID, err := strconv.ParseInt(id, 10, 64)
	switch {
	case err != nil:
		return model.NotFound("post")
	case sub == "edit":
		return w.editPage(q, statusID)
	case sub != "":
		return model.NotFound("page")
	}
	return w.postPage(q, acct, statusID)
}

// findAccount finds the account of a handle (user, user@domain). A handle
// on another server not known here is looked up there for a signed-in
// member, as the search does.
func (w *Web) findAccount(q *req, acct string) (*model.Account, error) {
	var viewer int64
	if q.me != nil {
		viewer = q.me.ID
	}
	a, err := w.svc.LookupAccount(q.r.Context(), viewer, acct)
	if err == nil || q.me == nil || !strings.Contains(acct, "@") || !isNotFound(err) {
		return a, err
	}
	res, serr := w.svc.Search(q.r.Context(), viewer, service.Search{Query: "@" + acct, Type: service.SearchTypeAccounts, Resolve: true, Limit: 1})
	if serr != nil || len(res.Accounts) == 0 {
		return nil, err
	}
	return res.Accounts[0], nil
}

// profile is an account's page: header, bio, fields, counts, the
// relationship buttons, and the posts / replies / media tabs.
func (w *Web) profile(q *req, acct string) error {
	a, err := w.findAccount(q, acct)
	if err != nil {
		return err
	}
	if canonical := accountPath(a); canonical != q.r.URL.Path {
		http.Redirect(q.rw, q.r, canonical+queryOf(q.r), http.StatusMovedPermanently)
		return nil
	}
	var viewer int64
	if q.me != nil {
		viewer = q.me.ID
	}
	tab := q.r.URL.Query().Get("tab")
	o := service.AccountTimelineOptions{ExcludeReplies: true, PinnedFirst: true}
	switch tab {
	case "replies":
		o = service.AccountTimelineOptions{OnlyReplies: true}
	case "media":
		o = service.AccountTimelineOptions{OnlyMedia: true}
	default:
		tab = ""
	}
	t, err := w.svc.AccountTimeline(q.r.Context(), viewer, a.ID, o, cursor(q))
	if err != nil {
		return err
	}
	list := t.Statuses
	nav := ""
	if q.me != nil && q.me.ID == a.ID {
		nav = "profile"
	}
	item := w.account(a)
	d := w.data(q, item.Name+" ("+item.Handle+")", nav)
	d["Account"] = item
	d["Tab"] = tab
	posts, err := w.filtered(q, model.FilterAccount, list)
	if err != nil {
		return err
	}
	if tab == "" {
		posts = threaded(posts) // a thread's parts in reading order, as on the home feed
	}
	d["Posts"] = posts
	more := accountPath(a)
	if tab != "" {
		more += "?tab=" + tab + "&"
	} else {
		more += "?"
	}
	if t.NextMaxID != 0 && len(t.Statuses) >= pageSize {
		d["More"] = more + "max_id=" + strconv.FormatInt(t.NextMaxID, 10)
	}
	if q.me != nil && q.me.ID != a.ID {
		rel, err := w.svc.Relationship(q.r.Context(), q.me.ID, a.ID)
		if err != nil {
			return err
		}
		d["Rel"] = rel
	}
	d["Own"] = q.me != nil && q.me.ID == a.ID
	d["ProfileURL"] = w.cfg.BaseURL + accountPath(a)
	return w.show(q, 0, "profile", d)
}

func queryOf(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return "?" + r.URL.RawQuery
}

// postPage is a post with its whole thread: the posts above it, the post,
// and the replies below as a tree (deep branches folded), with a reply box.
func (w *Web) postPage(q *req, acct string, id int64) error {
	var viewer int64
	if q.me != nil {
		viewer = q.me.ID
	}
	v, err := w.svc.Status(q.r.Context(), viewer, id)
	if err != nil {
		return err
	}
	if v.Reblog != nil {
		return model.NotFound("post") // a boost has no page of its own
	}
	if canonical := accountPath(v.Account) + "/" + strconv.FormatInt(id, 10); canonical != q.r.URL.Path {
		http.Redirect(q.rw, q.r, canonical, http.StatusMovedPermanently)
		return nil
	}
	c, err := w.svc.StatusContext(q.r.Context(), viewer, id)
	if err != nil {
		return err
	}
	now := w.now()
	focus := w.post(v, now)
	d := w.data(q, focus.Author.Name+": "+excerpt(v.Status.Text, v.Status.ContentHTML), "")
	// The member's thread filters apply around the post, not to it.
	ancestors, err := w.filtered(q, model.FilterThread, c.Ancestors)
	if err != nil {
		return err
	}
	// A part of someone's own thread shown right under the part before
	// needs no "Replying to" line.
	for i := range ancestors {
		if i > 0 && continues(ancestors[i], ancestors[i-1]) {
			ancestors[i].ReplyTo, ancestors[i].ReplyToPath = "", ""
		}
	}
	if n := len(ancestors); n > 0 && continues(focus, ancestors[n-1]) {
		focus.ReplyTo, focus.ReplyToPath = "", ""
	}
	d["Ancestors"], d["Post"] = ancestors, focus
	if c.Tree != nil {
		below, err := w.filtered(q, model.FilterThread, c.Descendants)
		if err != nil {
			return err
		}
		shown := make(map[int64]postItem, len(below))
		for _, p := range below {
			id, _ := strconv.ParseInt(p.ID, 10, 64)
			shown[id] = p
		}
		// The author's own continuation (a thread written as replies to
		// itself) reads as one column under the post, as on Threads;
		// everyone else's replies nest under the part they answer.
		parts, replies := w.selfThread(c.Tree, v.Account.ID, shown)
		d["Parts"], d["Replies"] = parts, replies
	}
	if !v.Account.Local() {
		d["RemoteURL"] = v.Status.URL
	}
	if q.me != nil {
		d["Composer"] = w.composer(q, composerState{ReplyTo: id, Visibility: replyVisibility(v.Status.Visibility)})
	}
	return w.show(q, 0, "post", d)
}

// replyVisibility: a reply is not wider than what it answers.
func replyVisibility(parent model.Visibility) model.Visibility {
	if parent == model.Private || parent == model.Direct {
		return parent
	}
	return model.Public
}

// continues tells a post that answers the post before it by its own author.
func continues(p, before postItem) bool {
	return p.InReplyToID == before.ID && p.Author.ID == before.Author.ID
}

// threadReplies are the replies to one part of a thread.
type threadReplies struct {
	Part    int    // 1 for the post itself
	Excerpt string // of the part, when it is not the first
	Nodes   []node
}

// selfThread follows the author's own continuation below the post shown:
// at each step the oldest reply the author wrote to the part before. It
// returns those parts, in order, without their "Replying to" line (they
// read as one), and everyone else's replies grouped by the part they answer.
func (w *Web) selfThread(root *service.ThreadNode, authorID int64, shown map[int64]postItem) ([]postItem, []threadReplies) {
	var parts []postItem
	var replies []threadReplies
	cur := root
	for n := 1; cur != nil; n++ {
		var next *service.ThreadNode
		others := make([]*service.ThreadNode, 0, len(cur.Children))
		for _, ch := range cur.Children {
			if _, visible := shown[ch.StatusID]; next == nil && visible && ch.View != nil && ch.View.Account.ID == authorID {
				next = ch
				continue
			}
			others = append(others, ch)
		}
		if nodes := w.treeAt(others, 0, shown); len(nodes) > 0 {
			r := threadReplies{Part: n, Nodes: nodes}
			if n > 1 {
				r.Excerpt = excerpt(cur.View.Status.Text, cur.View.Status.ContentHTML)
			}
			replies = append(replies, r)
		}
		if next != nil {
			p := shown[next.StatusID]
			p.ReplyTo, p.ReplyToPath = "", ""
			parts = append(parts, p)
		}
		cur = next
	}
	return parts, replies
}

// node is one reply in the thread tree.
type node struct {
	Post     *postItem // nil: a reply the viewer may not see, kept for its visible replies
	Children []node
	Fold     bool // deep branches start folded
}

// foldDepth is the depth from which branches start folded.
const foldDepth = 3

// treeAt prepares the replies below a post; shown holds the replies the
// member's filters let through (others stay as empty nodes when they have
// replies of their own, and go when they have none).
func (w *Web) treeAt(children []*service.ThreadNode, depth int, shown map[int64]postItem) []node {
	out := make([]node, 0, len(children))
	for _, c := range children {
		n := node{Children: w.treeAt(c.Children, depth+1, shown), Fold: depth+1 >= foldDepth && len(c.Children) > 0}
		if p, ok := shown[c.StatusID]; ok && c.View != nil {
			n.Post = &p
		}
		if n.Post == nil && len(n.Children) == 0 {
			continue
		}
		out = append(out, n)
	}
	return out
}

// excerpt is the start of a post, for the page title.
func excerpt(source, html string) string {
	s := strings.Join(strings.Fields(source), " ")
	if s == "" {
		s = strings.Join(strings.Fields(text.HTMLToText(html)), " ")
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

func isNotFound(err error) bool { return errors.Is(err, model.ErrNotFound) }
