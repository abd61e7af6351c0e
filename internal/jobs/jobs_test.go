package jobs_test

import (
	"context"
	"errors"
	"os"
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

func start(t *testing.T, url string, workers bool) *process {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if err := testkit.MigrateAll(ctx, st); err != nil {
		t.Fatal(err)
	}
	q := jobs.NewQueue(st, jobs.Options{Workers: 2, PollInterval: 10 * time.Millisecond})
	svc := service.New(service.Deps{Store: st, Jobs: q, Settings: service.Settings{Domain: testkit.Domain, BaseURL: "https://" + testkit.Domain}})
	if err := q.Register(ctx, svc, nil); err != nil {
		t.Fatal(err)
	}
	if workers {
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return &process{st: st, q: q, svc: svc}
}

func (p *process) stop(t *testing.T) {
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
