package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/stream"
	"weft/internal/text"
)

// channel is one Mastodon stream a connection follows.
type channel struct {
	name string // user, user:notification, public, public:local, public:remote, hashtag, hashtag:local, list, direct
	arg  string // the hashtag as the client gave it, or the list ID
	key  string // what identifies the hashtag (its key) or list
}

// streamField is the "stream" of a WebSocket message: the name, and the
// hashtag or list for those streams.
func (c channel) streamField() []string {
	if c.arg != "" {
		return []string{c.name, c.arg}
	}
	return []string{c.name}
}

func (c channel) topic(viewer int64) stream.Topic {
	switch c.name {
	case "user", "user:notification":
		return stream.User(viewer)
	case "direct":
		return stream.Direct(viewer)
	case "list":
		id, _ := strconv.ParseInt(c.key, 10, 64)
		return stream.List(id)
	case "hashtag", "hashtag:local":
		return stream.Hashtag(c.key)
	}
	return stream.Public
}

// streamError is a refused stream request, with the status Mastodon's
// streaming server gives it.
type streamError struct {
	status int
	msg    string
}

func (e *streamError) Error() string { return e.msg }

var (
	errUnknownStream = &streamError{http.StatusBadRequest, "Unknown stream type"}
	errNoTag         = &streamError{http.StatusBadRequest, "No tag for stream provided"}
	errListNotFound  = &streamError{http.StatusNotFound, "List not found"}
	errStreamScope   = &streamError{http.StatusUnauthorized, "Access token does not have the required scopes"}
)

// session is one streaming connection: who is watching, what they follow,
// and their subscription to the bus.
type session struct {
	a       *API
	caller  *service.Caller
	viewer  int64
	notices bool // the token may read notifications, so "user" carries them
	sub     *stream.Subscription

	mu       sync.Mutex
	channels []channel
}

func (a *API) newSession(caller *service.Caller, bus *stream.Bus) *session {
	s := &session{a: a, caller: caller, viewer: caller.AccountID(), notices: caller.Allows("read:notifications"),
		sub: bus.Subscribe()}
	// The stream ends when its token is revoked or its account suspended
	// or deleted (stream.ErrRevoked), on whichever process that happens.
	if caller.Token != nil {
		s.sub.Add(stream.Token(caller.Token.ID))
	}
	if s.viewer != 0 {
		s.sub.Add(stream.Access(s.viewer))
	}
	return s
}

func (s *session) close() { s.sub.Close() }

// resolve checks a request for a stream: a known name, its hashtag or list,
// and the token's scope. Public streams need no scope, only a user's token,
// as on Mastodon.
func (s *session) resolve(ctx context.Context, name, tag, list string) (channel, error) {
	ch := channel{name: name}
	switch name {
	case "public", "public:local", "public:remote":
		return ch, nil
	case "hashtag", "hashtag:local":
		tag = strings.TrimPrefix(tag, "#")
		if tag == "" || !text.ValidTagName(tag) {
			return ch, errNoTag
		}
		ch.arg, ch.key = tag, text.TagKey(tag)
		return ch, nil
	case "user", "direct":
		return ch, s.allow("read:statuses")
	case "user:notification":
		return ch, s.allow("read:notifications")
	case "list":
		if err := s.allow("read:statuses"); err != nil {
			return ch, err
		}
		id, err := strconv.ParseInt(list, 10, 64)
		if err != nil || id <= 0 {
			return ch, errListNotFound
		}
		if _, err := s.a.svc.List(ctx, s.viewer, id); err != nil {
			if errors.Is(err, model.ErrNotFound) {
				return ch, errListNotFound // not theirs, or no such list
			}
			return ch, err
		}
		ch.arg, ch.key = list, list
		return ch, nil
	}
	return ch, errUnknownStream
}

func (s *session) allow(scope string) error {
	if !s.caller.Allows(scope) {
		return errStreamScope
	}
	return nil
}

// subscribe follows a channel (again is harmless).
func (s *session) subscribe(ch channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.channels, ch) {
		s.channels = append(s.channels, ch)
		s.sub.Add(ch.topic(s.viewer))
	}
}

// unsubscribe stops following a channel, and its topic when no other
// channel needs it.
func (s *session) unsubscribe(ch channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels = slices.DeleteFunc(s.channels, func(c channel) bool { return c.name == ch.name && c.key == ch.key })
	t := ch.topic(s.viewer)
	if !slices.ContainsFunc(s.channels, func(c channel) bool { return c.topic(s.viewer) == t }) {
		s.sub.Remove(t)
	}
}

// delivery is an event ready to send on some of the connection's channels.
type delivery struct {
	channels []channel
	event    string
	payload  string // the entity's JSON, or the ID for a delete
}

// handle turns a bus event into a delivery, rendered for this viewer; ok is
// false when no followed channel wants it or the viewer may not see it.
func (s *session) handle(ctx context.Context, ev service.Event) (d delivery, ok bool) {
	if d.channels = s.matching(ev); len(d.channels) == 0 {
		return d, false
	}
	d.event = ev.Kind
	var entity any
	switch ev.Kind {
	case "delete":
		d.payload = idStr(ev.StatusID)
		return d, true
	case "update", "status.update":
		v, err := s.a.svc.TimelineStatus(ctx, s.viewer, ev.StatusID)
		if err != nil {
			return d, s.skip(ctx, err)
		}
		st, shown, err := s.a.streamStatus(ctx, s.viewer, streamContext(d.channels[0]), v) // the viewer's filters
		if err != nil || !shown {
			return d, err != nil && s.skip(ctx, err) // not shown: a hide filter matched
		}
		entity = st
	case "conversation":
		cv, err := s.a.svc.StatusConversation(ctx, s.viewer, ev.StatusID)
		if err != nil {
			return d, s.skip(ctx, err)
		}
		entity = s.a.conversationOf(cv)
	case "notification":
		n, err := s.a.svc.Notification(ctx, s.viewer, ev.NotificationID)
		if err != nil {
			return d, s.skip(ctx, err)
		}
		rn, shown, err := s.a.streamNotification(ctx, s.viewer, n) // the viewer's filters
		if err != nil || !shown {
			return d, err != nil && s.skip(ctx, err) // not shown: a hide filter matched
		}
		entity = rn
	default:
		return d, false
	}
	b, err := json.Marshal(entity)
	if err != nil {
		return d, s.skip(ctx, err)
	}
	d.payload = string(b)
	return d, true
}

// skip drops an event the viewer may not see (not found: hidden, deleted
// meanwhile, muted), logging only real failures (not those of a stream
// whose client has gone).
func (s *session) skip(ctx context.Context, err error) bool {
	if !errors.Is(err, model.ErrNotFound) && ctx.Err() == nil {
		s.a.log.WarnContext(ctx, "stream: render event", "err", err)
	}
	return false
}

// matching lists the followed channels an event belongs to.
func (s *session) matching(ev service.Event) []channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []channel
	for _, c := range s.channels {
		if s.wants(c, ev) {
			out = append(out, c)
		}
	}
	return out
}

func (s *session) wants(c channel, ev service.Event) bool {
	switch ev.Stream {
	case service.StreamUser:
		if ev.AccountID != s.viewer {
			return false
		}
		if ev.Kind == "notification" {
			return c.name == "user:notification" || (c.name == "user" && s.notices)
		}
		return c.name == "user"
	case service.StreamDirect:
		return c.name == "direct" && ev.AccountID == s.viewer
	case service.StreamList:
		return c.name == "list" && c.key == strconv.FormatInt(ev.ListID, 10) // theirs: checked on subscribing
	case service.StreamPublic:
		return c.name == "public" || (c.name == "public:local" && ev.Local) || (c.name == "public:remote" && !ev.Local)
	case service.StreamHashtag:
		return c.key == ev.Tag && (c.name == "hashtag" || (c.name == "hashtag:local" && ev.Local))
	}
	return false
}
