package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// fanOutToTagFollowers puts a public post into the home timelines of the
// local accounts that follow one of its hashtags, as Mastodon 4 does.
// Unlisted, followers-only and direct posts and boosts never travel this
// way. The author's followers have it already (the insert is idempotent);
// accounts blocking the author, or blocked by them, are skipped, and mutes
// apply when reading, as for every home entry.
func (s *Service) fanOutToTagFollowers(ctx context.Context, st *model.Status, author *model.Account) error {
	if st.IsReblog() || st.Visibility != model.Public || len(st.Tags) == 0 {
		return nil
	}
	var after int64
	for {
		ids, err := s.st.Read().TagFollowersOfStatus(ctx, st.ID, after, fanOutBatch)
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		var delivered []int64
		err = s.st.InTx(ctx, func(tx *store.Tx) error {
			blocked, err := tx.BlockedAmong(ctx, ids, []int64{author.ID})
			if err != nil {
				return err
			}
			for _, id := range ids {
				if id == author.ID || blocked[id] {
					continue
				}
				added, err := tx.InsertFeedEntry(ctx, store.FeedEntry{AccountID: id, EntryID: st.ID, ObjectID: st.ID, AuthorID: author.ID}, 0)
				if err != nil {
					return err
				}
				if added {
					delivered = append(delivered, id)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range delivered {
			s.publish(ctx, Event{Kind: "update", AccountID: id, StatusID: st.ID})
		}
		if len(ids) < fanOutBatch {
			return nil
		}
	}
}
