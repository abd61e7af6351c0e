package service

import (
	"context"
	"errors"
	"strings"

	"github.com/alexedwards/argon2id"

	"weft/internal/model"
	"weft/internal/store"
)

var errBadLogin = model.Errorf(model.ErrUnauthorized, "", "invalid email/username or password")

// Authenticate checks a password for a local account named by email or
// username. Unknown accounts and wrong passwords get the same error after
// the same work, so the answer does not reveal which accounts exist. Past a
// few failures from one IP or at one account, attempts are refused for a
// while (429) without the password being checked (signin_guard.go).
func (s *Service) Authenticate(ctx context.Context, in SignIn) (*model.Account, *model.User, error) {
	now := s.now()
	if err := s.guard.check(in.IP, "", now); err != nil {
		return nil, nil, err
	}
	q := s.st.Read()
	var u *model.User
	var err error
	if strings.Contains(in.Login, "@") {
		u, err = q.UserByEmail(ctx, in.Login)
	} else {
		var a *model.Account
		a, err = q.AccountByUsername(ctx, in.Login, "")
		if err == nil {
			u, err = q.UserByAccountID(ctx, a.ID)
		}
	}
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, nil, err
	}
	var accountID int64
	hash := s.dummyHash()
	if u != nil {
		accountID, hash = u.AccountID, u.PasswordHash
	}
	key := loginKey(accountID, in.Login)
	if err := s.guard.check(in.IP, key, now); err != nil {
		return nil, nil, err
	}
	ok, err := s.checkPassword(ctx, in.Password, hash)
	if err != nil {
		return nil, nil, err
	}
	if !ok || u == nil {
		s.guard.failed(in.IP, key, s.now())
		return nil, nil, errBadLogin
	}
	s.guard.succeeded(key)
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
		// Made outside the hashing slots: once per process, at the first
		// unknown name.
		h, err := argon2id.CreateHash("weft: no such user, compare anyway", s.argon)
		if err == nil {
			s.dummyPwd = h
		}
	})
	return s.dummyPwd
}

// ChangePassword replaces a password after checking the current one, and,
// as Mastodon does, signs the member out everywhere else: every other
// browser session (keepSession is the key of the one asking; "" for none)
// and every app's token end, with their streams.
func (s *Service) ChangePassword(ctx context.Context, accountID int64, current, next, keepSession string) error {
	u, err := s.st.Read().UserByAccountID(ctx, accountID)
	if err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return model.Errorf(model.ErrInvalid, "current_password", "is wrong")
	}
	return s.setPassword(ctx, accountID, next, keepSession)
}

// SetPassword replaces a password without the current one (an admin's
// reset), and ends every session and token of the account.
func (s *Service) SetPassword(ctx context.Context, accountID int64, next string) error {
	return s.setPassword(ctx, accountID, next, "")
}

func (s *Service) setPassword(ctx context.Context, accountID int64, next, keepSession string) error {
	if err := validatePassword(next); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	var tokens []int64
	var sessions []string
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetPasswordHash(ctx, accountID, hash); err != nil {
			return err
		}
		if tokens, err = tx.RevokeAccountTokenIDs(ctx, accountID, s.clock()); err != nil {
			return err
		}
		sessions, err = tx.DeleteOtherSessions(ctx, accountID, keepSession)
		return err
	})
	if err != nil {
		return err
	}
	for _, id := range tokens {
		s.tokenRevoked(ctx, id)
	}
	for _, k := range sessions {
		s.sessionEnded(ctx, k)
	}
	return nil
}
