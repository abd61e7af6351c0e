package stream_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/stream"
	"weft/internal/testkit"
)

// pgBus opens a bus on the PostgreSQL database at url, as one weft process would.
func pgBus(t *testing.T, url string, buffer int) *stream.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := stream.New(ctx, stream.Options{PostgresURL: url, Buffer: buffer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// Two processes on one database: what one publishes reaches the other's
// subscribers, every field intact, and the publisher's own subscribers get
// it once (in memory), not a second time over the database.
func TestAcrossProcesses(t *testing.T) {
	t.Parallel()
	url := testkit.FreshURL(t, store.Postgres)
	one, two := pgBus(t, url, 0), pgBus(t, url, 0)
	onOne, onTwo := one.Subscribe(), two.Subscribe()
	onOne.Add(stream.User(42))
	onTwo.Add(stream.User(42))
	onTwo.Add(stream.Hashtag("wëft"))

	ev := service.Event{Kind: "notification", AccountID: 42, StatusID: 1<<62 + 1, NotificationID: 1<<62 + 3}
	one.Publish(t.Context(), ev)
	if got := next(t, onTwo); got != ev {
		t.Fatalf("other process got %+v, want %+v", got, ev)
	}
	if got := next(t, onOne); got != ev {
		t.Fatalf("own process got %+v", got)
	}
	tagged := service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: "wëft", StatusID: 9, Local: true}
	one.Publish(t.Context(), tagged)
	if got := next(t, onTwo); got != tagged {
		t.Fatalf("hashtag event arrived as %+v", got)
	}
	// A marker from the other side arrives next: no second copy came back.
	marker := service.Event{Kind: "update", AccountID: 42, StatusID: 7}
	two.Publish(t.Context(), marker)
	if got := next(t, onOne); got != marker {
		t.Fatalf("after the marker was published, own process got %+v", got)
	}
}

// Many events at once travel in batches under PostgreSQL's payload limit,
// all of them, in order.
func TestAcrossProcessesInBatches(t *testing.T) {
	t.Parallel()
	url := testkit.FreshURL(t, store.Postgres)
	one, two := pgBus(t, url, 0), pgBus(t, url, 5000)
	sub := two.Subscribe()
	long := strings.Repeat("x", 500) // a long tag makes payloads fill up sooner
	sub.Add(stream.Hashtag(long))
	const n = 3000
	for i := range n {
		one.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: long, StatusID: int64(i)})
	}
	for i := range n {
		if got := next(t, sub); got.StatusID != int64(i) {
			t.Fatalf("event %d arrived as %d", i, got.StatusID)
		}
	}
}

// When the database drops the connections, both sides reconnect and events
// flow again.
func TestReconnects(t *testing.T) {
	t.Parallel()
	url := testkit.FreshURL(t, store.Postgres)
	one, two := pgBus(t, url, 0), pgBus(t, url, 0)
	sub := two.Subscribe()
	sub.Add(stream.Public)
	one.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamPublic, StatusID: 1})
	next(t, sub)

	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	// Events published while the listener is away are lost (best effort):
	// publish until one arrives.
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for id := int64(2); ; id++ {
		one.Publish(t.Context(), service.Event{Kind: "update", Stream: service.StreamPublic, StatusID: id})
		select {
		case ev := <-sub.Events():
			if ev.StatusID < 2 {
				t.Fatalf("stale event %+v", ev)
			}
			return
		case <-tick.C:
		case <-deadline:
			t.Fatal("no event after the connections were dropped")
		}
	}
}

// An unreachable database fails at start rather than silently.
func TestUnreachableDatabase(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := stream.New(ctx, stream.Options{PostgresURL: "postgres://weft@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}); err == nil {
		t.Fatal("New succeeded without a database")
	}
}

// Access ends on every process: a token revoked, a session signed out or
// an account suspended on one process ends the matching streams on the
// other, and only those.
func TestAccessEndsAcrossProcesses(t *testing.T) {
	t.Parallel()
	url := testkit.FreshURL(t, store.Postgres)
	one, two := pgBus(t, url, 0), pgBus(t, url, 0)
	byToken, bySession, byAccount, other := two.Subscribe(), two.Subscribe(), two.Subscribe(), two.Subscribe()
	byToken.Add(stream.Token(5))
	bySession.Add(stream.Session("abc"))
	byAccount.Add(stream.Access(42))
	other.Add(stream.Token(6))
	other.Add(stream.User(42))
	for _, ev := range []service.Event{
		{Kind: service.KindAccessEnded, Stream: service.StreamAccess, TokenID: 5},
		{Kind: service.KindAccessEnded, Stream: service.StreamAccess, SessionKey: "abc"},
		{Kind: service.KindAccessEnded, Stream: service.StreamAccess, AccountID: 42},
	} {
		one.Publish(t.Context(), ev)
	}
	for name, s := range map[string]*stream.Subscription{"token": byToken, "session": bySession, "account": byAccount} {
		select {
		case <-s.Done():
			if s.Err() != stream.ErrRevoked {
				t.Errorf("%s: ended with %v", name, s.Err())
			}
		case <-time.After(wait):
			t.Fatalf("%s: the stream on the other process did not end", name)
		}
	}
	// The others go on: a marker still reaches them.
	marker := service.Event{Kind: "update", AccountID: 42, StatusID: 7}
	one.Publish(t.Context(), marker)
	if got := next(t, other); got != marker {
		t.Fatalf("an unrelated stream got %+v", got)
	}
}
