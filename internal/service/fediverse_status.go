package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/policy"
	"weft/internal/store"
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
	// Boosted is the post a boost (Status) shares, with its author: the
	// outbox lists boosts as Announce activities.
	Boosted   *model.Status
	BoostedBy *model.Account
	// SelfReplies is the first page of the post's replies collection (its
	// author's own replies), when it was read; nil when not (the document
	// then sends readers to the collection).
	SelfReplies *RepliesPage
}

// FediverseStatus returns the post id of the sharing member username for
// an unsigned fetch from another server: public and unlisted posts only
// (followers-only and direct posts need a signed fetch by a server whose
// members may see them, which the inbox work brings), never boosts; a
// deleted post is a tombstone. Anything else is ErrNotFound, the same
// answer as for a post that does not exist.
//
// viewer is the remote account whose signed request asks (nil when
// unsigned): it also gets the followers-only and direct posts the
// visibility policy lets it see, as Mastodon serves them to a follower's
// signed fetch.
func (s *Service) FediverseStatus(ctx context.Context, username string, id int64, viewer *model.Account) (*FediverseStatus, error) {
	fs, err := s.fediverseStatus(ctx, username, id, viewer)
	if err != nil || fs.Tombstone {
		return fs, err
	}
	return fs, s.withSelfReplies(ctx, fs)
}

// WithSelfReplies reads the first page of a post's replies collection into
// fs (public and unlisted posts; the others list no replies).
func (s *Service) WithSelfReplies(ctx context.Context, fs *FediverseStatus) error {
	return s.withSelfReplies(ctx, fs)
}

func (s *Service) withSelfReplies(ctx context.Context, fs *FediverseStatus) error {
	if fs.Tombstone || fs.Status.Visibility != model.Public && fs.Status.Visibility != model.Unlisted {
		return nil
	}
	page, err := s.repliesPage(ctx, s.st.Read(), fs.Status, RepliesCursor{}, SelfRepliesInline)
	if err != nil {
		return err
	}
	fs.SelfReplies = &page
	return nil
}

func (s *Service) fediverseStatus(ctx context.Context, username string, id int64, viewer *model.Account) (*FediverseStatus, error) {
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
	if !author.SharesPostsFrom(st.CreatedAt) {
		return nil, model.NotFound("status") // written before sharing was turned on: not for the fediverse
	}
	if st.Visibility != model.Public && st.Visibility != model.Unlisted {
		if viewer == nil || viewer.Local() {
			return nil, model.NotFound("status")
		}
		if _, _, err := s.visibleStatusAs(ctx, q, viewer, st.ID); err != nil {
			return nil, model.NotFound("status")
		}
	}
	return s.fediverseView(ctx, q, st, author)
}

// fediverseView gathers what a post's ActivityPub object needs.
func (s *Service) fediverseView(ctx context.Context, q store.Queries, st *model.Status, author *model.Account) (*FediverseStatus, error) {
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

// FediverseOutboxPageSize is how many posts one outbox page holds.
const FediverseOutboxPageSize = 20

// OutboxPage is a page of a sharing member's outbox.
type OutboxPage struct {
	Total     int64
	Posts     []*FediverseStatus // newest first
	NextMaxID int64              // 0 at the end
}

// FediverseOutbox returns the public and unlisted posts of the sharing
// member username, newest first, for their outbox (boosts and other
// visibilities are not listed to unsigned fetches). With withItems false
// only the total is read.
func (s *Service) FediverseOutbox(ctx context.Context, username string, withItems bool, maxID int64) (OutboxPage, error) {
	author, err := s.FediverseAccount(ctx, username)
	if err != nil {
		return OutboxPage{}, err
	}
	q := s.st.Read()
	var out OutboxPage
	if out.Total, err = q.CountPublicPosts(ctx, author.ID, *author.FediverseSince); err != nil || !withItems {
		return out, err
	}
	list, err := q.AccountStatuses(ctx, store.AccountQuery{AccountID: author.ID,
		Visibilities: []model.Visibility{model.Public, model.Unlisted},
		Page:         model.Page{MaxID: maxID, Limit: FediverseOutboxPageSize}}, s.clock())
	if err != nil {
		return out, err
	}
	for _, st := range list {
		if st.Visibility != model.Public && st.Visibility != model.Unlisted || !author.SharesPostsFrom(st.CreatedAt) {
			continue // by the query, or written before sharing was turned on
		}
		if st.IsReblog() {
			// A boost is listed when anyone on the fediverse may see the
			// boosted post.
			boosted, err := q.StatusByID(ctx, st.ReblogOfID)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return out, err
			}
			by, err := q.AccountByID(ctx, boosted.AccountID)
			if err != nil {
				return out, err
			}
			anyone := policy.Viewer{Remote: true}
			if !policy.CanSee(anyone, policy.PostOf(boosted, by)) || boosted.Visibility != model.Public && boosted.Visibility != model.Unlisted {
				continue
			}
			out.Posts = append(out.Posts, &FediverseStatus{Status: st, Author: author, Boosted: boosted, BoostedBy: by})
			continue
		}
		v, err := s.fediverseView(ctx, q, st, author)
		if err != nil {
			return out, err
		}
		out.Posts = append(out.Posts, v)
	}
	if len(list) == FediverseOutboxPageSize {
		out.NextMaxID = list[len(list)-1].ID
	}
	return out, nil
}

// FediverseFeatured returns the pinned public and unlisted posts of the
// sharing member username, for their featured collection.
func (s *Service) FediverseFeatured(ctx context.Context, username string) ([]*FediverseStatus, error) {
	author, err := s.FediverseAccount(ctx, username)
	if err != nil {
		return nil, err
	}
	q := s.st.Read()
	ids, err := q.PinnedStatusIDs(ctx, author.ID)
	if err != nil {
		return nil, err
	}
	byID, err := q.StatusesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []*FediverseStatus
	for _, id := range ids {
		st := byID[id]
		if st == nil || st.DeletedAt != nil || st.AccountID != author.ID || !author.SharesPostsFrom(st.CreatedAt) ||
			(st.Visibility != model.Public && st.Visibility != model.Unlisted) {
			continue
		}
		v, err := s.fediverseView(ctx, q, st, author)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// FediverseStatusByID gathers a post (or boost) for rendering it to the
// fediverse, whatever its visibility: the federation worker addresses it to
// exactly the audience its visibility allows.
func (s *Service) FediverseStatusByID(ctx context.Context, id int64) (*FediverseStatus, error) {
	q := s.st.Read()
	st, err := q.StatusByID(ctx, id)
	if err != nil {
		return nil, err
	}
	author, err := q.AccountByID(ctx, st.AccountID)
	if err != nil {
		return nil, err
	}
	if st.DeletedAt != nil {
		return &FediverseStatus{Status: st, Author: author, Tombstone: true}, nil
	}
	return s.fediverseView(ctx, q, st, author)
}
