package service

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// TagView is a hashtag as a viewer sees it.
type TagView struct {
	Tag       model.Tag      // ID 0 for a valid name no post has used yet
	History   []model.TagDay // the last tagHistoryDays days, today first, zeros included
	Following bool
	Featuring bool // the viewer features it on their profile
}

// TagList is a page of hashtags with the row IDs that paginate it.
type TagList struct {
	Tags   []*TagView
	RowIDs []int64
}

const (
	tagHistoryDays = 7 // as Mastodon's Tag entity
	trendingWindow = 7 * 24 * time.Hour
)

// tagByName checks a hashtag name and finds its tag. A name that cannot be
// a hashtag is "not found", as on Mastodon; a valid one no post used yet
// gives a tag with ID 0.
func (s *Service) tagByName(ctx context.Context, q store.Queries, name string) (model.Tag, error) {
	if !text.ValidTagName(name) {
		return model.Tag{}, model.NotFound("tag")
	}
	t, err := q.TagByKey(ctx, text.TagKey(name))
	if isNotFound(err) {
		return model.Tag{Name: name}, nil
	}
	if err != nil {
		return model.Tag{}, err
	}
	return *t, nil
}

// Tag returns a hashtag with its recent use and, for a signed-in viewer,
// whether they follow it.
func (s *Service) Tag(ctx context.Context, viewer int64, name string) (*TagView, error) {
	q := s.st.Read()
	t, err := s.tagByName(ctx, q, name)
	if err != nil {
		return nil, err
	}
	views, err := s.tagViews(ctx, q, viewer, []model.Tag{t})
	if err != nil {
		return nil, err
	}
	return views[0], nil
}

// FollowTag follows a hashtag: public posts using it reach the viewer's
// home timeline. Following again is harmless.
func (s *Service) FollowTag(ctx context.Context, viewer int64, name string) (*TagView, error) {
	if !text.ValidTagName(name) {
		return nil, model.NotFound("tag")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, viewer); err != nil {
			return err
		}
		now := s.clock()
		tagID, err := tx.TagID(ctx, name, text.TagKey(name), tagIDOf(text.TagKey(name)), now)
		if err != nil {
			return err
		}
		_, err = tx.FollowTag(ctx, s.newID(), viewer, tagID, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Tag(ctx, viewer, name)
}

// UnfollowTag stops following a hashtag; unfollowing one not followed is harmless.
func (s *Service) UnfollowTag(ctx context.Context, viewer int64, name string) (*TagView, error) {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		t, err := s.tagByName(ctx, tx.Queries, name)
		if err != nil || t.ID == 0 {
			return err
		}
		_, err = tx.UnfollowTag(ctx, viewer, t.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Tag(ctx, viewer, name)
}

// FollowedTags pages the hashtags the viewer follows, newest first.
func (s *Service) FollowedTags(ctx context.Context, viewer int64, p model.Page) (TagList, error) {
	q := s.st.Read()
	page, err := q.FollowedTags(ctx, viewer, p.Clamp(200))
	if err != nil {
		return TagList{}, err
	}
	views, err := s.tagViews(ctx, q, viewer, page.Tags)
	return TagList{Tags: views, RowIDs: page.RowIDs}, err
}

// TrendingTags lists the hashtags of the week's public posts, by how many
// accounts used them. (Mastodon has moderators review trends first; weft
// has no such review yet.)
func (s *Service) TrendingTags(ctx context.Context, viewer int64, limit, offset int) ([]*TagView, error) {
	q := s.st.Read()
	tags, err := q.TrendingTags(ctx, s.clock().Add(-trendingWindow), limit, offset)
	if err != nil {
		return nil, err
	}
	return s.tagViews(ctx, q, viewer, tags)
}

// tagViews adds the recent history and the viewer's follows to tags.
func (s *Service) tagViews(ctx context.Context, q store.Queries, viewer int64, tags []model.Tag) ([]*TagView, error) {
	ids := make([]int64, 0, len(tags))
	for _, t := range tags {
		ids = append(ids, t.ID)
	}
	today := s.clock().Truncate(24 * time.Hour) // times are UTC: midnight today
	first := today.AddDate(0, 0, -(tagHistoryDays - 1))
	history, err := q.TagHistory(ctx, ids, first)
	if err != nil {
		return nil, err
	}
	following, err := q.FollowingTags(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	featuring, err := q.FeaturedTagIDs(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*TagView, 0, len(tags))
	for _, t := range tags {
		v := &TagView{Tag: t, Following: following[t.ID], Featuring: featuring[t.ID]}
		used := map[int64]model.TagDay{}
		for _, d := range history[t.ID] {
			used[d.Day.Unix()] = d
		}
		for i := 0; i < tagHistoryDays; i++ {
			day := today.AddDate(0, 0, -i)
			d, ok := used[day.Unix()]
			if !ok {
				d = model.TagDay{Day: day}
			}
			v.History = append(v.History, d)
		}
		out = append(out, v)
	}
	return out, nil
}

// tagIDOf gives a new tag an ID made from its key, not from the clock:
// IDs made at creation tell when it was made — for a tag first used in a
// followers-only post, when that post was written (the post's ID + 1),
// which GET /api/v1/tags/:name would show anyone.
func tagIDOf(key string) func() int64 {
	return func() int64 {
		sum := sha256.Sum256([]byte("weft tag id\x00" + key))
		id := int64(binary.BigEndian.Uint64(sum[:8]) >> 1)
		return max(id, 1)
	}
}
