package service

import (
	"context"

	"weft/internal/model"
)

// FollowsPage is a page of a sharing member's followers or follows as the
// fediverse sees them.
type FollowsPage struct {
	Total     int64
	Hidden    bool             // the member hides the list: the total only
	Accounts  []*model.Account // newest follow first
	NextMaxID int64            // cursor of the next page; 0 at the end
}

// FediverseFollowsPageSize is how many accounts one collection page lists.
const FediverseFollowsPageSize = 40

// FediverseFollows returns the followers (followers=true) or the follows
// of the sharing member username, for their ActivityPub collections. Local
// members who do not share with the fediverse are left out, and not
// counted: nothing there tells a remote server that they exist. With
// withItems false only the total is read (the collection's summary).
func (s *Service) FediverseFollows(ctx context.Context, username string, followers, withItems bool, maxID int64) (FollowsPage, error) {
	acc, err := s.FediverseAccount(ctx, username)
	if err != nil {
		return FollowsPage{}, err
	}
	q := s.st.Read()
	var out FollowsPage
	out.Hidden = acc.HideCollections
	if out.Total, err = q.CountFediverseFollows(ctx, acc.ID, followers); err != nil || !withItems || out.Hidden {
		return out, err
	}
	p := model.Page{MaxID: maxID, Limit: FediverseFollowsPageSize}
	list := q.FediverseFollowing
	if followers {
		list = q.FediverseFollowers
	}
	page, err := list(ctx, acc.ID, p)
	if err != nil {
		return out, err
	}
	accs, err := q.AccountsByIDs(ctx, page.AccountIDs)
	if err != nil {
		return out, err
	}
	for _, id := range page.AccountIDs {
		if a := accs[id]; a != nil {
			out.Accounts = append(out.Accounts, a)
		}
	}
	if len(page.RowIDs) == FediverseFollowsPageSize {
		out.NextMaxID = page.RowIDs[len(page.RowIDs)-1]
	}
	return out, nil
}
