package service

import (
	"context"
	"slices"

	"weft/internal/model"
	"weft/internal/store"
)

// Pin shows one of the account's own posts at the top of its profile. At
// most five; direct posts cannot be pinned.
func (s *Service) Pin(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if st, err = s.ownStatus(ctx, tx.Queries, accountID, statusID); err != nil {
			return err
		}
		if st.Visibility == model.Direct {
			return model.Invalid("visibility", "direct posts cannot be pinned")
		}
		pinned, err := tx.PinnedStatusIDs(ctx, accountID)
		if err != nil {
			return err
		}
		if slices.Contains(pinned, st.ID) {
			return nil // pinned already: harmless, even at the limit (as on Mastodon)
		}
		if len(pinned) >= model.MaxPins {
			return model.Errorf(model.ErrLimit, "", "you can pin at most %d posts", model.MaxPins)
		}
		_, err = tx.InsertPin(ctx, s.newID(), accountID, st.ID, s.clock())
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, s.st.Read(), accountID, st)
}

// Unpin removes a post from the top of the profile.
func (s *Service) Unpin(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if st, err = s.ownStatus(ctx, tx.Queries, accountID, statusID); err != nil {
			return err
		}
		_, err = tx.DeletePin(ctx, accountID, st.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, s.st.Read(), accountID, st)
}

// MuteConversation stops notifications from the thread of a visible post.
func (s *Service) MuteConversation(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	return s.setConversationMute(ctx, accountID, statusID, true)
}

// UnmuteConversation lifts a conversation mute.
func (s *Service) UnmuteConversation(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	return s.setConversationMute(ctx, accountID, statusID, false)
}

func (s *Service) setConversationMute(ctx context.Context, accountID, statusID int64, mute bool) (*StatusView, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if st, err = s.viewerInteractionTarget(ctx, tx.Queries, accountID, statusID); err != nil {
			return err
		}
		if mute {
			_, err = tx.MuteConversation(ctx, accountID, st.ConversationID)
		} else {
			_, err = tx.UnmuteConversation(ctx, accountID, st.ConversationID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, s.st.Read(), accountID, st)
}
