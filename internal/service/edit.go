package service

import (
	"context"
	"slices"
	"strings"

	"weft/internal/model"
	"weft/internal/store"
)

// EditInput is the new content of an edited post. Visibility and the reply
// target cannot change, as on Mastodon.
type EditInput struct {
	Text        string
	SpoilerText string
	Sensitive   bool
	Language    string
	// MediaIDs, when not nil, are the post's attachments after the edit,
	// in order: kept ones and new uploads (nil keeps them as they are).
	MediaIDs *[]int64
	// MediaAttributes change the alt text or focal point of attachments.
	MediaAttributes []MediaAttribute
}

// MediaAttribute is a change to one attachment in an edit.
type MediaAttribute struct {
	ID int64
	MediaUpdate
}

// EditPost changes a post's text, keeping every version in its history. The
// first edit also records the original, so the history starts from it.
func (s *Service) EditPost(ctx context.Context, editorID, statusID int64, in EditInput) (*StatusView, error) {
	in.Text = strings.TrimSpace(in.Text)
	in.SpoilerText = strings.TrimSpace(in.SpoilerText)
	// Blank text is checked again once the post's media are known (an edit
	// may keep or drop them): a post needs text or media.
	hasMedia := in.MediaIDs == nil || len(*in.MediaIDs) > 0
	if err := s.validatePostText(in.Text, in.SpoilerText, in.Language, hasMedia); err != nil {
		return nil, err
	}
	s.resolveMentions(ctx, editorID, in.Text)
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		editor, err := s.activeLocalAccount(ctx, tx.Queries, editorID)
		if err != nil {
			return err
		}
		st, err = s.ownStatus(ctx, tx.Queries, editorID, statusID)
		if err != nil {
			return err
		}
		now := s.clock()
		if st.EditedAt == nil {
			if err := tx.InsertStatusEdit(ctx, &model.StatusEdit{ID: s.newID(), StatusID: st.ID, AccountID: st.AccountID,
				Text: st.Text, ContentHTML: st.ContentHTML, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive,
				CreatedAt: st.CreatedAt}); err != nil {
				return err
			}
		}
		r, err := s.render(ctx, tx.Queries, in.Text)
		if err != nil {
			return err
		}
		old := st.Mentions
		mentions := replyMentions(r.Mentions, st.AccountID, st.InReplyToAccountID)
		st.Text, st.ContentHTML, st.SpoilerText = in.Text, r.HTML, in.SpoilerText
		st.Sensitive = in.Sensitive || in.SpoilerText != ""
		st.Language = in.Language
		st.EditedAt = &now
		st.Mentions, st.Tags = mentions, r.Tags
		if err := tx.UpdateStatusContent(ctx, st); err != nil {
			return err
		}
		if err := tx.InsertStatusEdit(ctx, &model.StatusEdit{ID: s.newID(), StatusID: st.ID, AccountID: st.AccountID,
			Text: st.Text, ContentHTML: st.ContentHTML, SpoilerText: st.SpoilerText, Sensitive: st.Sensitive,
			CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.SetMentions(ctx, st.ID, mentions); err != nil {
			return err
		}
		tagIDs, err := s.tagIDs(ctx, tx, r.Tags, now)
		if err != nil {
			return err
		}
		if err := tx.SetTags(ctx, st.ID, tagIDs); err != nil {
			return err
		}
		if err := s.editMediaTx(ctx, tx, st, in, now); err != nil {
			return err
		}
		var added []int64
		for _, m := range mentions {
			if !slices.Contains(old, m) {
				added = append(added, m)
			}
		}
		if err := s.federate(ctx, tx, editor, FederateArgs{Verb: VerbUpdate, StatusID: st.ID}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, StatusEditedArgs{StatusID: st.ID, NewMentionIDs: added})
	})
	if err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: "status.update", AccountID: editorID, StatusID: st.ID})
	return s.statusView(ctx, s.st.Read(), editorID, st)
}

// ownStatus loads a live post (not a boost) written by accountID.
func (s *Service) ownStatus(ctx context.Context, q store.Queries, accountID, statusID int64) (*model.Status, error) {
	st, err := q.StatusByID(ctx, statusID)
	if err != nil {
		return nil, err
	}
	if st.DeletedAt != nil || st.IsReblog() {
		return nil, model.NotFound("status")
	}
	if st.AccountID != accountID {
		// Say "not found" when the viewer could not see it anyway.
		if _, _, err := s.visibleStatus(ctx, q, accountID, statusID); err != nil {
			return nil, err
		}
		return nil, model.Errorf(model.ErrForbidden, "", "this post is not yours")
	}
	return st, nil
}

// StatusHistory returns the versions of a post, oldest first. A post never
// edited has one version: itself.
func (s *Service) StatusHistory(ctx context.Context, viewer, statusID int64) ([]*model.StatusEdit, *model.Account, error) {
	q := s.st.Read()
	st, author, err := s.visibleStatus(ctx, q, viewer, statusID)
	if err != nil {
		return nil, nil, err
	}
	edits, err := q.StatusEdits(ctx, st.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(edits) == 0 {
		edits = []*model.StatusEdit{{StatusID: st.ID, AccountID: st.AccountID, Text: st.Text, ContentHTML: st.ContentHTML,
			SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: st.CreatedAt}}
	}
	return edits, author, nil
}

// StatusSource returns a post's source text, for the author to edit.
func (s *Service) StatusSource(ctx context.Context, viewer, statusID int64) (*model.Status, error) {
	return s.ownStatus(ctx, s.st.Read(), viewer, statusID)
}
