package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// TagTimelineOptions are a hashtag timeline's extra hashtags: Mastodon's
// any[], all[] and none[].
type TagTimelineOptions struct {
	Any, All, None []string
}

// maxExtraTags is how many hashtags of each option count, as on Mastodon.
const maxExtraTags = 4

// TaggedTimeline is TagTimeline with extra hashtags: posts with the tag or
// any of Any, having every one of All and none of None. f narrows it by
// origin and to posts with media.
func (s *Service) TaggedTimeline(ctx context.Context, viewer int64, tag string, o TagTimelineOptions, f store.PublicFilter, p model.Page) (Timeline, error) {
	if len(o.Any)+len(o.All)+len(o.None) == 0 {
		return s.tagTimeline(ctx, viewer, tag, f, p)
	}
	if !text.ValidTagName(tag) {
		return Timeline{}, model.Invalid("hashtag", "is not a valid hashtag")
	}
	q := s.st.Read()
	// known returns the IDs of the hashtags in use among names, and
	// whether every one of them is in use.
	known := func(names []string) ([]int64, bool, error) {
		var ids []int64
		all := true
		for _, name := range names {
			t, err := s.tagByName(ctx, q, name)
			if isNotFound(err) || (err == nil && t.ID == 0) {
				all = false
				continue
			}
			if err != nil {
				return nil, false, err
			}
			ids = append(ids, t.ID)
		}
		return ids, all, nil
	}
	var tq store.TagQuery
	var allKnown bool
	var err error
	if tq.Any, _, err = known(append([]string{tag}, firstTags(o.Any)...)); err != nil {
		return Timeline{}, err
	}
	if tq.All, allKnown, err = known(firstTags(o.All)); err != nil {
		return Timeline{}, err
	}
	if tq.None, _, err = known(firstTags(o.None)); err != nil {
		return Timeline{}, err
	}
	if len(tq.Any) == 0 || !allKnown {
		return Timeline{}, nil // no post can match: none uses the tags, or one required is unused
	}
	list, err := q.TaggedTimeline(ctx, viewer, tq, f, p.Clamp(model.MaxLimit), s.clock())
	if err != nil {
		return Timeline{}, err
	}
	views, err := s.hydrate(ctx, q, viewer, list, filter{mutes: true})
	return timelineOf(views, statusCursors(list)), err
}

// firstTags keeps the hashtags of one option that count.
func firstTags(names []string) []string { return names[:min(len(names), maxExtraTags)] }
