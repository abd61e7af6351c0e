package mastodon

import (
	"weft/internal/service"
)

// StatusEdit is Mastodon's StatusEdit entity: one version of a post.
type StatusEdit struct {
	Content          string  `json:"content"`
	SpoilerText      string  `json:"spoiler_text"`
	Sensitive        bool    `json:"sensitive"`
	CreatedAt        string  `json:"created_at"`
	Account          Account `json:"account"`
	Poll             any     `json:"poll"`
	MediaAttachments []any   `json:"media_attachments"`
	Emojis           []any   `json:"emojis"`
}

// StatusSource is Mastodon's StatusSource entity: what an editor starts from.
type StatusSource struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

// editStatus changes a post's text, content warning, sensitive flag and
// language. Visibility and the reply target stay, as on Mastodon.
func (a *API) editStatus(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	p := c.params
	sensitive, _, err := p.Bool("sensitive")
	if err != nil {
		return nil, err
	}
	if err := unsupported(p); err != nil {
		return nil, err
	}
	in := service.EditInput{Text: p.String("status"), SpoilerText: p.String("spoiler_text"), Sensitive: sensitive,
		Language: p.String("language")}
	v, err := a.svc.EditPostIfChanged(c.ctx(), c.viewer(), id, in)
	if err != nil {
		return nil, notYours(err)
	}
	return a.status(v, true), nil
}

// statusHistory lists a post's versions, oldest first; a post never edited
// has one, itself.
func (a *API) statusHistory(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	edits, author, err := a.svc.StatusHistory(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	acc := a.account(author)
	out := make([]StatusEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, StatusEdit{Content: e.ContentHTML, SpoilerText: e.SpoilerText, Sensitive: e.Sensitive,
			CreatedAt: timestamp(e.CreatedAt), Account: acc, MediaAttachments: []any{}, Emojis: []any{}})
	}
	return out, nil
}

// statusSource gives the source of one of the caller's posts, for editing.
func (a *API) statusSource(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	st, err := a.svc.StatusSource(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, notYours(err)
	}
	return StatusSource{ID: idStr(st.ID), Text: st.Text, SpoilerText: st.SpoilerText}, nil
}
