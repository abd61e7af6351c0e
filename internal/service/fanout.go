package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/policy"
	"weft/internal/store"
)

const (
	// feedDedupWindow: a boost is not added to a home timeline when its post
	// is among that many newest entries already (one full page).
	feedDedupWindow = model.MaxLimit
	// fanOutBatch is how many followers one transaction handles, so a post by
	// a popular account does not hold SQLite's write lock for long.
	fanOutBatch = 500
	// feedMergeCount is how many recent posts a new follow brings into the
	// follower's home timeline.
	feedMergeCount = 40
)

// RunFanOut spreads a post or boost: into the home timelines of the
// author's local followers who may see it, and notifications to mentioned
// accounts, to followers who asked to be notified, and to a boosted author.
func (s *Service) RunFanOut(ctx context.Context, args FanOutArgs) error {
	q := s.st.Read()
	st, err := q.StatusByID(ctx, args.StatusID)
	if isNotFound(err) {
		return nil // deleted (a boost undone) before the job ran
	}
	if err != nil {
		return err
	}
	author, err := q.AccountByID(ctx, st.AccountID)
	if err != nil {
		return err
	}
	if st.DeletedAt != nil || author.Gone() {
		return nil
	}
	object := st
	if st.IsReblog() {
		if object, err = q.StatusByID(ctx, st.ReblogOfID); err != nil {
			if isNotFound(err) {
				return nil
			}
			return err
		}
		if object.DeletedAt != nil {
			return nil
		}
	}
	objectAuthor, err := q.AccountByID(ctx, object.AccountID)
	if err != nil {
		return err
	}
	if err := s.fanOutToFollowers(ctx, st, author, object, objectAuthor); err != nil {
		return err
	}
	return s.fanOutBeyondFollowers(ctx, st, author, object)
}

// fanOutBeyondFollowers is the part of a fan-out that does not depend on
// the author's followers: the public, hashtag and direct streams, hashtag
// followers, and the boosted or mentioned accounts' notifications.
func (s *Service) fanOutBeyondFollowers(ctx context.Context, st *model.Status, author *model.Account, object *model.Status) error {
	s.publishNewPost(ctx, st) // public, hashtag and direct streams (streams.go)
	if err := s.fanOutToTagFollowers(ctx, st, author); err != nil {
		return err
	}
	if st.IsReblog() {
		return s.notify(ctx, NotifyArgs{AccountID: object.AccountID, Type: string(model.NotifyReblog), FromAccountID: author.ID, StatusID: object.ID})
	}
	for _, m := range st.Mentions {
		if err := s.notify(ctx, NotifyArgs{AccountID: m, Type: string(model.NotifyMention), FromAccountID: author.ID, StatusID: st.ID}); err != nil {
			return err
		}
	}
	return nil
}

// fanOutToFollowers inserts st into followers' home timelines, batch by batch.
func (s *Service) fanOutToFollowers(ctx context.Context, st *model.Status, author *model.Account, object *model.Status, objectAuthor *model.Account) error {
	var after int64
	for {
		followers, err := s.st.Read().LocalFollowersOf(ctx, author.ID, after, fanOutBatch)
		if err != nil {
			return err
		}
		if len(followers) == 0 {
			return nil
		}
		after = followers[len(followers)-1].AccountID
		var done fannedOut
		err = s.st.InTx(ctx, func(tx *store.Tx) error {
			var err error
			done, err = s.fanOutBatchTx(ctx, tx, followers, st, author, object, objectAuthor)
			return err
		})
		if err != nil {
			return err
		}
		if err := s.afterFanOutBatch(ctx, st, author, done); err != nil {
			return err
		}
		if len(followers) < fanOutBatch {
			return nil
		}
	}
}

// fannedOut is what one batch of a fan-out did, for what follows its
// commit: stream events and notifications.
type fannedOut struct {
	delivered, notify []int64
	listed            []store.ListTarget
}

// fanOutBatchTx puts st (a post, or a boost of object) into the home
// timelines and lists of one batch of the author's followers, in tx.
func (s *Service) fanOutBatchTx(ctx context.Context, tx *store.Tx, followers []store.Follower, st *model.Status, author *model.Account, object *model.Status, objectAuthor *model.Account) (fannedOut, error) {
	var done fannedOut
	if err := tx.LockFeedObject(ctx, object.ID); err != nil {
		return done, err
	}
	reach, err := s.loadReach(ctx, tx.Queries, followers, author, object)
	if err != nil {
		return done, err
	}
	lists, err := s.listTargets(ctx, tx.Queries, followers, st)
	if err != nil {
		return done, err
	}
	for _, f := range followers {
		if !reach.belongsInHome(f, st, author, object, objectAuthor) {
			continue
		}
		entry := store.FeedEntry{AccountID: f.AccountID, EntryID: st.ID, ObjectID: object.ID, AuthorID: author.ID}
		// The follower's lists with the author get it too; an
		// exclusive one keeps it out of the home timeline.
		exclusive, err := addToLists(ctx, tx, lists[f.AccountID], entry, st, &done.listed)
		if err != nil {
			return done, err
		}
		added := false
		if !exclusive {
			if added, err = tx.InsertFeedEntry(ctx, entry, feedDedupWindow); err != nil {
				return done, err
			}
		}
		if added {
			done.delivered = append(done.delivered, f.AccountID)
		}
		// Notify even when the entry was there already: the feed merge
		// of a fresh follow may have brought the post in first, and
		// notify is idempotent for a retried job.
		if f.Notify && wantsStatusNotification(st, f.AccountID) {
			done.notify = append(done.notify, f.AccountID)
		}
	}
	return done, nil
}

// afterFanOutBatch publishes a committed batch to the streams and sends its
// "they posted" notifications.
func (s *Service) afterFanOutBatch(ctx context.Context, st *model.Status, author *model.Account, done fannedOut) error {
	for _, id := range done.delivered {
		s.publish(ctx, Event{Kind: "update", AccountID: id, StatusID: st.ID})
	}
	s.publishListUpdates(ctx, st.ID, done.listed)
	for _, id := range done.notify {
		if err := s.notify(ctx, NotifyArgs{AccountID: id, Type: string(model.NotifyStatus), FromAccountID: author.ID, StatusID: st.ID}); err != nil {
			return err
		}
	}
	return nil
}

// wantsStatusNotification: "notify me when they post" is about their own
// posts and threads, as on Mastodon — not boosts, not replies to others,
// and not posts that mention the follower (the mention notifies them).
func wantsStatusNotification(st *model.Status, followerID int64) bool {
	return !st.IsReblog() && !isReplyToOther(st) && !st.Mentioned(followerID)
}

// reach holds, for one batch of followers, the relations that decide
// whether a post belongs in their home timelines — loaded in a few queries
// for the whole batch rather than per follower.
type reach struct {
	followsObjectAuthor map[int64]bool // for a boost: who follows the boosted author
	followsReplied      map[int64]bool // for a reply: who follows the account it answers
	blocked             map[int64]bool // who blocks or is blocked by the author or boosted author
}

func (s *Service) loadReach(ctx context.Context, q store.Queries, followers []store.Follower, author *model.Account, object *model.Status) (*reach, error) {
	ids := make([]int64, len(followers))
	for i, f := range followers {
		ids[i] = f.AccountID
	}
	r := &reach{followsObjectAuthor: map[int64]bool{}, followsReplied: map[int64]bool{}}
	var err error
	if object.AccountID == author.ID {
		for _, id := range ids {
			r.followsObjectAuthor[id] = true // they are the author's followers
		}
	} else if r.followsObjectAuthor, err = q.FollowersAmong(ctx, object.AccountID, ids); err != nil {
		return nil, err
	}
	if isReplyToOther(object) {
		if r.followsReplied, err = q.FollowersAmong(ctx, object.InReplyToAccountID, ids); err != nil {
			return nil, err
		}
	}
	if r.blocked, err = q.BlockedAmong(ctx, ids, []int64{author.ID, object.AccountID}); err != nil {
		return nil, err
	}
	return r, nil
}

func isReplyToOther(st *model.Status) bool {
	return st.InReplyToAccountID != 0 && st.InReplyToAccountID != st.AccountID
}

// belongsInHome decides whether follower f's home timeline gets st (a post,
// or a boost of object).
func (r *reach) belongsInHome(f store.Follower, st *model.Status, author *model.Account, object *model.Status, objectAuthor *model.Account) bool {
	if st.IsReblog() {
		if !f.ShowReblogs || object.AccountID == f.AccountID {
			return false // boosts switched off; or a boost of the follower's own post
		}
	} else if isReplyToOther(object) && object.InReplyToAccountID != f.AccountID && !r.followsReplied[f.AccountID] {
		return false // a reply to someone the follower does not follow (Mastodon's rule)
	}
	// Direct posts reach only mentioned followers, as on Mastodon.
	if object.Visibility == model.Direct && !object.Mentioned(f.AccountID) {
		return false
	}
	v := policy.Viewer{
		ID: f.AccountID,
		Following: func(id int64) bool {
			return id == author.ID || (id == object.AccountID && r.followsObjectAuthor[f.AccountID])
		},
		Blocks: func(int64) bool { return r.blocked[f.AccountID] },
	}
	return policy.CanSee(v, policy.PostOf(st, author)) && policy.CanSee(v, policy.PostOf(object, objectAuthor))
}

// RunFeedMerge brings recent posts of a newly followed account into the
// follower's home timeline.
func (s *Service) RunFeedMerge(ctx context.Context, args FeedMergeArgs) error {
	q := s.st.Read()
	recent, err := q.AccountStatuses(ctx, store.AccountQuery{AccountID: args.TargetID, Viewer: args.AccountID,
		Visibilities: []model.Visibility{model.Public, model.Unlisted, model.Private}, ExcludeReplies: true,
		Page: model.Page{Limit: feedMergeCount}}, s.clock())
	if err != nil {
		return err
	}
	f, err := q.Follow(ctx, args.AccountID, args.TargetID)
	if isNotFound(err) {
		return nil // unfollowed meanwhile
	}
	if err != nil {
		return err
	}
	views, err := s.hydrate(ctx, q, args.AccountID, recent, filter{})
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		for _, v := range views {
			object := v.Status
			if v.Reblog != nil {
				if !f.ShowReblogs || v.Reblog.Status.AccountID == args.AccountID {
					continue
				}
				object = v.Reblog.Status
			}
			// Boosts get the same dedup as in fan-out: a post already near
			// the top of the timeline is not shown again as a boost.
			if _, err := tx.InsertFeedEntry(ctx, store.FeedEntry{AccountID: args.AccountID, EntryID: v.Status.ID,
				ObjectID: object.ID, AuthorID: v.Status.AccountID}, feedDedupWindow); err != nil {
				return err
			}
		}
		return nil
	})
}

// RunFeedUnmerge removes an account's posts and boosts from a home timeline.
func (s *Service) RunFeedUnmerge(ctx context.Context, args FeedUnmergeArgs) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		// Still following (a re-follow after the unfollow)? Then keep them.
		if _, err := tx.Follow(ctx, args.AccountID, args.TargetID); err == nil {
			return nil
		} else if !isNotFound(err) {
			return err
		}
		return tx.DeleteFeedAuthor(ctx, args.AccountID, args.TargetID)
	})
}
