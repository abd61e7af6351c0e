package service

import (
	"context"
	"strings"

	"weft/internal/model"
)

// FediverseAccount returns the local account named username as the
// fediverse may see it: only members who share with the fediverse exist
// there (ErrNotFound for the others, as for unknown names), and suspended
// or deleted ones are gone (ErrGone), so other servers drop them.
func (s *Service) FediverseAccount(ctx context.Context, username string) (*model.Account, error) {
	if username == "" || strings.ContainsAny(username, "@/ ") {
		return nil, model.NotFound("account")
	}
	a, err := s.st.Read().AccountByUsername(ctx, username, "")
	if err != nil {
		return nil, err
	}
	if a.Gone() {
		return nil, model.Errorf(model.ErrGone, "", "this account is gone")
	}
	if !a.FediverseSharing {
		return nil, model.NotFound("account")
	}
	return a, nil
}

// RetractedAccount returns a local member who shared with the fediverse
// once and stopped (they still have a key), with their public key: other
// servers are told the actor is gone, but can still fetch the key that
// signed its retractions (the Deletes of its posts). ErrNotFound for
// anyone else.
func (s *Service) RetractedAccount(ctx context.Context, username string) (*model.Account, string, error) {
	if username == "" || strings.ContainsAny(username, "@/ ") {
		return nil, "", model.NotFound("account")
	}
	q := s.st.Read()
	a, err := q.AccountByUsername(ctx, username, "")
	if err != nil {
		return nil, "", err
	}
	if a.FediverseSharing || a.Gone() {
		return nil, "", model.NotFound("account")
	}
	k, err := q.AccountKeyOf(ctx, a.ID)
	if err != nil {
		return nil, "", err
	}
	return a, k.PublicPEM, nil
}

// FediverseRefuses reports whether the sharing member username refuses to
// show anything to a remote account that asks (by a signed fetch): one they
// block, or of a server they block. Only signed requests can be told apart,
// so this holds in secure mode (authorized_fetch), as on Mastodon.
func (s *Service) FediverseRefuses(ctx context.Context, username string, viewer *model.Account) (bool, error) {
	if viewer == nil || viewer.Local() {
		return false, nil
	}
	member, err := s.FediverseAccount(ctx, username)
	if err != nil {
		return false, nil // not there: the document's own answer says so
	}
	return s.st.Read().BlocksRemote(ctx, member.ID, viewer.ID, viewer.Domain)
}
