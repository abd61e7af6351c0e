package mastodon

import (
	"weft/internal/model"
	"weft/internal/service"
)

// Status is Mastodon's Status entity. It is built of three parts so that
// lists can be rendered from cached JSON (status_json.go): the author, the
// body (the same for every viewer; cached per status revision), and the
// viewer's own flags.
type Status struct {
	Account Account `json:"account"`
	StatusBody
	Reblog       *Status `json:"reblog"`
	*ViewerFlags         // nil for anonymous viewers: then none of its fields is there
}

// StatusBody is the part of a Status that is the same for every viewer.
type StatusBody struct {
	ID                 string            `json:"id"`
	URI                string            `json:"uri"`
	URL                *string           `json:"url"`
	CreatedAt          string            `json:"created_at"`
	EditedAt           *string           `json:"edited_at"`
	Content            string            `json:"content"`
	Text               *string           `json:"text,omitempty"` // source text: only on delete (redraft) and source
	Visibility         string            `json:"visibility"`
	Sensitive          bool              `json:"sensitive"`
	SpoilerText        string            `json:"spoiler_text"`
	MediaAttachments   []MediaAttachment `json:"media_attachments"`
	Application        *Application      `json:"application"`
	Mentions           []Mention         `json:"mentions"`
	Tags               []Tag             `json:"tags"`
	Emojis             []any             `json:"emojis"`
	ReblogsCount       int64             `json:"reblogs_count"`
	FavouritesCount    int64             `json:"favourites_count"`
	RepliesCount       int64             `json:"replies_count"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Poll               any               `json:"poll"`
	Card               any               `json:"card"`
	Language           *string           `json:"language"`
}

// ViewerFlags are the signed-in viewer's own relation to a status; absent
// for anonymous viewers, as on Mastodon.
type ViewerFlags struct {
	Favourited bool  `json:"favourited"`
	Reblogged  bool  `json:"reblogged"`
	Muted      bool  `json:"muted"`
	Bookmarked bool  `json:"bookmarked"`
	Pinned     *bool `json:"pinned,omitempty"` // only on the viewer's own pinnable posts
	Filtered   []any `json:"filtered"`         // the viewer's filter results; [] when none
}

// Application names the app a status was posted with.
type Application struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

// Mention is a mentioned account inside a status.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// Tag is a hashtag inside a status.
type Tag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// status renders a status as the viewer sees it. The viewer's own flags
// (favourited …) appear only for signed-in viewers, as on Mastodon.
func (a *API) status(v *service.StatusView, signedIn bool) Status {
	out := Status{Account: a.account(v.Account), StatusBody: a.statusBody(v)}
	if v.Reblog != nil {
		r := a.status(v.Reblog, signedIn)
		out.Reblog = &r
	}
	if signedIn {
		f := viewerFlags(v)
		out.ViewerFlags = &f
	}
	return out
}

// statusBody renders the viewer-independent part of a status.
func (a *API) statusBody(v *service.StatusView) StatusBody {
	st := v.Status
	out := StatusBody{
		ID: idStr(st.ID), URI: a.statusURI(st, v.Account), CreatedAt: timestamp(st.CreatedAt),
		EditedAt: timestampPtr(st.EditedAt), Content: st.ContentHTML,
		Visibility: string(st.Visibility), Sensitive: st.Sensitive, SpoilerText: st.SpoilerText,
		MediaAttachments: a.mediaAttachments(st.Media), Mentions: []Mention{}, Tags: []Tag{}, Emojis: []any{},
		ReblogsCount: st.ReblogsCount, FavouritesCount: st.FavouritesCount, RepliesCount: st.RepliesCount,
		InReplyToID: idPtr(st.InReplyToID), InReplyToAccountID: idPtr(st.InReplyToAccountID),
	}
	if !st.IsReblog() {
		u := a.svc.StatusURL(st, v.Account)
		out.URL = &u
	} else {
		out.Content = "" // a boost has no content of its own
	}
	if st.Language != "" {
		l := st.Language
		out.Language = &l
	}
	for _, m := range v.Mentions {
		out.Mentions = append(out.Mentions, Mention{ID: idStr(m.ID), Username: m.Username, URL: a.svc.AccountURL(m), Acct: m.Acct()})
	}
	for _, t := range st.Tags {
		out.Tags = append(out.Tags, Tag{Name: t, URL: a.svc.TagURL(t)})
	}
	return out
}

// viewerFlags are the signed-in viewer's flags. A boost shows the viewer's
// flags of the boosted post. pinned is there only on the viewer's own posts
// that can be pinned, as on Mastodon.
func viewerFlags(v *service.StatusView) ViewerFlags {
	f := ViewerFlags{Favourited: v.Favourited, Reblogged: v.Reblogged, Muted: v.Muted,
		Bookmarked: v.Bookmarked, Filtered: []any{}}
	if v.Reblog != nil {
		f.Favourited, f.Reblogged, f.Bookmarked = v.Reblog.Favourited, v.Reblog.Reblogged, v.Reblog.Bookmarked
	}
	if pinnable(v) {
		f.Pinned = boolPtr(v.Pinned)
	}
	return f
}

// pinnable: the viewer's own post (not a boost), public, unlisted or
// followers-only.
func pinnable(v *service.StatusView) bool {
	st := v.Status
	return v.Viewer != 0 && v.Viewer == st.AccountID && !st.IsReblog() &&
		(st.Visibility == model.Public || st.Visibility == model.Unlisted || st.Visibility == model.Private)
}

func boolPtr(b bool) *bool { return &b }

// statusURI is a status's ActivityPub ID.
func (a *API) statusURI(st *model.Status, author *model.Account) string {
	if !st.Local {
		return st.URI
	}
	if st.IsReblog() {
		return a.cfg.BaseURL + "/users/" + author.Username + "/statuses/" + idStr(st.ID) + "/activity"
	}
	return a.cfg.BaseURL + "/users/" + author.Username + "/statuses/" + idStr(st.ID)
}
