package mastodon

import (
	"weft/internal/model"
	"weft/internal/service"
)

// Status is Mastodon's Status entity.
type Status struct {
	ID                 string       `json:"id"`
	URI                string       `json:"uri"`
	URL                *string      `json:"url"`
	CreatedAt          string       `json:"created_at"`
	EditedAt           *string      `json:"edited_at"`
	Account            Account      `json:"account"`
	Content            string       `json:"content"`
	Text               *string      `json:"text,omitempty"` // source text: only on delete (redraft) and source
	Visibility         string       `json:"visibility"`
	Sensitive          bool         `json:"sensitive"`
	SpoilerText        string       `json:"spoiler_text"`
	MediaAttachments   []any        `json:"media_attachments"`
	Application        *Application `json:"application"`
	Mentions           []Mention    `json:"mentions"`
	Tags               []Tag        `json:"tags"`
	Emojis             []any        `json:"emojis"`
	ReblogsCount       int64        `json:"reblogs_count"`
	FavouritesCount    int64        `json:"favourites_count"`
	RepliesCount       int64        `json:"replies_count"`
	InReplyToID        *string      `json:"in_reply_to_id"`
	InReplyToAccountID *string      `json:"in_reply_to_account_id"`
	Reblog             *Status      `json:"reblog"`
	Poll               any          `json:"poll"`
	Card               any          `json:"card"`
	Language           *string      `json:"language"`
	Favourited         *bool        `json:"favourited,omitempty"`
	Reblogged          *bool        `json:"reblogged,omitempty"`
	Muted              *bool        `json:"muted,omitempty"`
	Bookmarked         *bool        `json:"bookmarked,omitempty"`
	Pinned             *bool        `json:"pinned,omitempty"`
	Filtered           []any        `json:"filtered,omitempty"`
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
	st := v.Status
	out := Status{
		ID: idStr(st.ID), URI: a.statusURI(st, v.Account), CreatedAt: timestamp(st.CreatedAt),
		EditedAt: timestampPtr(st.EditedAt), Account: a.account(v.Account), Content: st.ContentHTML,
		Visibility: string(st.Visibility), Sensitive: st.Sensitive, SpoilerText: st.SpoilerText,
		MediaAttachments: []any{}, Mentions: []Mention{}, Tags: []Tag{}, Emojis: []any{},
		ReblogsCount: st.ReblogsCount, FavouritesCount: st.FavouritesCount, RepliesCount: st.RepliesCount,
		InReplyToID: idPtr(st.InReplyToID), InReplyToAccountID: idPtr(st.InReplyToAccountID),
	}
	if !st.IsReblog() {
		u := a.svc.StatusURL(st, v.Account)
		out.URL = &u
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
	if v.Reblog != nil {
		r := a.status(v.Reblog, signedIn)
		out.Reblog = &r
		out.Content = ""
	}
	if signedIn {
		out.Favourited, out.Reblogged, out.Muted = boolPtr(v.Favourited), boolPtr(v.Reblogged), boolPtr(v.Muted)
		out.Bookmarked, out.Pinned = boolPtr(v.Bookmarked), boolPtr(v.Pinned)
		out.Filtered = []any{}
		if v.Reblog != nil { // a boost shows the viewer's flags of the boosted post
			out.Favourited, out.Reblogged = boolPtr(v.Reblog.Favourited), boolPtr(v.Reblog.Reblogged)
			out.Bookmarked = boolPtr(v.Reblog.Bookmarked)
		}
	}
	return out
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

// statuses renders a list.
func (a *API) statuses(views []*service.StatusView, signedIn bool) []Status {
	out := make([]Status, 0, len(views))
	for _, v := range views {
		out = append(out, a.status(v, signedIn))
	}
	return out
}
