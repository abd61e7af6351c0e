package service

import (
	"context"
	"errors"
	"strings"

	"weft/internal/model"
	"weft/internal/store"
)

var errBadLogin = model.Errorf(model.ErrUnauthorized, "", "invalid email/username or password")

// Authenticate checks a password for a local account named by email or
// username. Unknown accounts and wrong passwords get the same error after
// the same work, so the answer does not reveal which accounts exist.
func (s *Service) Authenticate(ctx context.Context, login, password string) (*model.Account, *model.User, error) {
	q := s.st.Read()
	var u *model.User
	var err error
	if strings.Contains(login, "@") {
		u, err = q.UserByEmail(ctx, login)
	} else {
		var a *model.Account
		a, err = q.AccountByUsername(ctx, login, "")
		if err == nil {
			u, err = q.UserByAccountID(ctx, a.ID)
		}
	}
	if err != nil {
		if !errors.Is(err, model.ErrNotFound) {
			return nil, nil, err
		}
		checkPassword(password, s.dummyHash())
		return nil, nil, errBadLogin
	}
	if !checkPassword(password, u.PasswordHash) {
		return nil, nil, errBadLogin
	}
	a, err := q.AccountByID(ctx, u.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if !u.Approved {
		return nil, nil, model.Errorf(model.ErrSuspended, "", "your account is waiting for an admin's approval")
	}
	if a.Gone() {
		return nil, nil, model.Errorf(model.ErrSuspended, "", "this account is suspended")
	}
	return a, u, nil
}

// dummyHash is a valid hash of nothing anyone types, made once.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		h, err := hashPassword("weft: no such user, compare anyway")
		if err == nil {
			s.dummyPwd = h
		}
	})
	return s.dummyPwd
}

// ChangePassword replaces a password after checking the current one.
func (s *Service) ChangePassword(ctx context.Context, accountID int64, current, next string) error {
	u, err := s.st.Read().UserByAccountID(ctx, accountID)
	if err != nil {
		return err
	}
	if !checkPassword(current, u.PasswordHash) {
		return model.Errorf(model.ErrInvalid, "current_password", "is wrong")
	}
	return s.SetPassword(ctx, accountID, next)
}

// SetPassword replaces a password without the current one (admin reset).
func (s *Service) SetPassword(ctx context.Context, accountID int64, next string) error {
	if err := validatePassword(next); err != nil {
		return err
	}
	hash, err := hashPassword(next)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error { return tx.SetPasswordHash(ctx, accountID, hash) })
}
