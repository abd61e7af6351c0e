package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// Relationship returns what targetID is to accountID.
func (s *Service) Relationship(ctx context.Context, accountID, targetID int64) (model.Relationship, error) {
	rels, err := s.Relationships(ctx, accountID, []int64{targetID})
	if err != nil {
		return model.Relationship{}, err
	}
	return rels[0], nil
}

// Relationships returns what each of ids is to accountID, in order.
func (s *Service) Relationships(ctx context.Context, accountID int64, ids []int64) ([]model.Relationship, error) {
	rel, err := s.st.Read().RelationsOf(ctx, accountID, ids, s.clock())
	if err != nil {
		return nil, err
	}
	out := make([]model.Relationship, len(ids))
	for i, id := range ids {
		out[i] = rel.Relationship(id)
	}
	return out, nil
}

// AccountList is a page of accounts with the row IDs that paginate it.
type AccountList struct {
	Accounts []*model.Account
	RowIDs   []int64
}

func (s *Service) accountList(ctx context.Context, q store.Queries, page store.AccountPage) (AccountList, error) {
	accounts, err := q.AccountsByIDs(ctx, page.AccountIDs)
	if err != nil {
		return AccountList{}, err
	}
	var out AccountList
	for i, id := range page.AccountIDs {
		if a := accounts[id]; a != nil && !a.Gone() {
			out.Accounts = append(out.Accounts, a)
			out.RowIDs = append(out.RowIDs, page.RowIDs[i])
		}
	}
	return out, nil
}

// Followers lists an account's followers, newest first.
func (s *Service) Followers(ctx context.Context, viewer, accountID int64, p model.Page) (AccountList, error) {
	if acc, err := s.Account(ctx, viewer, accountID); err != nil {
		return AccountList{}, err
	} else if acc.HideCollections && viewer != accountID {
		return AccountList{}, nil // hidden: others see the count only
	}
	q := s.st.Read()
	page, err := q.Followers(ctx, accountID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}

// Following lists whom an account follows, newest first.
func (s *Service) Following(ctx context.Context, viewer, accountID int64, p model.Page) (AccountList, error) {
	if acc, err := s.Account(ctx, viewer, accountID); err != nil {
		return AccountList{}, err
	} else if acc.HideCollections && viewer != accountID {
		return AccountList{}, nil // hidden: others see the count only
	}
	q := s.st.Read()
	page, err := q.Following(ctx, accountID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}

// FollowRequests lists who asked to follow the account.
func (s *Service) FollowRequests(ctx context.Context, accountID int64, p model.Page) (AccountList, error) {
	q := s.st.Read()
	page, err := q.FollowRequests(ctx, accountID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}

// Blocks lists whom the account blocks.
func (s *Service) Blocks(ctx context.Context, accountID int64, p model.Page) (AccountList, error) {
	q := s.st.Read()
	page, err := q.Blocks(ctx, accountID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}

// Mutes lists whom the account mutes. Mutes whose time ran out but that
// the periodic expiry job has not removed yet are left out.
func (s *Service) Mutes(ctx context.Context, accountID int64, p model.Page) (AccountList, error) {
	q := s.st.Read()
	page, err := q.Mutes(ctx, accountID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	rel, err := q.RelationsOf(ctx, accountID, page.AccountIDs, s.clock())
	if err != nil {
		return AccountList{}, err
	}
	var active store.AccountPage
	for i, id := range page.AccountIDs {
		if rel.Muting[id] != nil {
			active.AccountIDs = append(active.AccountIDs, id)
			active.RowIDs = append(active.RowIDs, page.RowIDs[i])
		}
	}
	return s.accountList(ctx, q, active)
}

// FavouritedBy lists who liked a post the viewer can see.
func (s *Service) FavouritedBy(ctx context.Context, viewer, statusID int64, p model.Page) (AccountList, error) {
	q := s.st.Read()
	if _, _, err := s.visibleStatus(ctx, q, viewer, statusID); err != nil {
		return AccountList{}, err
	}
	page, err := q.FavouritedBy(ctx, statusID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}

// RebloggedBy lists who boosted a post the viewer can see.
func (s *Service) RebloggedBy(ctx context.Context, viewer, statusID int64, p model.Page) (AccountList, error) {
	q := s.st.Read()
	if _, _, err := s.visibleStatus(ctx, q, viewer, statusID); err != nil {
		return AccountList{}, err
	}
	page, err := q.RebloggedBy(ctx, statusID, p.Clamp(80))
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}
