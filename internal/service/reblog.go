package service

import (
	"context"
	"errors"

	"weft/internal/model"
	"weft/internal/store"
)

// narrower returns the narrower of two visibilities.
func narrower(a, b model.Visibility) model.Visibility {
	rank := map[model.Visibility]int{model.Public: 0, model.Unlisted: 1, model.Private: 2, model.Direct: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Reblog boosts a post. Boosting a boost boosts its post. Followers-only
// posts can be boosted only by their author (to their own followers), direct
// posts never. A second boost gives ErrAlready with the existing boost.
// visibility may narrow the boost (public → unlisted, private); "" keeps the post's.
func (s *Service) Reblog(ctx context.Context, accountID, statusID int64, visibility model.Visibility) (*StatusView, error) {
	if visibility != "" {
		if _, err := model.ParseVisibility(string(visibility)); err != nil {
			return nil, err
		}
		if visibility == model.Direct {
			return nil, model.Invalid("visibility", "a boost cannot be direct")
		}
	}
	var boost *model.Status
	var already bool
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeAccount(ctx, tx.Queries, accountID); err != nil {
			return err
		}
		target, _, err := s.visibleStatus(ctx, tx.Queries, accountID, statusID)
		if err != nil {
			return err
		}
		if target.IsReblog() {
			if target, _, err = s.visibleStatus(ctx, tx.Queries, accountID, target.ReblogOfID); err != nil {
				return err
			}
		}
		switch {
		case target.Visibility == model.Direct:
			return model.Errorf(model.ErrForbidden, "", "direct posts cannot be boosted")
		case target.Visibility == model.Private && target.AccountID != accountID:
			return model.Errorf(model.ErrForbidden, "", "followers-only posts can only be boosted by their author")
		}
		if existing, err := tx.ReblogBy(ctx, accountID, target.ID); err == nil {
			boost, already = existing, true
			return nil
		} else if !isNotFound(err) {
			return err
		}
		vis := target.Visibility
		if visibility != "" {
			vis = narrower(vis, visibility)
		}
		now := s.clock()
		boost = &model.Status{ID: s.newID(), AccountID: accountID, Visibility: vis, ReblogOfID: target.ID,
			ThreadID: target.ThreadID, ConversationID: target.ConversationID, Local: true, CreatedAt: now}
		if err := tx.InsertStatus(ctx, boost); err != nil {
			return err
		}
		if err := tx.AdjustStatusCounts(ctx, target.ID, 0, 1, 0); err != nil {
			return err
		}
		if err := tx.RecordPost(ctx, accountID, now); err != nil {
			return err
		}
		if _, err := tx.InsertFeedEntry(ctx, store.FeedEntry{AccountID: accountID, EntryID: boost.ID, ObjectID: target.ID,
			AuthorID: accountID}, feedDedupWindow); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, FanOutArgs{StatusID: boost.ID})
	})
	if err != nil {
		return nil, err
	}
	view, err := s.statusView(ctx, s.st.Read(), accountID, boost)
	if err != nil {
		return nil, err
	}
	if already {
		return view, model.Errorf(model.ErrAlready, "", "already boosted")
	}
	return view, nil
}

// Unreblog removes the account's boost of a post, returning the post.
func (s *Service) Unreblog(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	var target *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		st, err := tx.StatusByID(ctx, statusID)
		if err != nil {
			return err
		}
		if st.IsReblog() { // the client sent the boost's ID
			if st, err = tx.StatusByID(ctx, st.ReblogOfID); err != nil {
				return err
			}
		}
		target = st
		boost, err := tx.ReblogBy(ctx, accountID, st.ID)
		if isNotFound(err) {
			return nil // nothing to undo
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteStatusRow(ctx, boost.ID); err != nil {
			return err
		}
		if err := tx.DeleteNotificationEvent(ctx, st.AccountID, model.NotifyReblog, accountID, st.ID); err != nil {
			return err
		}
		if err := tx.AdjustStatusCounts(ctx, st.ID, 0, -1, 0); err != nil {
			return err
		}
		return tx.AdjustAccountCounts(ctx, accountID, 0, 0, -1)
	})
	if err != nil {
		return nil, err
	}
	view, err := s.viewAfter(ctx, accountID, target.ID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, model.NotFound("status")
	}
	return view, err
}
