package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// Favourite likes a post the account can see and notifies its author.
// Liking twice is harmless.
func (s *Service) Favourite(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	st, err := s.favourite(ctx, accountID, statusID, "")
	if err != nil {
		return nil, err
	}
	return s.viewAfter(ctx, accountID, st.ID)
}

// RemoteFavourite applies a remote account's Like (or reaction) of a
// post, keeping the activity's id: Pleroma undoes it by that id alone.
func (s *Service) RemoteFavourite(ctx context.Context, accountID, statusID int64, uri string) error {
	_, err := s.favourite(ctx, accountID, statusID, uri)
	return err
}

func (s *Service) favourite(ctx context.Context, accountID, statusID int64, uri string) (*model.Status, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		actor, err := s.activeAccount(ctx, tx.Queries, accountID)
		if err != nil {
			return err
		}
		if st, err = s.interactionTarget(ctx, tx.Queries, actor, statusID); err != nil {
			return err
		}
		if err := checkSharesFor(actor, st); err != nil {
			return err
		}
		favID := s.newID()
		var added bool
		if uri != "" {
			added, err = tx.InsertRemoteFavourite(ctx, favID, accountID, st.ID, uri, s.clock())
		} else {
			added, err = tx.InsertFavourite(ctx, favID, accountID, st.ID, s.clock())
		}
		if err != nil || !added {
			return err
		}
		if err := tx.AdjustStatusCounts(ctx, st.ID, 0, 0, 1); err != nil {
			return err
		}
		if !st.Local { // the Like goes to the remote author's server
			if err := s.federate(ctx, tx, actor, FederateArgs{Verb: VerbLike, StatusID: st.ID, ObjectID: favID}); err != nil {
				return err
			}
		}
		return s.enqueue(ctx, tx, NotifyArgs{AccountID: st.AccountID, Type: string(model.NotifyFavourite), FromAccountID: accountID, StatusID: st.ID})
	})
	return st, err
}

// Unfavourite removes a like.
func (s *Service) Unfavourite(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		actor, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if st, err = s.interactionTarget(ctx, tx.Queries, actor, statusID); err != nil {
			return err
		}
		favID, err := tx.FavouriteID(ctx, accountID, st.ID)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		removed, err := tx.DeleteFavourite(ctx, accountID, st.ID)
		if err != nil || !removed {
			return err
		}
		if !st.Local {
			if err := s.federate(ctx, tx, actor, FederateArgs{Verb: VerbUndoLike, StatusID: st.ID, ObjectID: favID}); err != nil {
				return err
			}
		}
		if err := tx.DeleteNotificationEvent(ctx, st.AccountID, model.NotifyFavourite, accountID, st.ID); err != nil {
			return err
		}
		return tx.AdjustStatusCounts(ctx, st.ID, 0, 0, -1)
	})
	if err != nil {
		return nil, err
	}
	return s.viewAfter(ctx, accountID, st.ID)
}

// viewAfter re-reads a status whose counters a transaction just moved, so
// the view returned to the client shows them as they are now.
func (s *Service) viewAfter(ctx context.Context, viewer, statusID int64) (*StatusView, error) {
	q := s.st.Read()
	st, err := q.StatusByID(ctx, statusID)
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, q, viewer, st)
}

// interactionTarget resolves a status to act on: visible to the account, and
// the boosted post when given a boost (you like the post, not the boost).
func (s *Service) interactionTarget(ctx context.Context, q store.Queries, actor *model.Account, statusID int64) (*model.Status, error) {
	st, _, err := s.visibleStatusAs(ctx, q, actor, statusID)
	if err != nil {
		return nil, err
	}
	if st.IsReblog() {
		st, _, err = s.visibleStatusAs(ctx, q, actor, st.ReblogOfID)
	}
	return st, err
}

// Bookmark saves a post for later (private to the account).
func (s *Service) Bookmark(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if st, err = s.viewerInteractionTarget(ctx, tx.Queries, accountID, statusID); err != nil {
			return err
		}
		_, err = tx.InsertBookmark(ctx, s.newID(), accountID, st.ID, s.clock())
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, s.st.Read(), accountID, st)
}

// Unbookmark removes a bookmark.
func (s *Service) Unbookmark(ctx context.Context, accountID, statusID int64) (*StatusView, error) {
	var st *model.Status
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if st, err = s.viewerInteractionTarget(ctx, tx.Queries, accountID, statusID); err != nil {
			return err
		}
		_, err = tx.DeleteBookmark(ctx, accountID, st.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, s.st.Read(), accountID, st)
}

// viewerInteractionTarget is interactionTarget for what only local members
// do (bookmarks, pins).
func (s *Service) viewerInteractionTarget(ctx context.Context, q store.Queries, viewer, statusID int64) (*model.Status, error) {
	st, _, err := s.visibleStatus(ctx, q, viewer, statusID)
	if err != nil {
		return nil, err
	}
	if st.IsReblog() {
		st, _, err = s.visibleStatus(ctx, q, viewer, st.ReblogOfID)
	}
	return st, err
}
