package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// RunStatusEdited notifies those who boosted or liked an edited post, and
// accounts the edit newly mentions.
func (s *Service) RunStatusEdited(ctx context.Context, args StatusEditedArgs) error {
	q := s.st.Read()
	st, err := q.StatusByID(ctx, args.StatusID)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.DeletedAt != nil {
		return nil
	}
	engaged, err := q.EngagedAccountIDs(ctx, st.ID)
	if err != nil {
		return err
	}
	for _, id := range engaged {
		// One "edited" notice per edit: the previous one is replaced, not kept beside it.
		if err := s.st.InTx(ctx, func(tx *store.Tx) error {
			return tx.DeleteNotificationEvent(ctx, id, model.NotifyUpdate, st.AccountID, st.ID)
		}); err != nil {
			return err
		}
		if err := s.notify(ctx, NotifyArgs{AccountID: id, Type: string(model.NotifyUpdate), FromAccountID: st.AccountID, StatusID: st.ID}); err != nil {
			return err
		}
	}
	for _, id := range args.NewMentionIDs {
		if err := s.notify(ctx, NotifyArgs{AccountID: id, Type: string(model.NotifyMention), FromAccountID: st.AccountID, StatusID: st.ID}); err != nil {
			return err
		}
	}
	s.publishEdit(ctx, st) // every stream that may show it (streams.go)
	return nil
}
