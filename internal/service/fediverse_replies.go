package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// FediverseRepliesPageSize is how many replies one collection page lists.
const FediverseRepliesPageSize = 40

// SelfRepliesInline is how many of the author's own replies a post's
// document lists in its replies collection's first page, as Mastodon does
// (5): a thread its author wrote reads whole from the post alone, and
// GoToSocial, which only walks a first page given inline, finds the rest
// through its next link.
const SelfRepliesInline = 5

// RepliesPage is a page of a post's replies collection: their ids, and
// where the next page starts.
type RepliesPage struct {
	URIs []string
	// Next is the next page, nil at the end.
	Next *RepliesCursor
}

// RepliesCursor says which page of a post's replies collection is asked
// for, as Mastodon pages it: the author's own replies first (Others
// false), then everyone else's (Others true), oldest first after MinID.
type RepliesCursor struct {
	Others bool
	MinID  int64
}

// FediverseReplies lists a page of the public and unlisted replies to a
// sharing member's post (by anyone: local members who share and remote
// accounts), for the post's replies collection, so other servers can
// complete the thread. The post must be one the requester may fetch.
func (s *Service) FediverseReplies(ctx context.Context, username string, id int64, viewer *model.Account, c RepliesCursor) (RepliesPage, error) {
	fs, err := s.fediverseStatus(ctx, username, id, viewer)
	if err != nil {
		return RepliesPage{}, err
	}
	if fs.Tombstone {
		return RepliesPage{}, model.Errorf(model.ErrGone, "", "this post is gone")
	}
	return s.repliesPage(ctx, s.st.Read(), fs.Status, c, FediverseRepliesPageSize)
}

func (s *Service) repliesPage(ctx context.Context, q store.Queries, st *model.Status, c RepliesCursor, limit int) (RepliesPage, error) {
	ids, err := q.PublicReplyIDs(ctx, st.ID, st.AccountID, !c.Others, c.MinID, limit)
	if err != nil {
		return RepliesPage{}, err
	}
	byID, err := q.StatusesByIDs(ctx, ids)
	if err != nil {
		return RepliesPage{}, err
	}
	var authors []int64
	for _, r := range byID {
		authors = append(authors, r.AccountID)
	}
	accs, err := q.AccountsByIDs(ctx, authors)
	if err != nil {
		return RepliesPage{}, err
	}
	out := RepliesPage{URIs: []string{}}
	for _, rid := range ids {
		r := byID[rid]
		if r == nil || accs[r.AccountID] == nil {
			continue
		}
		out.URIs = append(out.URIs, s.StatusURI(r, accs[r.AccountID]))
	}
	switch {
	case len(ids) == limit:
		out.Next = &RepliesCursor{Others: c.Others, MinID: ids[len(ids)-1]}
	case !c.Others:
		out.Next = &RepliesCursor{Others: true} // the author's own are done: everyone else's
	}
	return out, nil
}
