package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

// ListInput changes a list; nil fields keep their value (or take the
// default, for a new list: replies to members, not exclusive).
type ListInput struct {
	Title         *string
	RepliesPolicy *string
	Exclusive     *bool
}

// maxListAdd bounds the accounts one request may add to a list: each brings
// its recent posts into the list's timeline.
const maxListAdd = 100

func (in ListInput) apply(l *model.List) error {
	if in.Title != nil {
		title := strings.TrimSpace(*in.Title)
		if title == "" {
			return model.Invalid("title", "can't be blank")
		}
		if !utf8.ValidString(title) || utf8.RuneCountInString(title) > model.MaxListTitle {
			return model.Invalid("title", "is too long (maximum is %d characters)", model.MaxListTitle)
		}
		l.Title = title
	}
	if in.RepliesPolicy != nil {
		p, err := model.ParseRepliesPolicy(*in.RepliesPolicy)
		if err != nil {
			return err
		}
		l.RepliesPolicy = p
	}
	setBool(&l.Exclusive, in.Exclusive)
	return nil
}

// Lists returns the owner's lists, oldest first.
func (s *Service) Lists(ctx context.Context, owner int64) ([]*model.List, error) {
	return s.st.Read().ListsOf(ctx, owner)
}

// List returns one of the owner's lists; ErrNotFound for anyone else's.
func (s *Service) List(ctx context.Context, owner, id int64) (*model.List, error) {
	return s.st.Read().List(ctx, owner, id)
}

// CreateList makes a list; a title is required.
func (s *Service) CreateList(ctx context.Context, owner int64, in ListInput) (*model.List, error) {
	l := &model.List{AccountID: owner, RepliesPolicy: model.RepliesList}
	if in.Title == nil {
		return nil, model.Invalid("title", "can't be blank")
	}
	if err := in.apply(l); err != nil {
		return nil, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, owner); err != nil {
			return err
		}
		n, err := tx.CountLists(ctx, owner)
		if err != nil {
			return err
		}
		if n >= model.MaxLists {
			return model.Errorf(model.ErrLimit, "", "you cannot have more than %d lists", model.MaxLists)
		}
		l.ID, l.CreatedAt = s.newID(), s.clock()
		return tx.InsertList(ctx, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// UpdateList changes a list's title or options.
func (s *Service) UpdateList(ctx context.Context, owner, id int64, in ListInput) (*model.List, error) {
	var l *model.List
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if l, err = tx.List(ctx, owner, id); err != nil {
			return err
		}
		if err := in.apply(l); err != nil {
			return err
		}
		return tx.UpdateList(ctx, l)
	})
	return l, err
}

// DeleteList removes a list, its members and its timeline.
func (s *Service) DeleteList(ctx context.Context, owner, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		deleted, err := tx.DeleteList(ctx, owner, id)
		if err == nil && !deleted {
			err = model.NotFound("list")
		}
		return err
	})
}

// ListAccounts pages a list's members, newest first; all returns every
// member on one page (Mastodon's limit=0).
func (s *Service) ListAccounts(ctx context.Context, owner, id int64, p model.Page, all bool) (AccountList, error) {
	q := s.st.Read()
	l, err := q.List(ctx, owner, id)
	if err != nil {
		return AccountList{}, err
	}
	if all {
		p = model.Page{Limit: maxListMembersAll}
	} else {
		p = p.Clamp(80)
	}
	page, err := q.ListAccounts(ctx, l.ID, p)
	if err != nil {
		return AccountList{}, err
	}
	return s.accountList(ctx, q, page)
}

// maxListMembersAll bounds "all members" (limit=0) so one answer stays small.
const maxListMembersAll = 1000

// ListsWithAccount returns the owner's lists that have accountID as a member.
func (s *Service) ListsWithAccount(ctx context.Context, owner, accountID int64) ([]*model.List, error) {
	if _, err := s.Account(ctx, owner, accountID); err != nil {
		return nil, err
	}
	return s.st.Read().ListsWithMember(ctx, owner, accountID)
}

// AddListAccounts adds accounts the owner follows to a list and brings
// their recent posts into its timeline. An account not followed is "not
// found", one already in the list invalid, as on Mastodon; either way
// nothing is added.
func (s *Service) AddListAccounts(ctx context.Context, owner, id int64, accountIDs []int64) error {
	if len(accountIDs) == 0 {
		return model.Invalid("account_ids", "can't be blank")
	}
	accountIDs = withoutRepeats(accountIDs)
	if len(accountIDs) > maxListAdd {
		return model.Invalid("account_ids", "at most %d accounts at once", maxListAdd)
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.List(ctx, owner, id)
		if err != nil {
			return err
		}
		for _, accountID := range accountIDs {
			f, err := tx.Follow(ctx, owner, accountID)
			if isNotFound(err) {
				return model.Errorf(model.ErrNotFound, "account_ids", "you do not follow account %d", accountID)
			}
			if err != nil {
				return err
			}
			added, err := tx.AddListAccount(ctx, s.newID(), l.ID, accountID, f.ID, s.clock())
			if err != nil {
				return err
			}
			if !added {
				return model.Invalid("account_ids", "account %d is already in the list", accountID)
			}
			if err := s.mergeIntoList(ctx, tx, l, f); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemoveListAccounts removes accounts from a list; ones not in it are ignored.
func (s *Service) RemoveListAccounts(ctx context.Context, owner, id int64, accountIDs []int64) error {
	if len(accountIDs) == 0 {
		return model.Invalid("account_ids", "can't be blank")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.List(ctx, owner, id)
		if err != nil {
			return err
		}
		return tx.RemoveListAccounts(ctx, l.ID, accountIDs)
	})
}

// ListTimeline is the posts and boosts of a list's members, as its owner
// sees them, newest first.
func (s *Service) ListTimeline(ctx context.Context, owner, id int64, p model.Page) (Timeline, error) {
	q := s.st.Read()
	l, err := q.List(ctx, owner, id)
	if err != nil {
		return Timeline{}, err
	}
	list, err := q.ListTimeline(ctx, l.ID, owner, p.Clamp(model.MaxLimit), s.clock())
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, owner, list, filter{mutes: true})
	return timelineOf(views, statusCursors(list)), err
}

// withoutRepeats drops repeated IDs, keeping the first of each.
func withoutRepeats(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
