package service

import (
	"context"
	"time"

	"weft/internal/text"
)

// maxMentionResolves bounds the remote look-ups one post may cause, and
// mentionResolveBudget the time they may take together.
const (
	maxMentionResolves   = 5
	mentionResolveBudget = 5 * time.Second
)

// resolveMentions looks up the remote accounts a member's text mentions
// that this server does not know yet (WebFinger, then the actor), so the
// post mentions and reaches them as on Mastodon. Only for members who share
// with the fediverse (nothing of the others' leaves the server), outside
// any transaction (these are network requests), and best effort: an
// account that cannot be found stays plain text.
func (s *Service) resolveMentions(ctx context.Context, authorID int64, src string) {
	if s.resolver == nil {
		return
	}
	var remote []text.Mention
	for _, m := range text.Parse(src).Mentions {
		if !s.localDomain(m.Domain) {
			remote = append(remote, m)
		}
	}
	if len(remote) == 0 {
		return // the common case costs no query
	}
	q := s.st.Read()
	author, err := q.AccountByID(ctx, authorID)
	if err != nil || !author.Local() || !author.FediverseSharing {
		return
	}
	// The whole look-up is bounded: a slow server delays the post a little,
	// never for the sum of every request's timeout.
	ctx, cancel := context.WithTimeout(ctx, mentionResolveBudget)
	defer cancel()
	n := 0
	for _, m := range remote {
		if _, err := q.AccountByUsername(ctx, m.Username, m.Domain); !isNotFound(err) {
			continue
		}
		if n++; n > maxMentionResolves {
			return
		}
		if _, err := s.resolver.ResolveHandle(ctx, m.Username, m.Domain); err != nil {
			s.log.Debug("mentioned account not found", "acct", m.Acct(), "err", err)
		}
	}
}
