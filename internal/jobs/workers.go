package jobs

import (
	"context"
	"errors"

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

// workers maps every job kind to the method that runs it.
func workers(svc *service.Service, fed Federator) *river.Workers {
	w := river.NewWorkers()
	add(w, svc.RunFanOut)
	add(w, svc.RunStatusEdited)
	add(w, svc.RunStatusDeleted)
	add(w, svc.RunNotify)
	add(w, svc.RunFeedMerge)
	add(w, svc.RunFeedUnmerge)
	add(w, svc.RunAcceptPendingFollows)
	add(w, svc.RunDeleteAccount)
	add(w, svc.RunHousekeeping)
	add(w, svc.RunStopSharing)
	add(w, svc.RunMoveFollowers)
	add(w, svc.RunFetchMedia)
	add(w, svc.RunMediaCleanup)
	if fed == nil {
		// A process without federation (some tests) drops federation work
		// at once rather than retrying it for days.
		fed = noFederation{}
	}
	add(w, fed.RunFederate)
	add(w, fed.RunDeliver)
	add(w, fed.RunInbox)
	add(w, fed.RunFetchReplies)
	add(w, fed.RunProbeHosts)
	add(w, fed.RunRetract)
	return w
}

func add[T river.JobArgs](w *river.Workers, run func(context.Context, T) error) {
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[T]) error {
		err := run(ctx, job.Args)
		var snooze *service.SnoozeError
		if errors.As(err, &snooze) {
			return river.JobSnooze(snooze.After)
		}
		if errors.Is(err, service.ErrNoRetry) {
			return river.JobCancel(err) // retrying cannot help: record the failure and stop
		}
		return err
	}))
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
