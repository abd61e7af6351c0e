// Package stream is weft's live event bus: the service publishes events
// (a status entered a timeline, a notification, a deletion) after their
// transaction commits, and the streaming API subscribes to the ones its
// connections follow.
//
// Within one process events fan out in memory, each subscriber with a
// bounded buffer: a subscriber that falls behind is dropped (its client
// reconnects), so a slow client never holds up a publisher. With
// PostgreSQL several weft processes may serve one database, so events also
// travel between them over LISTEN/NOTIFY (postgres.go). Events are best
// effort: what must survive is in the database already.
//
// Events carry IDs only. Each connection renders them for its own viewer,
// so the visibility policy decides what a subscriber receives.
package stream

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"weft/internal/service"
)

// Topic is what a subscriber listens to: one account's own events, one
// account's direct messages, one list, the public posts, or one hashtag's
// posts.
type Topic string

// Public is the topic of public posts, local and remote.
const Public Topic = "public"

// User is the topic of one account's home timeline and notifications.
func User(accountID int64) Topic { return Topic("user:" + strconv.FormatInt(accountID, 10)) }

// Direct is the topic of one account's direct conversations.
func Direct(accountID int64) Topic { return Topic("direct:" + strconv.FormatInt(accountID, 10)) }

// List is the topic of one list's timeline.
func List(listID int64) Topic { return Topic("list:" + strconv.FormatInt(listID, 10)) }

// Hashtag is the topic of one hashtag's public posts, by the tag's key
// (text.TagKey: case and Unicode forms folded).
func Hashtag(key string) Topic { return Topic("hashtag:" + key) }

// Token is the topic that ends the streams of one access token.
func Token(id int64) Topic { return Topic("access:token:" + strconv.FormatInt(id, 10)) }

// Session is the topic that ends the streams of one browser session (by
// its key, model.Session.Key).
func Session(key string) Topic { return Topic("access:session:" + key) }

// Access is the topic that ends every stream of one account.
func Access(accountID int64) Topic {
	return Topic("access:account:" + strconv.FormatInt(accountID, 10))
}

// TopicOf is the topic an event is published on; "" when it has none.
func TopicOf(ev service.Event) Topic {
	switch ev.Stream {
	case service.StreamAccess:
		switch {
		case ev.TokenID != 0:
			return Token(ev.TokenID)
		case ev.SessionKey != "":
			return Session(ev.SessionKey)
		case ev.AccountID != 0:
			return Access(ev.AccountID)
		}
	case service.StreamUser:
		if ev.AccountID != 0 {
			return User(ev.AccountID)
		}
	case service.StreamDirect:
		if ev.AccountID != 0 {
			return Direct(ev.AccountID)
		}
	case service.StreamList:
		if ev.ListID != 0 {
			return List(ev.ListID)
		}
	case service.StreamPublic:
		return Public
	case service.StreamHashtag:
		if ev.Tag != "" {
			return Hashtag(ev.Tag)
		}
	}
	return ""
}

// Why a subscription ended.
var (
	ErrSlow    = errors.New("stream: subscriber too slow, dropped")
	ErrClosed  = errors.New("stream: closed")
	ErrRevoked = errors.New("stream: its access was revoked")
)

// Options configure a Bus.
type Options struct {
	// PostgresURL, when set, connects the bus to the other weft processes
	// on that database; empty means this process only (SQLite).
	PostgresURL string
	// Buffer is how many events a subscriber may have waiting before it is
	// dropped; 0 means 256.
	Buffer int
	// KeepAlive is how often streams with nothing to say send a keep-alive
	// (an SSE comment, a WebSocket ping); 0 means 15 seconds.
	KeepAlive time.Duration
	Logger    *slog.Logger
}

// Bus delivers events to subscribers. It implements service.Publisher.
type Bus struct {
	log       *slog.Logger
	buffer    int
	keepAlive atomic.Int64 // nanoseconds

	mu     sync.RWMutex
	topics map[Topic]map[*Subscription]struct{}
	subs   map[*Subscription]struct{} // every open subscription, with topics or not
	closed bool                       // no more subscriptions (EndStreams)

	relay *relay // nil without PostgreSQL
}

// New makes a bus. With a PostgreSQL URL it connects to the database
// first, so an unreachable database fails here rather than silently; later
// connection losses are retried in the background.
func New(ctx context.Context, o Options) (*Bus, error) {
	b := &Bus{log: o.Logger, buffer: o.Buffer, topics: map[Topic]map[*Subscription]struct{}{},
		subs: map[*Subscription]struct{}{}}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.buffer <= 0 {
		b.buffer = 256
	}
	b.SetKeepAlive(o.KeepAlive)
	if o.PostgresURL != "" {
		r, err := startRelay(ctx, b, o.PostgresURL)
		if err != nil {
			return nil, err
		}
		b.relay = r
	}
	return b, nil
}

// KeepAlive is how often idle streams should send a keep-alive.
func (b *Bus) KeepAlive() time.Duration { return time.Duration(b.keepAlive.Load()) }

// SetKeepAlive changes the keep-alive interval of streams opened from now
// on (tests use a short one); 0 means 15 seconds.
func (b *Bus) SetKeepAlive(d time.Duration) {
	if d <= 0 {
		d = 15 * time.Second
	}
	b.keepAlive.Store(int64(d))
}

// Publish delivers ev to this process's subscribers and, with PostgreSQL,
// hands it to the other processes. It never blocks on a subscriber or on
// the database.
func (b *Bus) Publish(_ context.Context, ev service.Event) {
	b.deliver(ev)
	if b.relay != nil {
		b.relay.send(ev)
	}
}

// deliver hands ev to the subscribers of its topic in this process.
func (b *Bus) deliver(ev service.Event) {
	topic := TopicOf(ev)
	if topic == "" {
		return
	}
	if ev.Kind == service.KindAccessEnded {
		// Not an event to pass on: the subscriptions opened with that
		// access end here.
		b.mu.Lock()
		for s := range b.topics[topic] {
			s.endLocked(ErrRevoked)
		}
		b.mu.Unlock()
		return
	}
	var slow []*Subscription
	b.mu.RLock()
	for s := range b.topics[topic] {
		select {
		case s.events <- ev:
		default:
			slow = append(slow, s)
		}
	}
	b.mu.RUnlock()
	for _, s := range slow {
		b.log.Info("stream subscriber dropped: too slow", "topic", string(topic))
		s.end(ErrSlow)
	}
}

// Subscribe opens a subscription with no topics yet; Add some. Close it
// when done. On a closed bus the subscription is ended already.
func (b *Bus) Subscribe() *Subscription {
	s := &Subscription{bus: b, events: make(chan service.Event, b.buffer), done: make(chan struct{}),
		topics: map[Topic]struct{}{}}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	if b.closed {
		s.endLocked(ErrClosed)
	}
	b.mu.Unlock()
	return s
}

// EndStreams ends every subscription and refuses new ones, while events
// still travel to other processes: a server shutting down calls it first,
// so its streaming connections finish and jobs still running can publish.
func (b *Bus) EndStreams() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		s.endLocked(ErrClosed) // deleting from b.subs while ranging over it is allowed
	}
}

// Close ends every subscription and, with PostgreSQL, stops listening and
// closes the connections. Closing twice, or a nil bus, is harmless.
func (b *Bus) Close() {
	if b == nil {
		return
	}
	b.EndStreams()
	if b.relay != nil {
		b.relay.stopOnce() // outside the lock: the listener may be delivering
	}
}

// Subscription is one subscriber's interest in some topics.
type Subscription struct {
	bus    *Bus
	events chan service.Event
	topics map[Topic]struct{} // guarded by bus.mu
	dead   bool               // guarded by bus.mu
	done   chan struct{}
	err    error // set before done closes
}

// Events delivers the subscription's events. It is never closed: wait on
// Done as well.
func (s *Subscription) Events() <-chan service.Event { return s.events }

// Done is closed when the subscription ends: closed, dropped for being too
// slow, or the bus closed.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err says why the subscription ended (ErrSlow, ErrClosed, ErrRevoked);
// nil while it runs.
func (s *Subscription) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Add subscribes to a topic (again is harmless).
func (s *Subscription) Add(t Topic) {
	b := s.bus
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.dead {
		return
	}
	s.topics[t] = struct{}{}
	set := b.topics[t]
	if set == nil {
		set = map[*Subscription]struct{}{}
		b.topics[t] = set
	}
	set[s] = struct{}{}
}

// Remove unsubscribes from a topic. Events of it already waiting in the
// buffer are still delivered.
func (s *Subscription) Remove(t Topic) {
	b := s.bus
	b.mu.Lock()
	defer b.mu.Unlock()
	s.removeLocked(t)
}

func (s *Subscription) removeLocked(t Topic) {
	b := s.bus
	delete(s.topics, t)
	if set := b.topics[t]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(b.topics, t)
		}
	}
}

// Close ends the subscription.
func (s *Subscription) Close() { s.end(ErrClosed) }

func (s *Subscription) end(err error) {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	s.endLocked(err)
}

func (s *Subscription) endLocked(err error) {
	if s.dead {
		return
	}
	s.dead = true
	delete(s.bus.subs, s)
	for t := range s.topics {
		s.removeLocked(t)
	}
	s.err = err
	close(s.done)
}
