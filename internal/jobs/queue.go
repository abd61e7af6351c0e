// Package jobs runs weft's durable background jobs on River, with its SQLite
// driver on SQLite and its database/sql driver (plus a pgx LISTEN
// connection) on PostgreSQL. Jobs live in the same database as everything
// else, so the service inserts them in the same transaction as the change
// that causes them: no change without its job, no job without its change.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"weft/internal/service"
	"weft/internal/store"
)

// idlePoll is how often idle workers look for jobs nobody woke them for.
const idlePoll = 5 * time.Second

// Options tune the queue.
type Options struct {
	Workers int // concurrent jobs in this process
	Logger  *slog.Logger
	// PollInterval is how often workers look for jobs when no notification
	// woke them (0 = River's default). Tests make it short.
	PollInterval time.Duration
}

// Queue is the job queue of one process.
type Queue struct {
	st       *store.Store
	opts     Options
	log      *slog.Logger
	client   *river.Client[*sql.Tx]
	listener *pgxpool.Pool  // PostgreSQL only: one connection for LISTEN
	local    *localListener // SQLite only: Wake's notifications (wake.go)
	exec     riverdriver.Executor
	wakes    *timedWakes
}

// NewQueue prepares a queue; Register makes it usable.
func NewQueue(st *store.Store, opts Options) *Queue {
	if opts.Workers <= 0 {
		opts.Workers = 10
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Queue{st: st, opts: opts, log: opts.Logger}
}

// driver returns River's driver for the store's database.
func (q *Queue) driver(ctx context.Context) (riverdriver.Driver[*sql.Tx], error) {
	if q.st.Dialect == store.SQLite {
		if q.local == nil {
			q.local = newLocalListener()
		}
		return &localDriver{Driver: riversqlite.New(q.st.WriteDB()), listener: q.local}, nil
	}
	if q.listener == nil {
		cfg, err := pgxpool.ParseConfig(q.st.URL)
		if err != nil {
			return nil, fmt.Errorf("job queue: parse database URL: %w", err)
		}
		cfg.MaxConns = 2
		cfg.MinConns = 0
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("job queue: listener pool: %w", err)
		}
		q.listener = pool
	}
	return riverdatabasesql.NewWithPgxListener(q.st.WriteDB(), q.listener), nil
}

// Register creates the River client with a worker for every job kind of the
// service. After it, Enqueue works; Start runs the workers.
func (q *Queue) Register(ctx context.Context, svc *service.Service, fed Federator) error {
	drv, err := q.driver(ctx)
	if err != nil {
		return err
	}
	q.exec = drv.GetExecutor()
	q.wakes = newTimedWakes(q.wakeQueue)
	cfg := &river.Config{
		Logger: riverLogger(q.log),
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: q.opts.Workers},
			// Federation has its own workers: deliveries wait on remote
			// servers, and must not hold back local fan-out.
			// Deliveries and inbox jobs mostly wait on the network, so
			// they get more workers than the CPU-bound local jobs; the
			// per-server limit (federation/hosts.go) keeps any one remote
			// server from seeing more than a few at once.
			service.QueueFederation: {MaxWorkers: max(4*q.opts.Workers, 32)},
		},
		// River fetches at most each queue's free workers' worth of jobs
		// per fetch, and waits FetchCooldown between fetches: its default
		// (100 ms) capped every queue at ten times its workers per second
		// (100 deliveries/s at the default job_workers). Jobs here are
		// short, so fetch often.
		FetchCooldown: 5 * time.Millisecond,
		// New jobs wake the workers (PostgreSQL's NOTIFY, Wake on
		// SQLite), and so do snoozes and retries when they come due
		// (wake.go), so the workers look on their own only rarely: for
		// jobs inserted by another process, or a wake that was lost. Each
		// look is a query per queue; at 50 ms they kept an idle server
		// busy.
		FetchPollInterval: idlePoll,
		Workers:           workers(svc, fed, q.wakes),
		RetryPolicy:       &wakingRetryPolicy{wakes: q.wakes},
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return service.HousekeepingArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return service.MediaCleanupArgs{}, nil }, nil),
			river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
				func() (river.JobArgs, *river.InsertOpts) {
					return service.ProbeHostsArgs{}, &river.InsertOpts{Queue: service.QueueFederation}
				}, nil),
		},
		JobTimeout:           shortJob,
		RescueStuckJobsAfter: shortJob, // the kinds with longer timeouts are rescued after those (workers.go)
	}
	if q.opts.PollInterval > 0 {
		cfg.FetchPollInterval = q.opts.PollInterval
		cfg.FetchCooldown = min(q.opts.PollInterval, cfg.FetchCooldown)
	}
	client, err := river.NewClient(drv, cfg)
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	q.client = client
	return nil
}

// Enqueue inserts a job in tx (service.Jobs).
func (q *Queue) Enqueue(ctx context.Context, tx *sql.Tx, args service.JobArgs) error {
	if q.client == nil {
		return errors.New("job queue: Register was not called")
	}
	var opts *river.InsertOpts
	if name := queueOf(args); name != river.QueueDefault {
		opts = &river.InsertOpts{Queue: name}
	}
	if ma, ok := args.(interface{ MaxAttempts() int }); ok {
		if opts == nil {
			opts = &river.InsertOpts{}
		}
		opts.MaxAttempts = ma.MaxAttempts()
	}
	// A job that asks for it is inserted once per period for the same
	// arguments (e.g. fetching a thread's replies while many read it).
	if ua, ok := args.(interface{ UniqueFor() time.Duration }); ok {
		if opts == nil {
			opts = &river.InsertOpts{}
		}
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true, ByPeriod: ua.UniqueFor()}
	}
	if _, err := q.client.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s job: %w", args.Kind(), err)
	}
	return nil
}

// Start runs the workers until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if q.client == nil {
		return errors.New("job queue: Register was not called")
	}
	return q.client.Start(ctx)
}

// Stop stops fetching new jobs and waits for running ones until ctx ends;
// then it cancels them (they are retried after restart: every job is
// idempotent).
func (q *Queue) Stop(ctx context.Context) error {
	if q.client == nil {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = q.client.StopAndCancel(cctx)
	}
	return err
}

// Close cancels the timed wakes and releases the listener connection
// (PostgreSQL).
func (q *Queue) Close() {
	if q.wakes != nil {
		q.wakes.stop()
	}
	if q.listener != nil {
		q.listener.Close()
	}
}

// Migrate applies River's own schema: inside tx when given (SQLite, where
// store.Migrate holds one transaction for everything), otherwise in River's
// own transactions (PostgreSQL, under store.Migrate's advisory lock).
func Migrate(ctx context.Context, st *store.Store, tx *sql.Tx) error {
	var drv riverdriver.Driver[*sql.Tx]
	if st.Dialect == store.SQLite {
		drv = riversqlite.New(st.WriteDB())
	} else {
		drv = riverdatabasesql.New(st.WriteDB())
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if tx != nil {
		_, err = m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil)
	} else {
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// riverLogger keeps River's routine messages out of weft's logs unless
// debugging: River logs at info for every start, stop and leader election.
func riverLogger(l *slog.Logger) *slog.Logger {
	return slog.New(&minLevel{h: l.Handler(), min: slog.LevelWarn})
}

type minLevel struct {
	h   slog.Handler
	min slog.Level
}

func (m *minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}
func (m *minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m *minLevel) WithAttrs(a []slog.Attr) slog.Handler {
	return &minLevel{h: m.h.WithAttrs(a), min: m.min}
}
func (m *minLevel) WithGroup(n string) slog.Handler {
	return &minLevel{h: m.h.WithGroup(n), min: m.min}
}
