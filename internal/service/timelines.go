package service

import (
	"context"
	"errors"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// Timeline is a page of statuses, newest first. NextMaxID and PrevMinID are
// the cursors for the next (older) and previous (newer) pages; 0 when the
// page is empty. They come from the list's own ordering column, which is not
// always the status ID (bookmarks and favourites page by when they were made).
type Timeline struct {
	Statuses  []*StatusView
	NextMaxID int64
	PrevMinID int64
}

func timelineOf(views []*StatusView, cursors []int64) Timeline {
	t := Timeline{Statuses: views}
	if len(cursors) > 0 {
		t.PrevMinID, t.NextMaxID = cursors[0], cursors[len(cursors)-1]
	}
	return t
}

// statusCursors lists status IDs, the cursor of most timelines. They are
// taken before filtering, so a page emptied by the policy still moves on.
func statusCursors(list []*model.Status) []int64 {
	ids := make([]int64, len(list))
	for i, st := range list {
		ids[i] = st.ID
	}
	return ids
}

// HomeTimeline is the viewer's own posts and those of the accounts they
// follow, boosts included, newest first.
func (s *Service) HomeTimeline(ctx context.Context, viewer int64, p model.Page) (Timeline, error) {
	q := s.st.Read()
	ctx, err := q.WithViewerRev(ctx, viewer) // one revision for the page and the views
	if err != nil {
		return Timeline{}, err
	}
	list, err := q.HomeTimeline(ctx, viewer, p.Clamp(model.MaxLimit), s.clock())
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{mutes: true})
	return timelineOf(views, statusCursors(list)), err
}

// PublicTimeline is the public posts known to this server (scope narrows it
// to local or remote ones), without boosts and replies to others.
func (s *Service) PublicTimeline(ctx context.Context, viewer int64, scope store.Scope, p model.Page) (Timeline, error) {
	return s.FilteredPublicTimeline(ctx, viewer, store.PublicFilter{Scope: scope}, p)
}

// FilteredPublicTimeline is PublicTimeline narrowed by f: by origin, and
// to posts with media (Mastodon's only_media).
func (s *Service) FilteredPublicTimeline(ctx context.Context, viewer int64, f store.PublicFilter, p model.Page) (Timeline, error) {
	q := s.st.Read()
	list, err := q.PublicTimeline(ctx, viewer, f, p.Clamp(model.MaxLimit), s.clock())
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{mutes: true, limited: s.limitedDomains(ctx)})
	return timelineOf(views, statusCursors(list)), err
}

// TagTimeline is the public posts with a hashtag.
func (s *Service) TagTimeline(ctx context.Context, viewer int64, tag string, scope store.Scope, p model.Page) (Timeline, error) {
	return s.tagTimeline(ctx, viewer, tag, store.PublicFilter{Scope: scope}, p)
}

func (s *Service) tagTimeline(ctx context.Context, viewer int64, tag string, f store.PublicFilter, p model.Page) (Timeline, error) {
	if !text.ValidTagName(tag) {
		return Timeline{}, model.Invalid("hashtag", "is not a valid hashtag")
	}
	q := s.st.Read()
	tagID, err := q.TagIDByKey(ctx, text.TagKey(tag))
	if errors.Is(err, model.ErrNotFound) {
		return Timeline{}, nil // no post uses it yet: an empty timeline, as on Mastodon
	}
	if err != nil {
		return Timeline{}, err
	}
	list, err := q.TagTimeline(ctx, viewer, tagID, f, p.Clamp(model.MaxLimit), s.clock())
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{mutes: true, limited: s.limitedDomains(ctx)})
	return timelineOf(views, statusCursors(list)), err
}

// AccountTimelineOptions mirror Mastodon's account statuses parameters.
type AccountTimelineOptions struct {
	ExcludeReplies bool // keeps the account's own threads
	OnlyReplies    bool // replies to others only (the "Replies" tab)
	ExcludeReblogs bool
	Pinned         bool   // only the pinned posts
	PinnedFirst    bool   // the first page starts with the pinned posts (a profile page)
	Tagged         string // only posts with this hashtag
	OnlyMedia      bool   // only posts with attachments, so no boosts
}

// AccountTimeline is an account's posts and boosts as the viewer may see
// them: followers-only posts for followers, direct posts for those mentioned.
func (s *Service) AccountTimeline(ctx context.Context, viewer, accountID int64, o AccountTimelineOptions, p model.Page) (Timeline, error) {
	account, err := s.Account(ctx, viewer, accountID)
	if err != nil {
		return Timeline{}, err
	}
	q := s.st.Read()
	if o.Pinned {
		return s.pinnedTimeline(ctx, q, viewer, account.ID, o.OnlyMedia, p)
	}
	aq := store.AccountQuery{AccountID: account.ID, Viewer: viewer, ExcludeReplies: o.ExcludeReplies,
		OnlyReplies: o.OnlyReplies, ExcludeReblogs: o.ExcludeReblogs, OnlyMedia: o.OnlyMedia, Page: p.Clamp(model.MaxLimit)}
	switch {
	case viewer == account.ID:
		aq.Visibilities = []model.Visibility{model.Public, model.Unlisted, model.Private, model.Direct}
	case viewer != 0:
		following, err := q.FollowingAmong(ctx, viewer, []int64{account.ID})
		if err != nil {
			return Timeline{}, err
		}
		aq.Visibilities = []model.Visibility{model.Public, model.Unlisted}
		if following[account.ID] {
			aq.Visibilities = append(aq.Visibilities, model.Private)
		}
	default:
		aq.Visibilities = []model.Visibility{model.Public, model.Unlisted}
	}
	if o.Tagged != "" {
		if !text.ValidTagName(o.Tagged) {
			return Timeline{}, model.Invalid("tagged", "is not a valid hashtag")
		}
		tagID, err := q.TagIDByKey(ctx, text.TagKey(o.Tagged))
		if errors.Is(err, model.ErrNotFound) {
			return Timeline{}, nil
		}
		if err != nil {
			return Timeline{}, err
		}
		aq.TagID = tagID
	}
	list, err := q.AccountStatuses(ctx, aq, s.clock())
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{})
	if err != nil {
		return Timeline{}, err
	}
	t := timelineOf(views, statusCursors(list))
	if o.PinnedFirst && p.MaxID == 0 && p.MinID == 0 && p.SinceID == 0 {
		pinned, err := s.pinnedTimeline(ctx, q, viewer, account.ID, o.OnlyMedia, p)
		if err != nil {
			return Timeline{}, err
		}
		// Pinned posts lead the first page and are not repeated below them;
		// the cursors still come from the account's own order.
		isPinned := map[int64]bool{}
		for _, v := range pinned.Statuses {
			isPinned[v.Status.ID] = true
		}
		rest := t.Statuses[:0:0]
		for _, v := range t.Statuses {
			if !isPinned[v.Status.ID] {
				rest = append(rest, v)
			}
		}
		t.Statuses = append(pinned.Statuses, rest...)
	}
	return t, nil
}

// pinnedTimeline is an account's pinned posts (onlyMedia: those with
// attachments). Pins are one short list without pages, so the media
// condition is checked here rather than in SQL.
func (s *Service) pinnedTimeline(ctx context.Context, q store.Queries, viewer, accountID int64, onlyMedia bool, p model.Page) (Timeline, error) {
	if p.MaxID != 0 || p.MinID != 0 || p.SinceID != 0 {
		return Timeline{}, nil // pins are one short list: there is no next page
	}
	ids, err := q.PinnedStatusIDs(ctx, accountID)
	if err != nil {
		return Timeline{}, err
	}
	byID, err := q.StatusesByIDs(ctx, ids)
	if err != nil {
		return Timeline{}, err
	}
	var list []*model.Status
	for _, id := range ids {
		if st := byID[id]; st != nil && (!onlyMedia || len(st.Media) > 0) {
			list = append(list, st)
		}
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{})
	return Timeline{Statuses: views}, err
}

// Bookmarks lists the viewer's bookmarks, newest first, paged by bookmark.
func (s *Service) Bookmarks(ctx context.Context, viewer int64, p model.Page) (Timeline, error) {
	q := s.st.Read()
	m, err := q.Bookmarked(ctx, viewer, p.Clamp(model.MaxLimit))
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, m.Statuses, filter{})
	return timelineOf(views, m.RowIDs), err
}

// Favourites lists the posts the viewer liked, newest like first.
func (s *Service) Favourites(ctx context.Context, viewer int64, p model.Page) (Timeline, error) {
	q := s.st.Read()
	m, err := q.Favourited(ctx, viewer, p.Clamp(model.MaxLimit))
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, m.Statuses, filter{})
	return timelineOf(views, m.RowIDs), err
}

// Status returns one status as the viewer sees it.
func (s *Service) Status(ctx context.Context, viewer, statusID int64) (*StatusView, error) {
	q := s.st.Read()
	st, _, err := s.visibleStatus(ctx, q, viewer, statusID)
	if err != nil {
		return nil, err
	}
	return s.statusView(ctx, q, viewer, st)
}
