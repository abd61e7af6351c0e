package jobs_test

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"weft/internal/jobs"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// process is one weft process's core on a shared database URL.
type process struct {
	st  *store.Store
	q   *jobs.Queue
	svc *service.Service
}

func start(t testing.TB, url string, workers bool) *process {
	t.Helper()
	return startPolling(t, url, workers, 10*time.Millisecond)
}

// startPolling starts a process whose idle workers look for jobs every poll.
func startPolling(t testing.TB, url string, workers bool, poll time.Duration) *process {
	t.Helper()
	return startWith(t, url, workers, poll, nil)
}

// startWith is startPolling with fed running the federation jobs.
func startWith(t testing.TB, url string, workers bool, poll time.Duration, fed jobs.Federator) *process {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if err := testkit.MigrateAll(ctx, st); err != nil {
		t.Fatal(err)
	}
	q := jobs.NewQueue(st, jobs.Options{Workers: 2, PollInterval: poll})
	svc := service.New(service.Deps{Store: st, Jobs: q, Settings: service.Settings{Domain: testkit.Domain, BaseURL: "https://" + testkit.Domain}})
	if err := q.Register(ctx, svc, fed); err != nil {
		t.Fatal(err)
	}
	if workers {
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return &process{st: st, q: q, svc: svc}
}

func (p *process) stop(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.q.Stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("stop: %v", err)
	}
	p.q.Close()
	p.st.Close()
}

func pending(t *testing.T, q *jobs.Queue, kind string) int64 {
	t.Helper()
	counts, err := q.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, c := range counts {
		if c.Kind == kind && c.State == "available" {
			n += c.N
		}
	}
	return n
}

// A job committed with its change survives the process: a post made by a
// process that stops before its fan-out ran reaches followers' home
// timelines once another process (a restart) runs the workers.
func TestJobsSurviveARestart(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			url := testkit.FreshURL(t, d)
			first := start(t, url, false)
			alice, err := first.svc.Register(ctx, service.Registration{Username: "alice", Email: "alice@weft.test", Password: "long enough password"})
			testkit.Must(t, err, "register alice")
			bob, err := first.svc.Register(ctx, service.Registration{Username: "bob", Email: "bob@weft.test", Password: "long enough password"})
			testkit.Must(t, err, "register bob")
			_, err = first.svc.Follow(ctx, bob.ID, alice.ID, service.FollowOptions{})
			testkit.Must(t, err, "follow")
			post, err := first.svc.CreatePost(ctx, alice.ID, service.PostInput{Text: "before the crash"})
			testkit.Must(t, err, "post")
			if n := pending(t, first.q, "fanout_status"); n != 1 {
				t.Fatalf("fan-out jobs waiting: %d, want 1", n)
			}
			first.stop(t) // no worker ever ran

			second := start(t, url, true)
			defer second.stop(t)
			wait, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			testkit.Must(t, second.q.WaitIdle(wait), "jobs after restart")
			home, err := second.svc.HomeTimeline(ctx, bob.ID, model.Page{})
			testkit.Must(t, err, "home")
			if len(home.Statuses) != 1 || home.Statuses[0].Status.ID != post.Status.ID {
				t.Fatalf("bob's home after restart has %d posts, want alice's", len(home.Statuses))
			}
		})
	}
}

// A job enqueued in a transaction that rolls back does not exist.
func TestRolledBackChangeLeavesNoJob(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			p := start(t, testkit.FreshURL(t, d), false)
			defer p.stop(t)
			boom := errors.New("the change failed")
			err := p.st.InTx(ctx, func(tx *store.Tx) error {
				if err := p.q.Enqueue(ctx, tx.SQL(), service.FanOutArgs{StatusID: 42}); err != nil {
					return err
				}
				if n := pending(t, p.q, "fanout_status"); n != 0 {
					t.Errorf("the job is visible outside its transaction before commit: %d", n)
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx = %v", err)
			}
			if n := pending(t, p.q, "fanout_status"); n != 0 {
				t.Fatalf("jobs after rollback: %d, want 0", n)
			}
		})
	}
}

// WaitIdle reports a failed job with its error instead of waiting forever.
func TestWaitIdleReportsFailures(t *testing.T) {
	ctx := context.Background()
	p := start(t, testkit.FreshURL(t, store.SQLite), true)
	defer p.stop(t)
	// A notification about a post whose row is gone mid-way is harmless;
	// a job whose arguments cannot be decoded fails. Insert one by hand.
	if _, err := p.st.WriteDB().ExecContext(ctx, `INSERT INTO river_job (args, kind, max_attempts, queue, state, priority, scheduled_at, created_at)
		VALUES ('{"status_id": "not a number"}', 'fanout_status', 1, 'default', 'available', 1, datetime('now'), datetime('now'))`); err != nil {
		t.Skipf("cannot insert a raw job on this River schema: %v", err)
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := p.q.WaitIdle(wait); err == nil {
		counts, _ := p.q.Counts(ctx)
		t.Fatalf("WaitIdle ignored a failed job; jobs: %+v", counts)
	}
}

// The jobs of a process that died while running them (kill -9) run again
// soon after another process starts: a notification job left "running" by
// a process that died 31 seconds ago is rescued at the new process's start
// and runs to completion. (River's default waited the job timeout plus an
// hour: after a crash, posts reached followers' servers 65 minutes late.)
// Kinds that may run longer are rescued after their own timeout.
func TestJobsOfADeadProcessRunAgain(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			url := testkit.FreshURL(t, d)
			first := start(t, url, false)
			alice, err := first.svc.Register(ctx, service.Registration{Username: "alice", Email: "alice@weft.test", Password: "long enough password"})
			testkit.Must(t, err, "register alice")
			bob, err := first.svc.Register(ctx, service.Registration{Username: "bob", Email: "bob@weft.test", Password: "long enough password"})
			testkit.Must(t, err, "register bob")
			_, err = first.svc.Follow(ctx, bob.ID, alice.ID, service.FollowOptions{}) // alice is to be notified
			testkit.Must(t, err, "follow")
			// The first process took the notification and died with it running.
			stmt := `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '31 seconds',
				attempted_by = ARRAY['the dead process'] WHERE kind = 'notify'`
			if d == store.SQLite {
				stmt = `UPDATE river_job SET state = 'running', attempt = 1,
					attempted_at = strftime('%Y-%m-%d %H:%M:%f', 'now', '-31 seconds'), attempted_by = '["the dead process"]'
					WHERE kind = 'notify'`
			}
			if res, err := first.st.WriteDB().ExecContext(ctx, stmt); err != nil {
				t.Fatalf("mark the job running: %v", err)
			} else if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("%d notification jobs marked running, want 1", n)
			}
			first.stop(t)

			second := start(t, url, true)
			defer second.stop(t)
			deadline := time.Now().Add(60 * time.Second)
			for {
				var state string
				err := second.st.ReadDB().QueryRowContext(ctx, `SELECT state FROM river_job WHERE kind = 'notify'`).Scan(&state)
				testkit.Must(t, err, "the job's state")
				if state == "completed" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the dead process's job is still %q a minute after the restart", state)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

// A job committed by a request starts at once, although idle workers look
// for jobs on their own only rarely: the commit wakes them (River's NOTIFY
// on PostgreSQL, Queue.Wake on SQLite). Here they would look once an hour.
func TestWakeStartsJobsAtOnce(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			p := startPolling(t, testkit.FreshURL(t, d), true, time.Hour)
			defer p.stop(t)
			alice, err := p.svc.Register(ctx, service.Registration{Username: "alice", Email: "alice@weft.test", Password: "long enough password"})
			testkit.Must(t, err, "register alice")
			bob, err := p.svc.Register(ctx, service.Registration{Username: "bob", Email: "bob@weft.test", Password: "long enough password"})
			testkit.Must(t, err, "register bob")
			_, err = p.svc.Follow(ctx, bob.ID, alice.ID, service.FollowOptions{})
			testkit.Must(t, err, "follow")
			for i := range 3 { // each one woken, not only the first
				post, err := p.svc.CreatePost(ctx, alice.ID, service.PostInput{Text: "hello"})
				testkit.Must(t, err, "post")
				posted := time.Now()
				for {
					home, err := p.svc.HomeTimeline(ctx, bob.ID, model.Page{})
					testkit.Must(t, err, "home")
					if len(home.Statuses) > 0 && home.Statuses[0].Status.ID == post.Status.ID {
						t.Logf("post %d in the follower's home after %v", i+1, time.Since(posted).Round(time.Millisecond))
						break
					}
					if time.Since(posted) > 20*time.Second {
						t.Fatalf("post %d: the fan-out job did not start (workers not woken)", i+1)
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
		})
	}
}

// A job that waits — snoozed (its server busy) or retried after an error —
// runs again when its time comes, although idle workers look for jobs on
// their own only once an hour here: its queue is woken then.
func TestWaitingJobsRunWhenDue(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			fed := &flakyFederator{ran: make(chan string, 10)}
			p := startWith(t, testkit.FreshURL(t, d), true, time.Hour, fed)
			defer p.stop(t)
			err := p.st.InTx(ctx, func(tx *store.Tx) error {
				if err := p.q.Enqueue(ctx, tx.SQL(), service.DeliverArgs{Inbox: "https://busy.example/inbox", Activity: []byte(`{}`)}); err != nil {
					return err
				}
				return p.q.Enqueue(ctx, tx.SQL(), service.InboxArgs{Activity: []byte(`{}`)})
			})
			testkit.Must(t, err, "enqueue")
			p.q.Wake(service.DeliverArgs{}) // as service.enqueue does after commit
			p.q.Wake(service.InboxArgs{})
			start := time.Now()
			want := map[string]bool{"deliver snoozed": true, "deliver done": true, "inbox failed": true, "inbox done": true}
			for len(want) > 0 {
				select {
				case what := <-fed.ran:
					t.Logf("%s after %v", what, time.Since(start).Round(time.Millisecond))
					delete(want, what)
				case <-time.After(30 * time.Second):
					t.Fatalf("still waiting for %v: the queue was not woken when they came due", want)
				}
			}
		})
	}
}

// flakyFederator snoozes its first delivery for half a second and fails
// its first inbox job (River retries it after about a second).
type flakyFederator struct {
	noFed
	ran              chan string
	delivered, inbox atomic.Int32
}

func (f *flakyFederator) RunDeliver(context.Context, service.DeliverArgs) error {
	if f.delivered.Add(1) == 1 {
		f.ran <- "deliver snoozed"
		return &service.SnoozeError{After: 500 * time.Millisecond}
	}
	f.ran <- "deliver done"
	return nil
}

func (f *flakyFederator) RunInbox(context.Context, service.InboxArgs) error {
	if f.inbox.Add(1) == 1 {
		f.ran <- "inbox failed"
		return errors.New("the sender's server did not answer")
	}
	f.ran <- "inbox done"
	return nil
}

type noFed struct{}

func (noFed) RunFederate(context.Context, service.FederateArgs) error         { return nil }
func (noFed) RunDeliver(context.Context, service.DeliverArgs) error           { return nil }
func (noFed) RunInbox(context.Context, service.InboxArgs) error               { return nil }
func (noFed) RunFetchReplies(context.Context, service.FetchRepliesArgs) error { return nil }
func (noFed) RunProbeHosts(context.Context, service.ProbeHostsArgs) error     { return nil }
func (noFed) RunRetract(context.Context, service.RetractArgs) error           { return nil }
