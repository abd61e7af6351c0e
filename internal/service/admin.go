package service

import (
	"context"
	"slices"

	"weft/internal/model"
	"weft/internal/store"
)

// ListLocalAccounts lists local accounts in creation order, for admins.
func (s *Service) ListLocalAccounts(ctx context.Context, afterID int64, limit int) ([]*model.Account, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.st.Read().LocalAccounts(ctx, afterID, limit)
}

// AccountByUsername finds a local account by username, whatever its state (admin use).
func (s *Service) AccountByUsername(ctx context.Context, username string) (*model.Account, error) {
	return s.st.Read().AccountByUsername(ctx, username, "")
}

// User returns the sign-in side of a local account.
func (s *Service) User(ctx context.Context, accountID int64) (*model.User, error) {
	return s.st.Read().UserByAccountID(ctx, accountID)
}

// SuspendAccount hides an account and everything it posted from everyone
// and stops it from signing in. It can be undone.
func (s *Service) SuspendAccount(ctx context.Context, accountID int64) error {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if a.DeletedAt != nil {
			return model.Errorf(model.ErrInvalid, "", "the account is deleted")
		}
		if a.SuspendedAt != nil {
			return model.Errorf(model.ErrAlready, "", "the account is suspended already")
		}
		now := s.clock()
		if err := s.signOutEverywhere(ctx, tx, accountID); err != nil {
			return err
		}
		return tx.SetAccountSuspended(ctx, accountID, &now)
	})
	if err == nil {
		s.accountAccessEnded(ctx, accountID) // its open streams end too, on every process
	}
	return err
}

// UnsuspendAccount lifts a suspension.
func (s *Service) UnsuspendAccount(ctx context.Context, accountID int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if a.DeletedAt != nil {
			return model.Errorf(model.ErrInvalid, "", "the account is deleted")
		}
		return tx.SetAccountSuspended(ctx, accountID, nil)
	})
}

// DeleteAccount deletes an account for good: at once it can no longer sign
// in and is hidden everywhere; a job then removes its posts, follows, likes
// and the rest. The username stays reserved.
func (s *Service) DeleteAccount(ctx context.Context, accountID int64) error {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if a.DeletedAt != nil {
			return model.Errorf(model.ErrAlready, "", "the account is deleted already")
		}
		if err := tx.MarkAccountDeleted(ctx, accountID, s.clock()); err != nil {
			return err
		}
		if a.Local() && a.FediverseSharing {
			// Every server this one knows hears the account is gone (any may
			// hold its posts, through boosts and replies), as Mastodon does;
			// the addresses are read now, before the follows are removed.
			inboxes, err := tx.KnownInboxes(ctx, maxAnnounceInboxes)
			if err != nil {
				return err
			}
			if err := s.federate(ctx, tx, a, FederateArgs{Verb: VerbDeleteActor, Inboxes: inboxes}); err != nil {
				return err
			}
		}
		if err := tx.DeleteUser(ctx, accountID); err != nil {
			return err
		}
		if err := s.signOutEverywhere(ctx, tx, accountID); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, DeleteAccountArgs{AccountID: accountID})
	})
	if err == nil {
		s.accountAccessEnded(ctx, accountID)
	}
	return err
}

// deleteBatch is how many rows one transaction of account deletion removes.
const deleteBatch = 500

// RunDeleteAccount removes what a deleted account owned, in small
// transactions; it can stop and resume anywhere.
func (s *Service) RunDeleteAccount(ctx context.Context, args DeleteAccountArgs) error {
	// Posts first: each goes through the same deletion as a user's delete.
	var after int64
	for {
		ids, err := s.st.Read().StatusIDsOfAccount(ctx, args.AccountID, after, deleteBatch)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		after = ids[len(ids)-1]
		err = s.st.InTx(ctx, func(tx *store.Tx) error {
			for _, id := range ids {
				st, err := tx.StatusByID(ctx, id)
				if isNotFound(err) {
					continue // a boost of the account's own post, gone with the post earlier in the batch
				}
				if err != nil {
					return err
				}
				switch {
				case st.IsReblog():
					if err := tx.DeleteStatusRow(ctx, st.ID); err != nil {
						return err
					}
					if err := tx.AdjustStatusCounts(ctx, st.ReblogOfID, 0, -1, 0); err != nil {
						return err
					}
				case st.DeletedAt == nil:
					if err := s.deleteStatusTx(ctx, tx, st); err != nil {
						return err
					}
					if err := s.cleanupDeletedStatusTx(ctx, tx, st.ID); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Then every edge, fixing the counters on the other side.
	for _, kind := range store.EdgeKinds() {
		for {
			var others []int64
			err := s.st.InTx(ctx, func(tx *store.Tx) error {
				var err error
				if others, err = tx.DeleteEdges(ctx, kind, args.AccountID, deleteBatch); err != nil {
					return err
				}
				slices.Sort(others)
				for _, id := range slices.Compact(others) {
					switch kind {
					case "follows.out", "follows.in":
						err = tx.RecountAccount(ctx, id)
					case "favourites.out":
						err = tx.RecountStatus(ctx, id)
					}
					if err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			if len(others) < deleteBatch {
				break
			}
		}
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteAccountLeftovers(ctx, args.AccountID); err != nil {
			return err
		}
		return tx.RecountAccount(ctx, args.AccountID)
	})
}

// signOutEverywhere revokes an account's tokens and ends its browser
// sessions; the caller ends their streams once it commits
// (accountAccessEnded).
func (s *Service) signOutEverywhere(ctx context.Context, tx *store.Tx, accountID int64) error {
	if err := tx.RevokeAccountTokens(ctx, accountID, s.clock()); err != nil {
		return err
	}
	return tx.DeleteAccountSessions(ctx, accountID)
}
