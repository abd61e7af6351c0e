package federation

import (
	"context"
	"errors"

	"weft/internal/ap"
	"weft/internal/model"
	"weft/internal/service"
)

const (
	// maxRepliesPerPost bounds the replies taken from one collection.
	maxRepliesPerPost = 40
	// maxRepliesFetches bounds the documents one job fetches in all.
	maxRepliesFetches = 60
	// repliesDepth: replies, and replies to those.
	repliesDepth = 2
)

// RunFetchReplies fetches the replies collection of a remote post and
// stores the replies this server lacks, and their replies, within bounds.
func (f *Federation) RunFetchReplies(ctx context.Context, args service.FetchRepliesArgs) error {
	st, err := f.svc.StatusForFetch(ctx, args.StatusID)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Local || st.URI == "" || st.DeletedAt != nil {
		return nil
	}
	budget := maxRepliesFetches
	return f.fetchReplies(ctx, st.URI, repliesDepth, &budget)
}

func (f *Federation) fetchReplies(ctx context.Context, postURI string, depth int, budget *int) error {
	if depth == 0 || *budget <= 0 {
		return nil
	}
	*budget--
	post, err := f.fetch(ctx, postURI)
	if err != nil {
		return nil // the post's server does not answer: nothing more to find now
	}
	items, err := f.collectionItems(ctx, post.Replies, budget)
	if err != nil {
		return nil
	}
	for _, item := range items {
		if *budget <= 0 {
			return nil
		}
		iri := item.ID
		if iri == "" {
			continue
		}
		if _, err := f.svc.StatusByURI(ctx, iri); err == nil {
			continue // known already
		}
		*budget--
		st, err := f.resolveStatus(ctx, iri, 1)
		if err != nil {
			f.log.Debug("reply not fetched", "reply", iri, "err", err)
			continue
		}
		if err := f.fetchReplies(ctx, st.URI, depth-1, budget); err != nil {
			return err
		}
	}
	return nil
}

// collectionItems reads the first items of a collection (inline, or its
// first page, fetched when only named).
func (f *Federation) collectionItems(ctx context.Context, ref *ap.Ref, budget *int) ([]ap.Ref, error) {
	if ref == nil || ref.ID == "" && ref.Obj == nil {
		return nil, nil
	}
	coll := ref.Obj
	if coll == nil {
		*budget--
		var err error
		if coll, err = f.fetch(ctx, ref.ID); err != nil {
			return nil, err
		}
	}
	items := coll.Items
	if len(items) == 0 && coll.First != nil {
		page := coll.First.Obj
		if page == nil && coll.First.ID != "" {
			*budget--
			var err error
			if page, err = f.fetch(ctx, coll.First.ID); err != nil {
				return nil, err
			}
		}
		if page != nil {
			items = page.Items
			// Mastodon's first page lists only the author's own replies;
			// the others are on the next page.
			if len(items) < maxRepliesPerPost && page.Next != nil && page.Next.ID != "" && *budget > 0 {
				*budget--
				if next, err := f.fetch(ctx, page.Next.ID); err == nil {
					items = append(items, next.Items...)
				}
			}
		}
	}
	if len(items) > maxRepliesPerPost {
		items = items[:maxRepliesPerPost]
	}
	return items, nil
}
