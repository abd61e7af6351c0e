package service

import (
	"context"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// maxSignUpReason bounds what a person writes about why they join.
const maxSignUpReason = 1000

// PendingSignUp is a sign-up waiting for an admin.
type PendingSignUp struct {
	Account *model.Account
	Email   string
	Reason  string
	At      time.Time
}

// PendingSignUps lists the sign-ups waiting for approval, oldest first.
func (s *Service) PendingSignUps(ctx context.Context, adminID int64) ([]PendingSignUp, error) {
	if err := s.CheckAdmin(ctx, adminID); err != nil {
		return nil, err
	}
	q := s.st.Read()
	users, err := q.PendingUsers(ctx, 200)
	if err != nil {
		return nil, err
	}
	out := make([]PendingSignUp, 0, len(users))
	for _, u := range users {
		a, err := q.AccountByID(ctx, u.AccountID)
		if err != nil {
			return nil, err
		}
		if a.DeletedAt != nil {
			continue
		}
		out = append(out, PendingSignUp{Account: a, Email: u.Email, Reason: u.Reason, At: u.CreatedAt})
	}
	return out, nil
}

// pendingUser loads a sign-up that is still waiting.
func (s *Service) pendingUser(ctx context.Context, q store.Queries, accountID int64) (*model.User, error) {
	u, err := q.UserByAccountID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if u.Approved {
		return nil, model.Errorf(model.ErrAlready, "", "this sign-up was approved already")
	}
	return u, nil
}

// ApproveSignUp lets a waiting sign-up in: the account becomes a member
// and can sign in.
func (s *Service) ApproveSignUp(ctx context.Context, adminID, accountID int64) error {
	if err := s.CheckAdmin(ctx, adminID); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.pendingUser(ctx, tx.Queries, accountID); err != nil {
			return err
		}
		if err := tx.ApproveUser(ctx, accountID); err != nil {
			return err
		}
		return tx.SetAccountSuspended(ctx, accountID, nil)
	})
}

// RejectSignUp turns a waiting sign-up down: the account is deleted (its
// name stays taken, as for every deleted account).
func (s *Service) RejectSignUp(ctx context.Context, adminID, accountID int64) error {
	if err := s.CheckAdmin(ctx, adminID); err != nil {
		return err
	}
	if _, err := s.pendingUser(ctx, s.st.Read(), accountID); err != nil {
		return err
	}
	return s.DeleteAccount(ctx, accountID)
}
