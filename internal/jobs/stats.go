package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Count is how many jobs of one kind are in one state.
type Count struct {
	Kind, State string
	N           int64
}

// Counts reads job counts by kind and state (for /metrics). It reads the
// table, so it counts every process's jobs, not only this one's, and it
// reads on the read pool, so it never waits for (or deadlocks inside) a
// transaction holding SQLite's one writer connection.
func (q *Queue) Counts(ctx context.Context) ([]Count, error) {
	rows, err := q.st.ReadDB().QueryContext(ctx, `SELECT kind, state, COUNT(*) FROM river_job GROUP BY kind, state ORDER BY kind, state`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Kind, &c.State, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// WaitIdle waits until no job is available or running, and fails as soon as
// one has failed (retryable or discarded), with its errors. For tests and
// for the benchmark harness. Each look is one query, so a job moving from
// running to failed between two looks cannot slip through.
func (q *Queue) WaitIdle(ctx context.Context) error {
	for {
		rows, err := q.st.ReadDB().QueryContext(ctx, `SELECT kind, state, CAST(errors AS TEXT) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'discarded')`)
		if err != nil {
			return fmt.Errorf("check jobs: %w", err)
		}
		var failed []string
		busy := 0
		for rows.Next() {
			var kind, state string
			var errs *string
			if err := rows.Scan(&kind, &state, &errs); err != nil {
				rows.Close()
				return err
			}
			switch state {
			case "available", "running":
				busy++
			default:
				if errs != nil {
					kind += ": " + *errs
				}
				failed = append(failed, kind)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(failed) > 0 {
			return fmt.Errorf("jobs failed: %s", strings.Join(failed, "; "))
		}
		if busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs still busy: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
