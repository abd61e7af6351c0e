package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// Bounds of the requests that name several accounts at once.
const (
	MaxAccountIDs      = 40  // GET /api/v1/accounts?id[]=, familiar followers (Mastodon's limit)
	MaxRelationshipIDs = 200 // GET /api/v1/accounts/relationships
)

// AccountsFor returns the accounts of ids the viewer may look at, in the
// order asked, each once. Unknown, suspended and deleted accounts and
// accounts that block the viewer are left out, as Account would not find them.
func (s *Service) AccountsFor(ctx context.Context, viewer int64, ids []int64) ([]*model.Account, error) {
	if len(ids) > MaxAccountIDs {
		return nil, model.Invalid("id", "at most %d accounts at once", MaxAccountIDs)
	}
	return s.visibleAccounts(ctx, s.st.Read(), viewer, ids)
}

func (s *Service) visibleAccounts(ctx context.Context, q store.Queries, viewer int64, ids []int64) ([]*model.Account, error) {
	ids = distinct(ids)
	byID, err := q.AccountsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	rel, err := q.RelationsOf(ctx, viewer, ids, s.clock())
	if err != nil {
		return nil, err
	}
	out := make([]*model.Account, 0, len(ids))
	for _, id := range ids {
		a := byID[id]
		if a == nil || (a.ID != viewer && (a.Gone() || rel.BlockedBy[id])) {
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// RelationshipsWith returns what each of ids is to the account, in the
// order asked, each once. Unknown accounts are left out, and suspended or
// deleted ones unless withSuspended — Mastodon's relationships endpoint.
func (s *Service) RelationshipsWith(ctx context.Context, accountID int64, ids []int64, withSuspended bool) ([]model.Relationship, error) {
	if len(ids) > MaxRelationshipIDs {
		return nil, model.Invalid("id", "at most %d accounts at once", MaxRelationshipIDs)
	}
	ids = distinct(ids)
	q := s.st.Read()
	byID, err := q.AccountsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	known := ids[:0:0]
	for _, id := range ids {
		if a := byID[id]; a != nil && (withSuspended || !a.Gone()) {
			known = append(known, id)
		}
	}
	rel, err := q.RelationsOf(ctx, accountID, known, s.clock())
	if err != nil {
		return nil, err
	}
	out := make([]model.Relationship, len(known))
	for i, id := range known {
		out[i] = rel.Relationship(id)
	}
	return out, nil
}

// distinct drops zeros and repeats, keeping the order.
func distinct(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
