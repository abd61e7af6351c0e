// Package service is weft's social core: the use cases (post, follow, like,
// block, read a timeline …) as plain Go methods with no HTTP in them. The
// client API, the web UI and federation all call it.
//
// Every change runs in one store transaction, and every side effect that
// must survive a crash (fan-out, notifications, cleanup) is a job inserted in
// that same transaction. One file per verb.
package service

import (
	"runtime"

	"github.com/alexedwards/argon2id"
	"golang.org/x/sync/semaphore"

	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"weft/internal/id"
	"weft/internal/media/storage"
	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/throttle"
)

// JobArgs is a job's payload; Kind names its worker (River's JobArgs).
type JobArgs interface{ Kind() string }

// Jobs inserts jobs inside a transaction, so they exist exactly when the
// change that causes them commits.
type Jobs interface {
	Enqueue(ctx context.Context, tx *sql.Tx, args JobArgs) error
	// Wake tells the workers that a job like args was committed, so that
	// they start it now rather than at their next look at the queue.
	Wake(args JobArgs)
}

// Event is something that happened that live clients may want to see at
// once (the streaming API). Events are best effort: what must survive is in
// the database already when they are published.
type Event struct {
	Kind           string // "update" (a status entered a timeline), "delete", "notification", "status.update", "conversation"
	AccountID      int64  // whose stream (home timeline, notifications); 0 for public streams
	StatusID       int64
	NotificationID int64
	// Stream is which stream: StreamUser ("", the AccountID's home and
	// notifications), StreamDirect (the AccountID's direct conversations),
	// StreamList, StreamPublic or StreamHashtag (see streams.go).
	Stream string
	Tag    string // the hashtag's key (text.TagKey), for StreamHashtag
	Local  bool   // a local post: public:local and hashtag:local get it too
	ListID int64  // for StreamList: the list (AccountID is its owner)
	// For KindAccessEnded on StreamAccess: the token or browser session
	// (its key, Session.Key) whose streams end, or, with neither, every
	// stream of AccountID.
	TokenID    int64
	SessionKey string
}

// Publisher receives events after their transaction commits.
type Publisher interface {
	Publish(ctx context.Context, ev Event)
}

// Settings are the parts of the configuration the core needs.
type Settings struct {
	Domain       string // e.g. "example.com" or "localhost:8080"
	BaseURL      string // e.g. "https://example.com"
	MaxPostChars int
	// FederationAllowlist, when not empty, is the only servers federated
	// with (allow-list mode); every other one is treated as suspended.
	FederationAllowlist []string
	Media               MediaSettings
	// Instance is the configured name, description, registrations and
	// sharing default; admins may override them (InstanceInfo).
	Instance InstanceInfo
	// PasswordHashMemory is Argon2id's memory for new password hashes, in
	// bytes (0: DefaultPasswordHashMemory).
	PasswordHashMemory int64
}

// Deps are what New needs. Store, Jobs and Settings are required.
type Deps struct {
	Store     *store.Store
	Jobs      Jobs
	Settings  Settings
	Logger    *slog.Logger
	Publisher Publisher        // optional
	Media     storage.Store    // where media files live; nil: no uploads
	Now       func() time.Time // optional, for tests
}

// Service runs the use cases.
type Service struct {
	st       *store.Store
	jobs     Jobs
	cfg      Settings
	log      *slog.Logger
	pub      Publisher
	media    storage.Store
	now      func() time.Time
	ids      *id.Gen
	resolver Resolver                   // nil: no remote look-ups
	fetcher  atomic.Pointer[fetcherBox] // empty: remote media are not cached
	replies  throttle.Throttle[int64]   // posts whose replies this process asked for lately (a shortcut; the job is unique too)
	limits   domainLimitCache
	instance instanceInfoCache
	// mediaFetches joins concurrent on-request downloads of one remote
	// file; mediaFailures spaces out the attempts at one that failed.
	mediaFetches  singleflight.Group
	mediaFailures failures
	dummyOnce     sync.Once
	dummyPwd      string // a hash to compare against when a user is unknown, so timing does not tell
	argon         *argon2id.Params
	hashSlots     chan struct{} // one per core: password hashes running at once
	guard         signInGuard
	imageSlots    *semaphore.Weighted // pixels being decoded at once (processImage)
	imageBudget   int64
}

// New assembles a Service.
func New(d Deps) *Service {
	s := &Service{st: d.Store, jobs: d.Jobs, cfg: d.Settings, log: d.Logger, pub: d.Publisher, media: d.Media, now: d.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.cfg.MaxPostChars <= 0 {
		s.cfg.MaxPostChars = 500
	}
	s.ids = id.New(s.now)
	mem := s.cfg.PasswordHashMemory
	if mem <= 0 {
		mem = DefaultPasswordHashMemory
	}
	s.argon = &argon2id.Params{Memory: uint32(mem >> 10), Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	s.hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))
	s.imageBudget = s.cfg.Media.MaxImagePixels
	if s.imageBudget <= 0 {
		s.imageBudget = 33_177_600 // media_max_image_pixels' default
	}
	s.imageSlots = semaphore.NewWeighted(s.imageBudget)
	return s
}

// clock returns the current time at the millisecond precision the database keeps.
// Snapshot starts a read-only request: its reads may reuse what earlier
// requests read while nothing was written meanwhile (store.WithSnapshot).
// Never for requests that write.
func (s *Service) Snapshot(ctx context.Context) (context.Context, error) {
	return s.st.WithSnapshot(ctx)
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

func (s *Service) newID() int64 { return s.ids.Next() }

func (s *Service) publish(ctx context.Context, ev Event) {
	if s.pub != nil {
		s.pub.Publish(ctx, ev)
	}
}

// enqueue inserts a job in tx, and wakes the workers once tx commits.
func (s *Service) enqueue(ctx context.Context, tx *store.Tx, args JobArgs) error {
	if err := s.jobs.Enqueue(ctx, tx.SQL(), args); err != nil {
		return err
	}
	tx.AfterCommit(func() { s.jobs.Wake(args) })
	return nil
}

// Resolver finds accounts and posts of other servers (the federation layer
// implements it; the service declares what it needs, so it never imports
// federation).
type Resolver interface {
	// ResolveHandle finds user@domain (WebFinger, then the actor).
	ResolveHandle(ctx context.Context, username, domain string) (*model.Account, error)
	// ResolveURL finds what a URL names: an actor or a post, fetched and
	// stored when unknown. One of the two results is non-nil on success.
	ResolveURL(ctx context.Context, url string) (*model.Account, *model.Status, error)
	// SubscribeTemplate is the "subscribe" link template ({uri} in it) that
	// user@domain's server publishes with its WebFinger, for following
	// someone from a page of another server; ErrNotFound when it has none.
	SubscribeTemplate(ctx context.Context, username, domain string) (string, error)
}

// SetResolver plugs in the federation layer's look-ups; without one,
// searches find only what this server knows.
func (s *Service) SetResolver(r Resolver) { s.resolver = r }
