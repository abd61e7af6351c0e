package service

import (
	"context"
	"slices"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// Streams an Event is published on (Event.Stream), as Mastodon's streaming
// API names them. Every event names what happened by ID only: each
// subscriber renders it for its own viewer, so the visibility policy decides
// what reaches them.
const (
	StreamUser    = ""        // one account's home timeline and notifications (AccountID)
	StreamDirect  = "direct"  // one account's direct conversations (AccountID)
	StreamList    = "list"    // one list's timeline (ListID; AccountID is the owner)
	StreamPublic  = "public"  // public posts; Local says whether local
	StreamHashtag = "hashtag" // public posts with the hashtag Tag
	// StreamAccess carries KindAccessEnded: a token revoked, a browser
	// signed out, an account suspended or deleted. The streams opened
	// with that authority end (on every process), so that nothing more
	// reaches them — followers-only posts included.
	StreamAccess = "access"
)

// KindAccessEnded is the event that ends streams (StreamAccess).
const KindAccessEnded = "access.ended"

// tokenRevoked ends the streams of a token.
func (s *Service) tokenRevoked(ctx context.Context, tokenID int64) {
	s.publish(ctx, Event{Kind: KindAccessEnded, Stream: StreamAccess, TokenID: tokenID})
}

// sessionEnded ends the streams of a browser session.
func (s *Service) sessionEnded(ctx context.Context, key string) {
	s.publish(ctx, Event{Kind: KindAccessEnded, Stream: StreamAccess, SessionKey: key})
}

// accountAccessEnded ends every stream of an account.
func (s *Service) accountAccessEnded(ctx context.Context, accountID int64) {
	s.publish(ctx, Event{Kind: KindAccessEnded, Stream: StreamAccess, AccountID: accountID})
}

// Publisher returns where the service publishes its events (nil when
// nowhere), so the streaming API subscribes to the very bus it publishes to.
func (s *Service) Publisher() Publisher { return s.pub }

// TimelineStatus returns a status as the viewer's timelines show it: one
// they may see, and not by an account they mute. Live streams send only
// what this returns.
func (s *Service) TimelineStatus(ctx context.Context, viewer, statusID int64) (*StatusView, error) {
	q := s.st.Read()
	st, err := q.StatusByID(ctx, statusID)
	if err != nil {
		return nil, err
	}
	views, err := s.hydrate(ctx, q, viewer, []*model.Status{st}, filter{mutes: true})
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, model.NotFound("status")
	}
	return views[0], nil
}

// StatusConversation returns the direct conversation a post belongs to, as
// the viewer sees it now: what the direct stream sends when a post arrives.
func (s *Service) StatusConversation(ctx context.Context, viewer, statusID int64) (*ConversationView, error) {
	q := s.st.Read()
	st, _, err := s.visibleStatus(ctx, q, viewer, statusID)
	if err != nil {
		return nil, err
	}
	row, err := q.Conversation(ctx, viewer, st.ConversationID, s.clock())
	if err != nil {
		return nil, err
	}
	views, err := s.conversationViews(ctx, q, viewer, []store.ConversationRow{row})
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, model.NotFound("conversation")
	}
	return views[0], nil
}

// publishNewPost tells the streams beyond home timelines about a new post,
// once, from its fan-out: the public and hashtag streams of a public post,
// the direct streams of a direct one. Boosts reach only home timelines, as
// on Mastodon.
func (s *Service) publishNewPost(ctx context.Context, st *model.Status) {
	if s.pub == nil || st.IsReblog() {
		return
	}
	switch st.Visibility {
	case model.Public:
		s.publishPublic(ctx, "update", st)
	case model.Direct:
		s.publishDirect(ctx, "conversation", st)
	}
}

// publishEdit tells every stream that may show an edited post.
func (s *Service) publishEdit(ctx context.Context, st *model.Status) {
	if s.pub == nil || st.IsReblog() {
		return
	}
	s.publishToHomes(ctx, "status.update", st)
	if st.Visibility == model.Public {
		s.publishPublic(ctx, "status.update", st)
	}
}

// deletionEvents prepares the events of a deleted post while its boosts
// still exist (the cleanup removes them); the returned function publishes
// them once the cleanup committed. The author's own stream has heard of it
// from DeletePost already.
func (s *Service) deletionEvents(ctx context.Context, statusID int64) func() {
	if s.pub == nil {
		return func() {}
	}
	q := s.st.Read()
	st, err := q.StatusByID(ctx, statusID)
	if err != nil {
		if !isNotFound(err) {
			s.log.WarnContext(ctx, "stream: load deleted status", "status", statusID, "err", err)
		}
		return func() {}
	}
	boostIDs, err := q.ReblogIDsOf(ctx, statusID)
	if err != nil {
		s.log.WarnContext(ctx, "stream: list boosts of deleted status", "status", statusID, "err", err)
	}
	boosts, err := q.StatusesByIDs(ctx, boostIDs)
	if err != nil {
		s.log.WarnContext(ctx, "stream: load boosts of deleted status", "status", statusID, "err", err)
	}
	return func() {
		s.publishToHomes(ctx, "delete", st)
		switch st.Visibility {
		case model.Public:
			s.publishPublic(ctx, "delete", st)
		case model.Direct:
			s.publishDirect(ctx, "delete", st)
		}
		for _, b := range boosts { // the boosts went with it
			s.publish(ctx, Event{Kind: "delete", AccountID: b.AccountID, StatusID: b.ID})
			s.publishToHomes(ctx, "delete", b)
		}
	}
}

// publishPublic publishes to the public streams (not for replies to
// others, as on Mastodon) and to the streams of the post's hashtags.
func (s *Service) publishPublic(ctx context.Context, kind string, st *model.Status) {
	if !isReplyToOther(st) {
		s.publish(ctx, Event{Kind: kind, Stream: StreamPublic, StatusID: st.ID, Local: st.Local})
	}
	var keys []string
	for _, name := range st.Tags {
		if key := text.TagKey(name); !slices.Contains(keys, key) {
			keys = append(keys, key)
			s.publish(ctx, Event{Kind: kind, Stream: StreamHashtag, Tag: key, StatusID: st.ID, Local: st.Local})
		}
	}
}

// publishDirect publishes to the direct streams of a direct post's local
// participants: its author and the accounts it mentions.
func (s *Service) publishDirect(ctx context.Context, kind string, st *model.Status) {
	for _, id := range s.localParticipants(ctx, st) {
		s.publish(ctx, Event{Kind: kind, Stream: StreamDirect, AccountID: id, StatusID: st.ID})
	}
}

// publishToHomes publishes to the user streams of those whose home timeline
// may show st: the author's local followers, or for a direct post the
// mentioned local accounts only.
func (s *Service) publishToHomes(ctx context.Context, kind string, st *model.Status) {
	if st.Visibility == model.Direct {
		for _, id := range s.localParticipants(ctx, st) {
			if id != st.AccountID {
				s.publish(ctx, Event{Kind: kind, AccountID: id, StatusID: st.ID})
			}
		}
		return
	}
	var after int64
	for {
		followers, err := s.st.Read().LocalFollowersOf(ctx, st.AccountID, after, fanOutBatch)
		if err != nil {
			s.log.WarnContext(ctx, "stream: list followers", "account", st.AccountID, "err", err)
			return
		}
		for _, f := range followers {
			s.publish(ctx, Event{Kind: kind, AccountID: f.AccountID, StatusID: st.ID})
		}
		if len(followers) < fanOutBatch {
			return
		}
		after = followers[len(followers)-1].AccountID
	}
}

// localParticipants lists the local accounts among a post's author and
// mentioned accounts.
func (s *Service) localParticipants(ctx context.Context, st *model.Status) []int64 {
	ids := append([]int64{st.AccountID}, st.Mentions...)
	accounts, err := s.st.Read().AccountsByIDs(ctx, ids)
	if err != nil {
		s.log.WarnContext(ctx, "stream: load participants", "status", st.ID, "err", err)
		return nil
	}
	var out []int64
	for _, id := range ids {
		if a := accounts[id]; a != nil && a.Local() && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
