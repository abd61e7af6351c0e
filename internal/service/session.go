package service

import (
	"context"
	"time"

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
	now := s.clock()
	if now.Sub(sess.CreatedAt) > SessionLifetime {
		// As old as its cookie: over, here too.
		if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, sess.Key) }); err != nil {
			return nil, nil, err
		}
		return nil, nil, bad
	}
	a, err := q.AccountByID(ctx, sess.AccountID)
	if err != nil {
		return nil, nil, err
	}
	if a.Gone() {
		return nil, nil, bad
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		// When it was last used, for the member's list of sessions; an
		// hour's precision is enough, and spares a write per page.
		if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, sess.Key, now) }); err != nil {
			s.log.Warn("record session use", "err", err)
		}
		sess.LastSeenAt = now
	}
	return sess, a, nil
}

// SessionLifetime is how long a browser stays signed in: the session
// cookie's lifetime, kept on the server too (the hourly housekeeping
// removes older sessions).
const SessionLifetime = 30 * 24 * time.Hour

// sessionTouchEvery is how often a session's last use is recorded.
const sessionTouchEvery = time.Hour

// Sessions lists a member's browser sessions, the latest used first.
func (s *Service) Sessions(ctx context.Context, accountID int64) ([]*model.Session, error) {
	return s.st.Read().AccountSessions(ctx, accountID)
}

// EndSessionOf signs one of a member's browsers out (from another one);
// its live streams end.
func (s *Service) EndSessionOf(ctx context.Context, accountID int64, key string) error {
	var ended bool
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		ended, err = tx.DeleteAccountSession(ctx, accountID, key)
		return err
	})
	if err != nil {
		return err
	}
	if !ended {
		return model.NotFound("session")
	}
	s.sessionEnded(ctx, key)
	return nil
}

// EndOtherSessions signs a member out of every browser but keep (the key
// of the one asking).
func (s *Service) EndOtherSessions(ctx context.Context, accountID int64, keep string) error {
	var keys []string
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		keys, err = tx.DeleteOtherSessions(ctx, accountID, keep)
		return err
	})
	for _, k := range keys {
		s.sessionEnded(ctx, k)
	}
	return err
}

// AuthorizedApp is an app a member gave access to.
type AuthorizedApp struct {
	ID           int64
	Name         string
	Website      string
	Scopes       []string
	AuthorizedAt time.Time
}

// AuthorizedApps lists the apps that can act for a member (live tokens).
func (s *Service) AuthorizedApps(ctx context.Context, accountID int64) ([]AuthorizedApp, error) {
	list, err := s.st.Read().AuthorizedApps(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]AuthorizedApp, 0, len(list))
	for _, a := range list {
		out = append(out, AuthorizedApp{ID: a.App.ID, Name: a.App.Name, Website: a.App.Website, Scopes: a.Scopes, AuthorizedAt: a.AuthorizedAt})
	}
	return out, nil
}

// RevokeApp takes an app's access to a member's account away: every token
// it holds for them, and their streams.
func (s *Service) RevokeApp(ctx context.Context, accountID, appID int64) error {
	var ids []int64
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = tx.RevokeAppTokens(ctx, accountID, appID, s.clock())
		return err
	})
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return model.NotFound("app")
	}
	for _, id := range ids {
		s.tokenRevoked(ctx, id)
	}
	return nil
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
