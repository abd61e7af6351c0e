package service

import (
	"context"
	"strings"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// attachMediaTx attaches checked uploads (attachableMedia) to a new or
// edited post, in order, and fills st.Media.
func attachMediaTx(ctx context.Context, tx *store.Tx, st *model.Status, ids []int64, now time.Time) error {
	if len(ids) == 0 && len(st.Media) == 0 {
		return nil
	}
	if err := tx.AttachMedia(ctx, st.ID, ids, now); err != nil {
		return err
	}
	list, err := tx.StatusMedia(ctx, st.ID)
	if err != nil {
		return err
	}
	st.Media = st.Media[:0]
	for _, m := range list {
		st.Media = append(st.Media, *m)
	}
	return nil
}

// editMediaTx applies an edit's media: the new list of attachments (when
// given) and changes to their alt text and focal points.
func (s *Service) editMediaTx(ctx context.Context, tx *store.Tx, st *model.Status, in EditInput, now time.Time) error {
	if in.MediaIDs != nil {
		ids, err := attachableMedia(ctx, tx.Queries, st.AccountID, st.ID, *in.MediaIDs)
		if err != nil {
			return err
		}
		if err := attachMediaTx(ctx, tx, st, ids, now); err != nil {
			return err
		}
	}
	for _, attr := range in.MediaAttributes {
		i := -1
		for j := range st.Media {
			if st.Media[j].ID == attr.ID {
				i = j
			}
		}
		if i < 0 {
			return model.Invalid("media_attributes", "media %d is not on this post", attr.ID)
		}
		m := &st.Media[i]
		if err := applyMediaUpdate(m, attr.MediaUpdate); err != nil {
			return err
		}
		m.UpdatedAt = now
		if err := tx.UpdateMediaMeta(ctx, m); err != nil {
			return err
		}
	}
	if strings.TrimSpace(in.Text) == "" && len(st.Media) == 0 {
		return model.Invalid("status", "can't be blank")
	}
	return nil
}
