package testkit

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"weft/internal/federation"
	"weft/internal/id"
	"weft/internal/jobs"
	"weft/internal/media/storage"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
)

// Core is a running weft core on a real database: store, job queue with its
// workers started, and the service.
type Core struct {
	Store   *store.Store
	Queue   *jobs.Queue
	Service *service.Service
	Fed     *federation.Federation
	ids     *id.Gen
}

// Domain is the test instance's domain.
const Domain = "weft.test"

// NewCore starts a core on dialect d; it stops when the test ends.
func NewCore(t testing.TB, d store.Dialect) *Core {
	t.Helper()
	return NewCoreWith(t, d, nil)
}

// NewCoreWith starts a core like NewCore, letting configure change the
// service's dependencies first (Settings, a controllable clock in Now …).
// Store and Jobs are set already; configure may be nil.
func NewCoreWith(t testing.TB, d store.Dialect, configure func(*service.Deps)) *Core {
	t.Helper()
	c := buildCore(t, d, configure)
	if err := c.Queue.Start(context.Background()); err != nil {
		t.Fatalf("start jobs: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Queue.Stop(ctx); err != nil {
			t.Logf("stop jobs: %v", err)
		}
	})
	return c
}

// NewIdleCore is a core whose job workers do not run: jobs are enqueued
// but wait. Benchmarks of the write path use it, so that what they time is
// the request's own work and not workers competing for the database.
func NewIdleCore(tb testing.TB, d store.Dialect) *Core {
	tb.Helper()
	return buildCore(tb, d, nil)
}

// buildCore makes a store, a registered queue (workers not started) and the service.
func buildCore(t testing.TB, d store.Dialect, configure func(*service.Deps)) *Core {
	t.Helper()
	st := NewStore(t, d)
	q := jobs.NewQueue(st, jobs.Options{Workers: 4, Logger: testLogger()})
	media, err := storage.NewLocal(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatalf("media storage: %v", err)
	}
	deps := service.Deps{Store: st, Jobs: q, Media: media, Settings: service.Settings{
		Domain: Domain, BaseURL: "https://" + Domain, MaxPostChars: 500, Media: DefaultMediaSettings(),
		Instance: service.InstanceInfo{Name: "weft test", Registrations: "open", Rules: []string{}},
	}}
	if configure != nil {
		configure(&deps)
	}
	if deps.Logger == nil {
		deps.Logger = testLogger()
	}
	svc := service.New(deps)
	protocol := "https"
	if strings.HasPrefix(deps.Settings.BaseURL, "http://") {
		protocol = "http"
	}
	// Test instances reach each other over loopback only.
	fed := federation.New(svc, federation.Settings{Domain: deps.Settings.Domain, BaseURL: deps.Settings.BaseURL,
		Protocol: protocol, AllowPrivate: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}, testLogger())
	svc.SetResolver(fed)
	svc.SetMediaFetcher(fed)
	if err := q.Register(context.Background(), svc, fed); err != nil {
		t.Fatalf("register jobs: %v", err)
	}
	t.Cleanup(q.Close) // registered first, so it runs after the workers stop
	return &Core{Store: st, Queue: q, Service: svc, Fed: fed, ids: id.New(nil)}
}

// DefaultMediaSettings are weft serve's default media limits.
func DefaultMediaSettings() service.MediaSettings {
	return service.MediaSettings{MaxImageBytes: 16 << 20, MaxVideoBytes: 100 << 20, MaxImagePixels: 33_177_600, RemoteCacheBytes: 1 << 30}
}

// EachCore runs fn as a subtest on each database with a fresh core.
func EachCore(t *testing.T, fn func(t *testing.T, c *Core)) {
	t.Helper()
	EachCoreWith(t, nil, fn)
}

// EachCoreWith is EachCore with NewCoreWith's configure hook. configure
// runs once per database, so it should build fresh state (a new Clock) each time.
func EachCoreWith(t *testing.T, configure func(*service.Deps), fn func(t *testing.T, c *Core)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, NewCoreWith(t, d, configure)) })
	}
}

// Settle waits for every job enqueued so far to finish, failing the test
// if one failed.
func (c *Core) Settle(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Queue.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

// User registers a local account through the service (the real path, with
// password hashing) and returns it.
func (c *Core) User(t testing.TB, username string) *model.Account {
	t.Helper()
	a, err := c.Service.Register(context.Background(), service.Registration{
		Username: username, Email: username + "@" + Domain, Password: "correct horse battery staple",
	})
	if err != nil {
		t.Fatalf("register %s: %v", username, err)
	}
	return a
}

// QuickAccount inserts a local account straight into the store, without a
// user or password hash: for benchmarks and tests that need many accounts.
func (c *Core) QuickAccount(t testing.TB, username string) *model.Account {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &model.Account{ID: c.ids.Next(), Username: username, Discoverable: true,
		CreatedAt: now, UpdatedAt: now}
	if err := c.Store.InTx(context.Background(), func(tx *store.Tx) error { return tx.InsertAccount(context.Background(), a) }); err != nil {
		t.Fatalf("insert account %s: %v", username, err)
	}
	return a
}

// Post publishes a post and fails the test on error.
func (c *Core) Post(t testing.TB, author *model.Account, in service.PostInput) *model.Status {
	t.Helper()
	v, err := c.Service.CreatePost(context.Background(), author.ID, in)
	if err != nil {
		t.Fatalf("post by %s: %v", author.Username, err)
	}
	return v.Status
}

// Must fails the test when err is not nil.
func Must(t testing.TB, err error, what string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(what, args...), err)
	}
}

// testLogger logs to stderr when WEFT_TEST_LOG is set (debug level with
// WEFT_TEST_LOG=debug), and nowhere otherwise: job failures and federation
// refusals are then readable while debugging a test.
func testLogger() *slog.Logger {
	switch os.Getenv("WEFT_TEST_LOG") {
	case "":
		return nil
	case "debug":
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}
