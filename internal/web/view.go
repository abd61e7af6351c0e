package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"weft/internal/model"
	"weft/internal/service"
)

// What templates show of accounts and posts: plain values prepared here, so
// templates hold no logic beyond loops and conditions.

type accountItem struct {
	ID        string
	Name      string // display name, or the username
	Handle    string // the fediverse handle, @user@domain
	Acct      string // as Mastodon names it: @user here, @user@domain from elsewhere
	Path      string // the profile page here: /@user or /@user@domain
	Avatar    string
	Header    string
	Note      template.HTML // sanitised at storage (remote) or rendered by weft (local)
	Fields    []fieldItem
	Local     bool
	Locked    bool
	Bot       bool
	Sharing   bool   // a member sharing with the fediverse
	Origin    string // the server of a remote account
	RemoteURL string // its page there
	Followers int64
	Following int64
	Posts     int64
}

type fieldItem struct {
	Name  string
	Value template.HTML
}

type mediaItem struct {
	Type, URL, Preview, Alt string
	Width, Height           int
	Focus                   string // "x,y" in -1…1 (Mastodon's focal point), "" for the centre
}

type postItem struct {
	ID              string
	Path            string // the post's page here
	Author          accountItem
	BoostedBy       *accountItem
	Content         template.HTML
	SpoilerText     string
	Visibility      string
	VisibilityLabel string
	CreatedISO      string
	CreatedFull     string
	Ago             string
	Continues       bool   // the next part of its author's own thread, shown right under the part before
	ReplyTo         string // handle of the account answered
	ReplyToPath     string
	Origin          string // the server a remote post comes from
	Media           []mediaItem
	Replies         int64
	Boosts          int64
	Likes           int64
	Liked           bool
	Boosted         bool
	Bookmarked      bool
	Own             bool
	Shareable       bool // may be boosted (public or unlisted)
	InReplyToID     string
	Parts           []postItem // the rest of its author's own thread on the same feed page, in order
	Thread          []postItem // others' replies to it shown on the same feed page, under it
	URL             string     // where it lives: its page here, or on its server
	FilteredBy      string     // titles of the member's "warn" filters it matches: shown folded
}

// accountPath is an account's page here.
func accountPath(a *model.Account) string {
	if a.Local() {
		return "/@" + a.Username
	}
	return "/@" + a.Username + "@" + a.Domain
}

func (w *Web) handle(a *model.Account) string {
	if a.Local() {
		return "@" + a.Username + "@" + w.cfg.Domain
	}
	return "@" + a.Acct()
}

// imageURL makes a stored avatar or header URL absolute-path or default.
func imageURL(u, missing string) string {
	if u == "" {
		return missing
	}
	return u
}

func (w *Web) account(a *model.Account) accountItem {
	name := strings.TrimSpace(a.DisplayName)
	if name == "" {
		name = a.Username
	}
	it := accountItem{ID: strconv.FormatInt(a.ID, 10), Name: name, Handle: w.handle(a), Path: accountPath(a),
		Acct:   strings.TrimPrefix(accountPath(a), "/"),
		Avatar: imageURL(a.AvatarStaticURL, "/avatars/original/missing.png"), Header: a.HeaderURL,
		Note: template.HTML(a.NoteHTML), Local: a.Local(), Locked: a.Locked, Bot: a.Bot,
		Sharing: a.Local() && a.FediverseSharing, Followers: a.FollowersCount, Following: a.FollowingCount, Posts: a.StatusesCount}
	if !a.Local() {
		it.Origin, it.RemoteURL = a.Domain, a.URL
	}
	for _, f := range a.Fields {
		it.Fields = append(it.Fields, fieldItem{Name: f.Name, Value: template.HTML(f.ValueHTML)})
	}
	return it
}

var visibilityLabels = map[model.Visibility]string{
	model.Public: "Public", model.Unlisted: "Quiet public", model.Private: "Followers only", model.Direct: "Mentioned people only",
}

// post prepares a status (a boost shows the boosted post, with who boosted).
func (w *Web) post(v *service.StatusView, now time.Time) postItem {
	var by *accountItem
	if v.Reblog != nil {
		b := w.account(v.Account)
		by = &b
		v = v.Reblog
	}
	st := v.Status
	it := postItem{ID: strconv.FormatInt(st.ID, 10), Author: w.account(v.Account), BoostedBy: by,
		Content: localLinks(st.ContentHTML, v), SpoilerText: st.SpoilerText, Visibility: string(st.Visibility),
		VisibilityLabel: visibilityLabels[st.Visibility], CreatedISO: st.CreatedAt.UTC().Format(time.RFC3339),
		CreatedFull: st.CreatedAt.UTC().Format("2 Jan 2006 15:04 MST"), Ago: ago(now, st.CreatedAt),
		Replies: st.RepliesCount, Boosts: st.ReblogsCount, Likes: st.FavouritesCount,
		Liked: v.Favourited, Boosted: v.Reblogged, Bookmarked: v.Bookmarked, Own: v.Viewer != 0 && v.Viewer == st.AccountID,
		Shareable: st.Visibility == model.Public || st.Visibility == model.Unlisted}
	it.Path = it.Author.Path + "/" + it.ID
	it.URL = w.cfg.BaseURL + it.Path
	if !v.Account.Local() {
		it.Origin = v.Account.Domain
		if it.URL = st.URL; it.URL == "" {
			it.URL = st.URI
		}
	}
	if st.InReplyToID != 0 {
		it.InReplyToID = strconv.FormatInt(st.InReplyToID, 10)
	}
	if st.InReplyToAccountID != 0 {
		for _, m := range v.Mentions {
			if m.ID == st.InReplyToAccountID {
				it.ReplyTo, it.ReplyToPath = w.handle(m), accountPath(m)
			}
		}
		if it.ReplyTo == "" && st.InReplyToAccountID == st.AccountID {
			it.ReplyTo, it.ReplyToPath = it.Author.Handle, it.Author.Path
		}
	}
	for _, m := range st.Media {
		it.Media = append(it.Media, w.media(&m))
	}
	return it
}

func (w *Web) media(m *model.Media) mediaItem {
	it := mediaItem{Type: string(m.Kind), Alt: m.Description, Width: m.Width, Height: m.Height}
	if m.FocusX != 0 || m.FocusY != 0 {
		it.Focus = focusOf(m)
	}
	switch {
	case m.FileKey != "":
		it.URL = service.MediaURL(m.FileKey)
		it.Preview = it.URL
		if m.ThumbKey != "" {
			it.Preview = service.MediaURL(m.ThumbKey)
			it.Width, it.Height = m.ThumbWidth, m.ThumbHeight
		}
	case m.Kind == model.MediaUnknown:
		it.URL = m.RemoteURL
	default:
		it.URL = service.MediaURL("proxy/" + m.Token + "/original")
		it.Preview = service.MediaURL("proxy/" + m.Token + "/small")
	}
	return it
}

func (w *Web) posts(list []*service.StatusView, now time.Time) []postItem {
	out := make([]postItem, 0, len(list))
	for _, v := range list {
		out = append(out, w.post(v, now))
	}
	return out
}

// threaded nests a feed page's replies under their parents when both are on
// the page (the parent, older, comes later in the feed): a conversation
// reads as one, as on Threads; an author's replies to themselves follow
// the post in one column (Parts) instead. Boosts stay where they are.
func threaded(items []postItem) []postItem {
	index := map[string]int{}
	for i, it := range items {
		if it.BoostedBy == nil {
			index[it.ID] = i
		}
	}
	nested := make([]bool, len(items))
	// Oldest first, so a chain of replies nests in order.
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if it.BoostedBy != nil || it.InReplyToID == "" {
			continue
		}
		if p, ok := index[it.InReplyToID]; ok && p > i {
			nested[i] = true
		}
	}
	var build func(i int) postItem
	children := map[int][]int{}
	for i := range items {
		if nested[i] {
			p := index[items[i].InReplyToID]
			children[p] = append([]int{i}, children[p]...) // oldest reply first
		}
	}
	build = func(i int) postItem {
		it := items[i]
		for _, c := range children[i] {
			child := build(c)
			if !continues(child, it) {
				it.Thread = append(it.Thread, child)
				continue
			}
			// The author's own next part: one column, not a step in.
			parts := child.Parts
			child.Parts, child.Continues, child.ReplyTo, child.ReplyToPath = nil, true, "", ""
			it.Parts = append(append(it.Parts, child), parts...)
		}
		return it
	}
	out := make([]postItem, 0, len(items))
	for i := range items {
		if !nested[i] {
			out = append(out, build(i))
		}
	}
	return out
}

// ago is a short relative time, as Threads shows it.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case t.Year() == now.Year():
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

// toggleItem is a like, boost or bookmark button: a form that works
// without JavaScript (app.js submits it in the background). Like sits in
// the row of icons with its count; boost is an item of the repost menu,
// whose button shows the count; bookmark an item of the overflow menu.
type toggleItem struct {
	Action, CSRF, ReturnTo, Label string
	Kind                          string
	Icon                          template.HTML
	On, IconOnly, Counted         bool
	Count                         int64
}

// toggleFor is the button of one action on a post, for templates.
func toggleFor(data map[string]any, p postItem, kind string) toggleItem {
	csrf, _ := data["CSRF"].(string)
	back, _ := data["ReturnTo"].(string)
	t := toggleItem{CSRF: csrf, ReturnTo: back, Kind: kind}
	t.On, t.Count, t.Label, t.Action = toggleState(p.ID, kind, p)
	t.Icon = iconHTML(map[string]string{"like": "heart", "boost": "repeat-2", "bookmark": "bookmark"}[kind])
	t.IconOnly = kind == "like"
	t.Counted = kind == "like"
	return t
}

// HTML is the toggle's form. Three of them go with every post, so the form
// is written here rather than by a template: html/template's escaping
// costs a reflective call per value, and these forms were a third of the
// home page's render time. Every value is escaped as an attribute or text.
func (t toggleItem) HTML() template.HTML {
	var b strings.Builder
	b.Grow(512)
	esc := html.EscapeString
	b.WriteString(`<form method="post" action="` + esc(t.Action) + `" data-toggle="` + esc(t.Kind) + `">`)
	b.WriteString(`<input type="hidden" name="authenticity_token" value="` + esc(t.CSRF) + `">`)
	b.WriteString(`<input type="hidden" name="return_to" value="` + esc(t.ReturnTo) + `">`)
	b.WriteString("\n" + `<button type="submit" aria-pressed="` + strconv.FormatBool(t.On) + `">` + string(t.Icon))
	label := `<span class="label">`
	if t.IconOnly {
		label = `<span class="label sr-only">`
	}
	b.WriteString(label + esc(t.Label) + `</span>`)
	if t.Counted {
		b.WriteString(` <span class="count">`)
		if t.Count != 0 {
			b.WriteString(strconv.FormatInt(t.Count, 10))
		}
		b.WriteString(`</span>`)
	}
	b.WriteString(`</button></form>`)
	return template.HTML(b.String())
}

// toggleState is what a toggle shows and where it posts next.
func toggleState(id, kind string, p postItem) (on bool, count int64, label, action string) {
	switch kind {
	case "like":
		on, count = p.Liked, p.Likes
		label = map[bool]string{false: "Like", true: "Liked"}[on]
	case "boost":
		on, count = p.Boosted, p.Boosts
		label = map[bool]string{false: "Boost", true: "Undo boost"}[on]
	case "bookmark":
		on = p.Bookmarked
		label = map[bool]string{false: "Save", true: "Unsave"}[on]
	}
	verb := kind
	if on {
		verb = "un" + kind
	}
	return on, count, label, "/statuses/" + url.PathEscape(id) + "/" + verb
}
