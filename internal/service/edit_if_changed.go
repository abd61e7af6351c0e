package service

import (
	"context"
	"strings"

	"weft/internal/model"
)

// EditPostIfChanged edits a post as Mastodon's client API does: a language
// left out ("") keeps the post's, and an edit that changes nothing (text,
// content warning, sensitive flag, language) is no edit at all — no new
// version in the history, no edited_at, nothing sent out — and answers the
// post as it is.
func (s *Service) EditPostIfChanged(ctx context.Context, editorID, statusID int64, in EditInput) (*StatusView, error) {
	q := s.st.Read()
	st, err := s.ownStatus(ctx, q, editorID, statusID)
	if err != nil {
		return nil, err
	}
	in.Text, in.SpoilerText = strings.TrimSpace(in.Text), strings.TrimSpace(in.SpoilerText)
	if in.Language == "" {
		in.Language = st.Language
	}
	sensitive := in.Sensitive || in.SpoilerText != ""
	if in.Text == st.Text && in.SpoilerText == st.SpoilerText && sensitive == st.Sensitive && in.Language == st.Language &&
		!mediaChanged(st, in) {
		return s.statusView(ctx, q, editorID, st)
	}
	return s.EditPost(ctx, editorID, statusID, in)
}

// mediaChanged: does the edit change the post's attachments or their alt
// text or focal points?
func mediaChanged(st *model.Status, in EditInput) bool {
	if len(in.MediaAttributes) > 0 {
		return true
	}
	if in.MediaIDs == nil {
		return false
	}
	if len(*in.MediaIDs) != len(st.Media) {
		return true
	}
	for i, id := range *in.MediaIDs {
		if st.Media[i].ID != id {
			return true
		}
	}
	return false
}
