package service

import (
	"context"

	"weft/internal/model"
)

// FediverseRepliesPageSize is how many replies one collection page lists.
const FediverseRepliesPageSize = 40

// RepliesPage is a page of a post's replies collection: their ids.
type RepliesPage struct {
	URIs      []string
	NextMaxID int64
}

// FediverseReplies lists the public and unlisted replies to a sharing
// member's post (by anyone: local members who share and remote accounts),
// for the post's replies collection, so other servers can complete the
// thread. The post must be one the requester may fetch.
func (s *Service) FediverseReplies(ctx context.Context, username string, id int64, viewer *model.Account, maxID int64) (RepliesPage, error) {
	fs, err := s.FediverseStatus(ctx, username, id, viewer)
	if err != nil {
		return RepliesPage{}, err
	}
	if fs.Tombstone {
		return RepliesPage{}, model.Errorf(model.ErrGone, "", "this post is gone")
	}
	q := s.st.Read()
	ids, err := q.PublicReplyIDs(ctx, id, maxID, FediverseRepliesPageSize)
	if err != nil {
		return RepliesPage{}, err
	}
	byID, err := q.StatusesByIDs(ctx, ids)
	if err != nil {
		return RepliesPage{}, err
	}
	var authors []int64
	for _, st := range byID {
		authors = append(authors, st.AccountID)
	}
	accs, err := q.AccountsByIDs(ctx, authors)
	if err != nil {
		return RepliesPage{}, err
	}
	var out RepliesPage
	for _, rid := range ids {
		st := byID[rid]
		if st == nil || accs[st.AccountID] == nil {
			continue
		}
		out.URIs = append(out.URIs, s.StatusURI(st, accs[st.AccountID]))
	}
	if len(ids) == FediverseRepliesPageSize {
		out.NextMaxID = ids[len(ids)-1]
	}
	return out, nil
}
