package service

import (
	"context"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// FetchRepliesArgs fetches the replies of a remote post from its server
// (missing replies are the fediverse's oldest complaint: a server only
// receives the replies of people its members follow).
type FetchRepliesArgs struct {
	StatusID int64 `json:"status_id,string"`
}

func (FetchRepliesArgs) Kind() string     { return "fetch_replies" }
func (FetchRepliesArgs) Queue() string    { return QueueFederation }
func (FetchRepliesArgs) MaxAttempts() int { return 3 }

// UniqueFor: one fetch per post per quarter hour, however many read it.
func (FetchRepliesArgs) UniqueFor() time.Duration { return repliesRefetch }

const repliesRefetch = 15 * time.Minute

// requestReplies enqueues fetching the replies of a remote post someone
// opened, at most once per period.
func (s *Service) requestReplies(ctx context.Context, st *model.Status) {
	if st.Local || s.resolver == nil || !s.replies.Due(st.ID, s.clock(), repliesRefetch) {
		return
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error { return s.enqueue(ctx, tx, FetchRepliesArgs{StatusID: st.ID}) })
	if err != nil {
		s.log.Warn("could not enqueue fetching replies", "status", st.ID, "err", err)
	}
}

// StatusForFetch returns a post for the replies job.
func (s *Service) StatusForFetch(ctx context.Context, id int64) (*model.Status, error) {
	return s.st.Read().StatusByID(ctx, id)
}
