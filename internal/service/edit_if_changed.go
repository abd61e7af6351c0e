package service

import (
	"context"
	"strings"
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
	if in.Text == st.Text && in.SpoilerText == st.SpoilerText && sensitive == st.Sensitive && in.Language == st.Language {
		return s.statusView(ctx, q, editorID, st)
	}
	return s.EditPost(ctx, editorID, statusID, in)
}
