package jobs_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// BenchmarkEnqueueToStart measures how long a job committed by a request
// waits before a worker starts it (River's attempted_at − created_at of
// each fan-out job), one post at a time, with the production poll
// interval: the figure is the median wait, in milliseconds.
func BenchmarkEnqueueToStart(b *testing.B) {
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			p := startPolling(b, testkit.FreshURL(b, d), true, 0)
			defer p.stop(b)
			alice, err := p.svc.Register(ctx, service.Registration{Username: "alice", Email: "alice@weft.test", Password: "long enough password"})
			testkit.Must(b, err, "register alice")
			b.ResetTimer()
			for b.Loop() {
				_, err := p.svc.CreatePost(ctx, alice.ID, service.PostInput{Text: "hello"})
				testkit.Must(b, err, "post")
				// Let the job run before the next post, as requests come
				// apart on a quiet server.
				wait, cancel := context.WithTimeout(ctx, 30*time.Second)
				testkit.Must(b, p.q.WaitIdle(wait), "wait")
				cancel()
			}
			b.StopTimer()
			q := `SELECT (julianday(attempted_at) - julianday(created_at)) * 86400000 FROM river_job WHERE kind = 'fanout_status'`
			if d == store.Postgres {
				q = `SELECT extract(epoch FROM attempted_at - created_at) * 1000 FROM river_job WHERE kind = 'fanout_status'`
			}
			rows, err := p.st.ReadDB().QueryContext(ctx, q)
			testkit.Must(b, err, "waits")
			defer rows.Close()
			var waits []float64
			for rows.Next() {
				var ms float64
				testkit.Must(b, rows.Scan(&ms), "scan")
				waits = append(waits, ms)
			}
			if len(waits) == 0 {
				b.Fatal("no fan-out job ran")
			}
			slices.Sort(waits)
			b.ReportMetric(waits[len(waits)/2], "ms-to-start")
			b.ReportMetric(waits[len(waits)*9/10], "p90-ms-to-start")
		})
	}
}
