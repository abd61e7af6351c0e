package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"weft/internal/service"
)

// Federator runs the federation jobs (internal/federation implements it;
// the service only enqueues them).
type Federator interface {
	RunFederate(ctx context.Context, args service.FederateArgs) error
	RunDeliver(ctx context.Context, args service.DeliverArgs) error
	RunInbox(ctx context.Context, args service.InboxArgs) error
	RunFetchReplies(ctx context.Context, args service.FetchRepliesArgs) error
	RunProbeHosts(ctx context.Context, args service.ProbeHostsArgs) error
	RunRetract(ctx context.Context, args service.RetractArgs) error
}

// Job timeouts. A job's context ends after its timeout, and a job found
// running past it — its process died (kill -9, a crash, a lost machine) —
// is run again by River's rescuer, which looks every 30 seconds. Most jobs
// take milliseconds (a delivery's request is bounded at 10 s, its second
// knock at as much), so the default is short and a dead process's jobs run
// again within a minute; the kinds that may work longer say so, and are
// rescued only after their own timeout.
const (
	shortJob   = 30 * time.Second // the default, and how long after its start a stuck job is rescued
	networkJob = 2 * time.Minute  // an inbox job may fetch a thread's parents, a federate job enqueue 10,000 deliveries
	longJob    = 10 * time.Minute // a thread's replies (up to 60 fetches), a retraction batch, a media download
	batchJob   = 30 * time.Minute // an account's deletion, the hourly clean-ups: batch after batch
)

// workers maps every job kind to the method that runs it, and its timeout
// when it is not shortJob.
func workers(svc *service.Service, fed Federator, wakes *timedWakes) *river.Workers {
	w := workerSet{river.NewWorkers(), wakes}
	add(w, svc.RunFanOut, networkJob) // the followers of a big account, batch by batch
	add(w, svc.RunStatusEdited, networkJob)
	add(w, svc.RunStatusDeleted, networkJob)
	add(w, svc.RunNotify, 0)
	add(w, svc.RunFeedMerge, networkJob)
	add(w, svc.RunFeedUnmerge, networkJob)
	add(w, svc.RunAcceptPendingFollows, networkJob)
	add(w, svc.RunDeleteAccount, batchJob)
	add(w, svc.RunHousekeeping, batchJob)
	add(w, svc.RunStopSharing, networkJob)
	add(w, svc.RunMoveFollowers, networkJob)
	add(w, svc.RunFetchMedia, longJob)
	add(w, svc.RunMediaCleanup, batchJob)
	if fed == nil {
		// A process without federation (some tests) drops federation work
		// at once rather than retrying it for days.
		fed = noFederation{}
	}
	add(w, fed.RunFederate, networkJob)
	add(w, fed.RunDeliver, 0)
	add(w, fed.RunInbox, networkJob)
	add(w, fed.RunFetchReplies, longJob)
	add(w, fed.RunProbeHosts, longJob)
	add(w, fed.RunRetract, longJob)
	return w.Workers
}

// workerSet is River's workers and the queue's timed wakes they share.
type workerSet struct {
	*river.Workers
	wakes *timedWakes
}

// add registers run for its job kind, with a timeout (0: shortJob).
func add[T river.JobArgs](w workerSet, run func(context.Context, T) error, timeout time.Duration) {
	river.AddWorker(w.Workers, &worker[T]{run: run, timeout: timeout, wakes: w.wakes})
}

// worker runs one job kind: River's Worker, with its own timeout.
type worker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	run     func(context.Context, T) error
	timeout time.Duration
	wakes   *timedWakes
}

func (w *worker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout } // 0: the client's JobTimeout

func (w *worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	err := w.run(ctx, job.Args)
	var snooze *service.SnoozeError
	if errors.As(err, &snooze) {
		w.wakes.at(job.Queue, time.Now().Add(snooze.After))
		return river.JobSnooze(snooze.After)
	}
	if errors.Is(err, service.ErrNoRetry) {
		return river.JobCancel(err) // retrying cannot help: record the failure and stop
	}
	return err
}

type noFederation struct{}

var errNoFederation = errors.Join(service.ErrNoRetry, errors.New("federation is not configured in this process"))

func (noFederation) RunFederate(context.Context, service.FederateArgs) error { return errNoFederation }
func (noFederation) RunDeliver(context.Context, service.DeliverArgs) error   { return errNoFederation }
func (noFederation) RunInbox(context.Context, service.InboxArgs) error       { return errNoFederation }
func (noFederation) RunFetchReplies(context.Context, service.FetchRepliesArgs) error {
	return errNoFederation
}
func (noFederation) RunProbeHosts(context.Context, service.ProbeHostsArgs) error { return nil }
func (noFederation) RunRetract(context.Context, service.RetractArgs) error       { return errNoFederation }
