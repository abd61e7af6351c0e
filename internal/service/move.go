package service

import (
	"context"
	"errors"

	"weft/internal/model"
	"weft/internal/store"
)

// MoveFollowersArgs moves the local followers of a remote account that
// moved to another one (its Move was checked against the new account's
// alsoKnownAs): each unfollows the old account and follows the new.
type MoveFollowersArgs struct {
	OldID int64 `json:"old_id,string"`
	NewID int64 `json:"new_id,string"`
}

func (MoveFollowersArgs) Kind() string { return "move_followers" }

// AccountMoved records a remote account's move and enqueues moving its
// local followers.
func (s *Service) AccountMoved(ctx context.Context, oldID, newID int64) error {
	if oldID == newID {
		return model.Invalid("target", "an account cannot move to itself")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.AccountByID(ctx, oldID)
		if err != nil {
			return err
		}
		if old.Local() {
			return model.Errorf(model.ErrForbidden, "", "a local account moves through this server")
		}
		return s.enqueue(ctx, tx, MoveFollowersArgs{OldID: oldID, NewID: newID})
	})
}

// RunMoveFollowers moves the followers in batches; each move is a follow
// of the new account (a request its server answers) and the end of the
// old follow, so a retried batch repeats nothing.
func (s *Service) RunMoveFollowers(ctx context.Context, args MoveFollowersArgs) error {
	for {
		followers, err := s.st.Read().LocalFollowersOf(ctx, args.OldID, 0, fanOutBatch)
		if err != nil || len(followers) == 0 {
			return err
		}
		for _, f := range followers {
			show, notify := f.ShowReblogs, f.Notify
			_, err := s.Follow(ctx, f.AccountID, args.NewID, FollowOptions{Reblogs: &show, Notify: &notify})
			if err != nil && !isNotFound(err) && !isForbidden(err) && !errors.Is(err, model.ErrInvalid) {
				return err
			}
			if _, err := s.Unfollow(ctx, f.AccountID, args.OldID); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
}
