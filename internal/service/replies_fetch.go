package service

import (
	"context"
	"sync"
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

// repliesThrottle remembers which posts' replies this process asked for
// lately, so reading a remote thread does not write a job each time. It is
// only a shortcut: the job queue's uniqueness is what holds across
// processes and restarts.
type repliesThrottle struct {
	mu   sync.Mutex
	seen map[int64]time.Time
}

func (t *repliesThrottle) due(id int64, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil || len(t.seen) > 10_000 {
		t.seen = map[int64]time.Time{}
	}
	if last, ok := t.seen[id]; ok && now.Sub(last) < repliesRefetch {
		return false
	}
	t.seen[id] = now
	return true
}

// requestReplies enqueues fetching the replies of a remote post someone
// opened, at most once per period.
func (s *Service) requestReplies(ctx context.Context, st *model.Status) {
	if st.Local || s.resolver == nil || !s.replies.due(st.ID, s.clock()) {
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
