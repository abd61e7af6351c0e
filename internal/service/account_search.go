package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

// Bounds of an account search.
const (
	maxSearchQuery  = 100 // runes; no username or display name is that long
	MaxSearchLimit  = 40
	MaxSearchOffset = 1000
	// MaxFamiliarFollowers is how many familiar followers are listed per account.
	MaxFamiliarFollowers = 40
)

// AccountSearch is a search for accounts (GET /api/v1/accounts/search).
type AccountSearch struct {
	Query     string
	Limit     int // 1 to MaxSearchLimit; 0 = MaxSearchLimit
	Offset    int
	Following bool // only accounts the viewer follows
	// Resolve asks to look an unknown user@domain up on its server: a
	// no-op until federation arrives.
	Resolve bool
}

// SearchAccounts finds accounts for the viewer. "user@domain" of another
// server names one account exactly, when this server knows it; anything
// else is the start of a local username or display name, any case.
// Suspended and deleted accounts, and accounts that block the viewer or
// that the viewer blocks, are never found.
func (s *Service) SearchAccounts(ctx context.Context, viewer int64, in AccountSearch) ([]*model.Account, error) {
	if in.Offset < 0 || in.Offset > MaxSearchOffset {
		return nil, model.Invalid("offset", "must be from 0 to %d", MaxSearchOffset)
	}
	if in.Limit <= 0 || in.Limit > MaxSearchLimit {
		in.Limit = MaxSearchLimit
	}
	query := strings.TrimPrefix(strings.TrimSpace(in.Query), "@")
	if query == "" || utf8.RuneCountInString(query) > maxSearchQuery || !utf8.ValidString(query) || strings.ContainsRune(query, 0) {
		return nil, nil // as Mastodon: nothing to find is no error (PostgreSQL would refuse NUL and bad UTF-8)
	}
	q := s.st.Read()
	if username, domain, ok := strings.Cut(query, "@"); ok {
		if !s.localDomain(domain) {
			return s.exactRemoteAccount(ctx, q, viewer, username, domain, in)
		}
		query = username
		if query == "" {
			return nil, nil
		}
	}
	return q.SearchLocalAccounts(ctx, store.AccountSearch{Prefix: query, Viewer: viewer, Following: in.Following,
		Limit: in.Limit, Offset: in.Offset})
}

// exactRemoteAccount is a search for user@domain of another server.
func (s *Service) exactRemoteAccount(ctx context.Context, q store.Queries, viewer int64, username, domain string, in AccountSearch) ([]*model.Account, error) {
	if in.Offset > 0 || username == "" {
		return nil, nil
	}
	a, err := q.AccountByUsername(ctx, username, domain)
	if isNotFound(err) && in.Resolve && s.resolver != nil {
		a, err = s.resolver.ResolveHandle(ctx, username, domain)
		if err != nil {
			s.log.Debug("remote account look-up failed", "acct", username+"@"+domain, "err", err)
			return nil, nil // as Mastodon: what cannot be found is no error
		}
		q = s.st.Read()
	}
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.Gone() {
		return nil, nil
	}
	if viewer != 0 && a.ID != viewer {
		rel, err := q.RelationsOf(ctx, viewer, []int64{a.ID}, s.clock())
		if err != nil {
			return nil, err
		}
		if rel.Blocking[a.ID] || rel.BlockedBy[a.ID] {
			return nil, nil
		}
		if _, follows := rel.Following[a.ID]; in.Following && !follows {
			return nil, nil
		}
	}
	return []*model.Account{a}, nil
}

// FamiliarFollowers is one account's followers whom the viewer follows.
type FamiliarFollowers struct {
	AccountID int64
	Accounts  []*model.Account
}

// FamiliarFollowersOf answers, for each of ids in order, which of the
// accounts the viewer follows follow it (at most MaxFamiliarFollowers,
// newest follow first). Unknown, suspended and deleted accounts, and
// accounts that block the viewer, are left out, as if they did not exist.
func (s *Service) FamiliarFollowersOf(ctx context.Context, viewer int64, ids []int64) ([]FamiliarFollowers, error) {
	if len(ids) > MaxAccountIDs {
		return nil, model.Invalid("id", "at most %d accounts at once", MaxAccountIDs)
	}
	q := s.st.Read()
	targets, err := s.visibleAccounts(ctx, q, viewer, ids)
	if err != nil {
		return nil, err
	}
	targetIDs := make([]int64, len(targets))
	for i, t := range targets {
		targetIDs[i] = t.ID
	}
	byTarget, err := q.FamiliarFollowers(ctx, viewer, targetIDs, MaxFamiliarFollowers)
	if err != nil {
		return nil, err
	}
	var followerIDs []int64
	for _, list := range byTarget {
		followerIDs = append(followerIDs, list...)
	}
	accounts, err := q.AccountsByIDs(ctx, followerIDs)
	if err != nil {
		return nil, err
	}
	out := make([]FamiliarFollowers, 0, len(targets))
	for _, t := range targets {
		ff := FamiliarFollowers{AccountID: t.ID, Accounts: []*model.Account{}}
		for _, id := range byTarget[t.ID] {
			if a := accounts[id]; a != nil && !a.Gone() {
				ff.Accounts = append(ff.Accounts, a)
			}
		}
		out = append(out, ff)
	}
	return out, nil
}
