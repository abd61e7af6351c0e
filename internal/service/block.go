package service

import (
	"context"
	"errors"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// Block blocks an account: follows and follow requests between the two end
// both ways, notifications between them go, and from now on neither sees the
// other's posts anywhere. Blocking twice gives ErrAlready.
func (s *Service) Block(ctx context.Context, accountID, targetID int64) (model.Relationship, error) {
	return s.block(ctx, accountID, targetID, BlockOptions{})
}

// BlockOptions: URI is the id of a remote account's Block activity (federation).
type BlockOptions struct{ URI string }

// RemoteBlock applies a remote account's Block of a local member.
func (s *Service) RemoteBlock(ctx context.Context, accountID, targetID int64, uri string) error {
	_, err := s.block(ctx, accountID, targetID, BlockOptions{URI: uri})
	if errors.Is(err, model.ErrAlready) {
		return nil
	}
	return err
}

func (s *Service) block(ctx context.Context, accountID, targetID int64, opts BlockOptions) (model.Relationship, error) {
	if accountID == targetID {
		return model.Relationship{}, model.Invalid("id", "you cannot block yourself")
	}
	var already bool
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		actor, err := s.activeAccount(ctx, tx.Queries, accountID)
		if err != nil {
			return err
		}
		target, err := tx.AccountByID(ctx, targetID)
		if err != nil {
			return err
		}
		blockID := s.newID()
		added, err := tx.InsertBlock(ctx, blockID, accountID, targetID, opts.URI, s.clock())
		if err != nil {
			return err
		}
		if !added {
			already = true
			return nil
		}
		for _, pair := range [][2]int64{{accountID, targetID}, {targetID, accountID}} {
			if err := s.deleteFollowTx(ctx, tx, pair[0], pair[1]); err != nil {
				return err
			}
			if _, err := tx.DeleteFollowRequest(ctx, pair[0], pair[1]); err != nil {
				return err
			}
		}
		if err := tx.DeleteNotificationsBetween(ctx, accountID, targetID); err != nil {
			return err
		}
		if target.Local() {
			return nil
		}
		return s.federate(ctx, tx, actor, FederateArgs{Verb: VerbBlock, TargetID: targetID, ObjectID: blockID})
	})
	if err != nil {
		return model.Relationship{}, err
	}
	rel, err := s.Relationship(ctx, accountID, targetID)
	if err == nil && already {
		err = model.Errorf(model.ErrAlready, "", "you already block this account")
	}
	return rel, err
}

// Unblock lifts a block. Unblocking an account that is not blocked is harmless.
func (s *Service) Unblock(ctx context.Context, accountID, targetID int64) (model.Relationship, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		target, err := tx.AccountByID(ctx, targetID)
		if err != nil {
			return err
		}
		blockID, err := tx.BlockID(ctx, accountID, targetID)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.DeleteBlock(ctx, accountID, targetID); err != nil {
			return err
		}
		actor, err := tx.AccountByID(ctx, accountID)
		if err != nil || target.Local() {
			return err
		}
		return s.federate(ctx, tx, actor, FederateArgs{Verb: VerbUndoBlock, TargetID: targetID, ObjectID: blockID})
	})
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, targetID)
}

// MuteOptions: HideNotifications defaults to true; Duration 0 means forever.
type MuteOptions struct {
	HideNotifications *bool
	Duration          time.Duration
}

// Mute hides an account's posts (and by default its notifications) from the
// account, without telling them. Muting again updates the options.
func (s *Service) Mute(ctx context.Context, accountID, targetID int64, opts MuteOptions) (model.Relationship, error) {
	if accountID == targetID {
		return model.Relationship{}, model.Invalid("id", "you cannot mute yourself")
	}
	if opts.Duration < 0 {
		return model.Relationship{}, model.Invalid("duration", "must not be negative")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.AccountByID(ctx, targetID); err != nil {
			return err
		}
		now := s.clock()
		m := &model.Mute{ID: s.newID(), AccountID: accountID, TargetAccountID: targetID, HideNotifications: true, CreatedAt: now}
		setBool(&m.HideNotifications, opts.HideNotifications)
		if opts.Duration > 0 {
			exp := now.Add(opts.Duration)
			m.ExpiresAt = &exp
		}
		return tx.UpsertMute(ctx, m)
	})
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, targetID)
}

// Unmute lifts a mute.
func (s *Service) Unmute(ctx context.Context, accountID, targetID int64) (model.Relationship, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.AccountByID(ctx, targetID); err != nil {
			return err
		}
		_, err := tx.DeleteMute(ctx, accountID, targetID)
		return err
	})
	if err != nil {
		return model.Relationship{}, err
	}
	return s.Relationship(ctx, accountID, targetID)
}
