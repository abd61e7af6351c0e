package mastodon

import (
	"strconv"
	"strings"

	"weft/internal/model"
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
	MediaAttachments []any   `json:"media_attachments"` // versions keep no media of their own yet
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
	// media_ids, when sent (even empty), is the new list of attachments;
	// media_attributes[][id|description|focus] change the alt text of kept ones.
	if p.Has("media_ids") {
		ids, err := mediaIDs(p.Strings("media_ids"))
		if err != nil {
			return nil, err
		}
		in.MediaIDs = &ids
	}
	for _, row := range p.Indexed("media_attributes") {
		id, err := strconv.ParseInt(strings.TrimSpace(row["id"]), 10, 64)
		if err != nil || id <= 0 {
			return nil, model.Invalid("media_attributes", "each needs the id of one of the post's attachments")
		}
		attr := service.MediaAttribute{ID: id}
		if d, ok := row["description"]; ok {
			attr.Description = &d
		}
		if f, ok := row["focus"]; ok {
			attr.Focus = &f
		}
		in.MediaAttributes = append(in.MediaAttributes, attr)
	}
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
