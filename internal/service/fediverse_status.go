package service

import (
	"context"

	"weft/internal/model"
)

// FediverseStatus is a post as the fediverse may fetch it, with what its
// ActivityPub object needs.
type FediverseStatus struct {
	Status    *model.Status
	Author    *model.Account
	Mentions  []*model.Account
	Parent    *model.Status  // the post it answers, if known
	ParentBy  *model.Account // the parent's author
	Tombstone bool           // deleted: only its ID is left to tell
}

// FediverseStatus returns the post id of the sharing member username for
// an unsigned fetch from another server: public and unlisted posts only
// (followers-only and direct posts need a signed fetch by a server whose
// members may see them, which the inbox work brings), never boosts; a
// deleted post is a tombstone. Anything else is ErrNotFound, the same
// answer as for a post that does not exist.
func (s *Service) FediverseStatus(ctx context.Context, username string, id int64) (*FediverseStatus, error) {
	author, err := s.FediverseAccount(ctx, username)
	if err != nil {
		return nil, err
	}
	q := s.st.Read()
	st, err := q.StatusByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if st.AccountID != author.ID || st.IsReblog() || !st.Local {
		return nil, model.NotFound("status")
	}
	if st.DeletedAt != nil {
		return &FediverseStatus{Status: st, Author: author, Tombstone: true}, nil
	}
	if st.Visibility != model.Public && st.Visibility != model.Unlisted {
		return nil, model.NotFound("status")
	}
	out := &FediverseStatus{Status: st, Author: author}
	if len(st.Mentions) > 0 {
		accs, err := q.AccountsByIDs(ctx, st.Mentions)
		if err != nil {
			return nil, err
		}
		for _, m := range st.Mentions {
			if a := accs[m]; a != nil {
				out.Mentions = append(out.Mentions, a)
			}
		}
	}
	if st.InReplyToID != 0 {
		parent, err := q.StatusByID(ctx, st.InReplyToID)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		if parent != nil {
			by, err := q.AccountByID(ctx, parent.AccountID)
			if err != nil && !isNotFound(err) {
				return nil, err
			}
			out.Parent, out.ParentBy = parent, by
		}
	}
	return out, nil
}
