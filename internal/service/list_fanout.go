package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// List timelines are filled on write like home timelines: the fan-out job
// adds a post to the lists of each follower that has its author as a
// member, when the post belongs in that follower's home timeline (so the
// home rules — replies, boosts switched off, visibility, blocks — hold for
// lists too) and the list's replies policy accepts it, as on Mastodon.

// listTargets loads the lists of a fan-out batch's followers that have the
// author of st as a member.
func (s *Service) listTargets(ctx context.Context, q store.Queries, followers []store.Follower, st *model.Status) (map[int64][]store.ListTarget, error) {
	ids := make([]int64, len(followers))
	for i, f := range followers {
		ids[i] = f.AccountID
	}
	var repliedTo int64
	if !st.IsReblog() && isReplyToOther(st) {
		repliedTo = st.InReplyToAccountID
	}
	return q.ListsForFanOut(ctx, st.AccountID, ids, repliedTo)
}

// listAccepts applies a list's replies policy to a post (or boost) that
// belongs in the owner's home timeline. Direct posts never reach lists, as
// on Mastodon; boosts, posts that are no reply, self-replies and replies to
// the owner always pass.
func listAccepts(t store.ListTarget, st *model.Status) bool {
	if st.Visibility == model.Direct {
		return false
	}
	if st.IsReblog() || !isReplyToOther(st) || st.InReplyToAccountID == t.OwnerID {
		return true
	}
	switch t.RepliesPolicy {
	case model.RepliesFollowed:
		return true // the home rule already asked that the owner follow the account replied to
	case model.RepliesList:
		return t.RepliedIsMember
	}
	return false
}

// addToLists inserts a home timeline entry into the owner's lists that
// accept it, appending those it was added to to *listed, and reports
// whether one of the lists having its author is exclusive: the entry then
// stays out of the home timeline.
func addToLists(ctx context.Context, tx *store.Tx, targets []store.ListTarget, e store.FeedEntry, st *model.Status, listed *[]store.ListTarget) (exclusive bool, err error) {
	for _, t := range targets {
		exclusive = exclusive || t.Exclusive
		if !listAccepts(t, st) {
			continue
		}
		added, err := tx.InsertListEntry(ctx, t.ListID, e, feedDedupWindow)
		if err != nil {
			return false, err
		}
		if added {
			*listed = append(*listed, t)
		}
	}
	return exclusive, nil
}

// publishListUpdates tells the streams of the lists a status was added to.
func (s *Service) publishListUpdates(ctx context.Context, statusID int64, listed []store.ListTarget) {
	for _, t := range listed {
		s.publish(ctx, Event{Kind: "update", Stream: StreamList, AccountID: t.OwnerID, ListID: t.ListID, StatusID: statusID})
	}
}

// mergeIntoList brings the recent posts and boosts of a new member (the
// target of the owner's follow f) into a list's timeline, as a new follow
// does for the home timeline: their own posts and threads, not their
// replies to others.
func (s *Service) mergeIntoList(ctx context.Context, tx *store.Tx, l *model.List, f *model.Follow) error {
	recent, err := tx.AccountStatuses(ctx, store.AccountQuery{AccountID: f.TargetAccountID, Viewer: l.AccountID,
		Visibilities: []model.Visibility{model.Public, model.Unlisted, model.Private}, ExcludeReplies: true,
		Page: model.Page{Limit: feedMergeCount}}, s.clock())
	if err != nil {
		return err
	}
	views, err := s.hydrate(ctx, tx.Queries, l.AccountID, recent, filter{})
	if err != nil {
		return err
	}
	for _, v := range views {
		object := v.Status
		if object.Visibility == model.Direct {
			continue
		}
		if v.Reblog != nil {
			if !f.ShowReblogs || v.Reblog.Status.AccountID == l.AccountID {
				continue
			}
			object = v.Reblog.Status
		}
		if _, err := tx.InsertListEntry(ctx, l.ID, store.FeedEntry{EntryID: v.Status.ID, ObjectID: object.ID,
			AuthorID: v.Status.AccountID}, feedDedupWindow); err != nil {
			return err
		}
	}
	return nil
}
