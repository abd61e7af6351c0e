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
	boost, already, err := s.reblog(ctx, accountID, statusID, visibility, "")
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

// RemoteReblog applies a remote account's Announce (uri is its id).
func (s *Service) RemoteReblog(ctx context.Context, accountID, statusID int64, visibility model.Visibility, uri string) error {
	_, _, err := s.reblog(ctx, accountID, statusID, visibility, uri)
	return err
}

// reblog records a boost; uri is the Announce's id for a remote booster.
func (s *Service) reblog(ctx context.Context, accountID, statusID int64, visibility model.Visibility, uri string) (*model.Status, bool, error) {
	if visibility != "" {
		if _, err := model.ParseVisibility(string(visibility)); err != nil {
			return nil, false, err
		}
		if visibility == model.Direct {
			return nil, false, model.Invalid("visibility", "a boost cannot be direct")
		}
	}
	var boost *model.Status
	var already bool
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		actor, err := s.activeAccount(ctx, tx.Queries, accountID)
		if err != nil {
			return err
		}
		target, _, err := s.visibleStatusAs(ctx, tx.Queries, actor, statusID)
		if err != nil {
			return err
		}
		if target.IsReblog() {
			if target, _, err = s.visibleStatusAs(ctx, tx.Queries, actor, target.ReblogOfID); err != nil {
				return err
			}
		}
		if err := checkSharesFor(actor, target); err != nil {
			return err
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
			ThreadID: target.ThreadID, ConversationID: target.ConversationID, Local: actor.Local(), URI: uri, CreatedAt: now}
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
		if err := s.federate(ctx, tx, actor, FederateArgs{Verb: VerbAnnounce, StatusID: boost.ID}); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, FanOutArgs{StatusID: boost.ID})
	})
	return boost, already, err
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
		actor, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if err := s.federate(ctx, tx, actor, FederateArgs{Verb: VerbUndoAnnounce, StatusID: boost.ID, ObjectID: st.ID}); err != nil {
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
