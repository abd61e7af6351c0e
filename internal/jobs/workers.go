package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"weft/internal/service"
)

// workers maps every job kind to the service method that runs it.
func workers(svc *service.Service) *river.Workers {
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
	return w
}

func add[T river.JobArgs](w *river.Workers, run func(context.Context, T) error) {
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[T]) error {
		return run(ctx, job.Args)
	}))
}
