package mastodon_test

import (
	"context"
	"os"
	"testing"

	"weft/internal/jobs"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// Two weft processes on one PostgreSQL database: a post made through the
// second reaches a stream connected to the first.
func TestStreamingAcrossProcesses(t *testing.T) {
	t.Parallel()
	if os.Getenv(testkit.PostgresEnv) == "" {
		t.Skipf("needs %s", testkit.PostgresEnv)
	}
	a := testkit.NewAPI(t, store.Postgres, nil)
	ctx := context.Background()

	// The second process: its own connections, queue and bus. Its workers
	// do not run; the first process's run the jobs it enqueues.
	st, err := store.Open(ctx, store.Options{URL: a.Store.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	q := jobs.NewQueue(st, jobs.Options{})
	svc := service.New(service.Deps{Store: st, Jobs: q, Publisher: testkit.NewBus(t, st),
		Settings: service.Settings{Domain: testkit.Domain, BaseURL: "https://" + testkit.Domain, MaxPostChars: 500}})
	if err := q.Register(ctx, svc, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)

	alice, aliceTok := a.Account(t, "alice")
	ws := dialStream(t, a.URL, aliceTok, "stream=user")
	v, err := svc.CreatePost(ctx, alice.ID, service.PostInput{Text: "from the other process"})
	if err != nil {
		t.Fatal(err)
	}
	// Only the second process published this event (the author's own
	// stream hears of a post at once, not from the fan-out job).
	if got := ws.event("update", "user").entity(t); got["id"] != idOf(v.Status.ID) {
		t.Fatalf("update from the other process: %v", got)
	}
}
