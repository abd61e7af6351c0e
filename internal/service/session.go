package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// StartSession signs a browser in after a password check and returns the
// cookie value (stored only hashed) and the session's CSRF token.
func (s *Service) StartSession(ctx context.Context, accountID int64, userAgent string) (string, *model.Session, error) {
	if len(userAgent) > 500 {
		userAgent = userAgent[:500]
	}
	cookie := newSecret()
	now := s.clock()
	sess := &model.Session{Key: hashSecret(cookie), AccountID: accountID, CSRFToken: newSecret(), UserAgent: userAgent, CreatedAt: now, LastSeenAt: now}
	err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.InsertSession(ctx, sess.Key, sess) })
	if err != nil {
		return "", nil, err
	}
	return cookie, sess, nil
}

// Session resolves a session cookie to its session and account; unknown
// cookies and suspended accounts give ErrUnauthorized.
func (s *Service) Session(ctx context.Context, cookie string) (*model.Session, *model.Account, error) {
	bad := model.Errorf(model.ErrUnauthorized, "", "not signed in")
	if cookie == "" || len(cookie) > 200 {
		return nil, nil, bad
	}
	q := s.st.Read()
	sess, err := q.SessionByHash(ctx, hashSecret(cookie))
	if isNotFound(err) {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, err
	}
	a, err := q.AccountByID(ctx, sess.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if a.Gone() {
		return nil, nil, bad
	}
	return sess, a, nil
}

// EndSession signs a browser out; its live streams end.
func (s *Service) EndSession(ctx context.Context, cookie string) error {
	key := hashSecret(cookie)
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, key) }); err != nil {
		return err
	}
	s.sessionEnded(ctx, key)
	return nil
}
