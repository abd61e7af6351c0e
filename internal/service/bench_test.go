package service_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Benchmarks of the core on both databases. Figures and the machine they
// were measured on are in docs/benchmarks.md. With -short (as in CI) the
// data is a tenth of the size, so the benchmarks only prove they run.

// latencies records each operation's duration and reports p50 and p99,
// which say more about a server than the mean ns/op.
type latencies []time.Duration

func (l *latencies) time(fn func()) {
	start := time.Now()
	fn()
	*l = append(*l, time.Since(start))
}

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	pct := func(p float64) float64 { return float64(s[int(float64(len(s)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func scale(full int) int {
	if testing.Short() {
		return max(full/10, 1)
	}
	return full
}

// BenchmarkCreatePost: publishing a post by an author with 100 followers,
// with its fan-out job enqueued in the same transaction (the job itself is
// not run: it is the background's work, not the request's).
func BenchmarkCreatePost(b *testing.B) {
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			c := testkit.NewIdleCore(b, d)
			ctx := context.Background()
			author := c.QuickAccount(b, "author")
			for i := 0; i < scale(100); i++ {
				f := c.QuickAccount(b, fmt.Sprintf("follower%d", i))
				if _, err := c.Service.Follow(ctx, f.ID, author.ID, service.FollowOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			var l latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				l.time(func() {
					if _, err := c.Service.CreatePost(ctx, author.ID, service.PostInput{
						Text: fmt.Sprintf("post %d with #weft and a link https://example.com/%d", i, i),
					}); err != nil {
						b.Fatal(err)
					}
				})
			}
			b.StopTimer()
			l.report(b)
		})
	}
}

// BenchmarkHomeTimeline: reading a 40-post page of the home timeline of an
// account following 1,000 accounts that wrote 100,000 posts. Most reads are
// of the first page; one in four pages further down (max_id).
func BenchmarkHomeTimeline(b *testing.B) {
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			c := testkit.NewIdleCore(b, d)
			ctx := context.Background()
			seed := testkit.SeedHome(b, c, scale(1000), scale(100_000))
			first, err := c.Service.HomeTimeline(ctx, seed.Viewer, model.Page{Limit: 40})
			if err != nil || len(first.Statuses) != 40 {
				b.Fatalf("first page: %d statuses, %v", len(first.Statuses), err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			deeper := []int64{first.NextMaxID}
			var l latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := model.Page{Limit: 40}
				if i%4 == 3 {
					p.MaxID = deeper[rng.IntN(len(deeper))]
				}
				l.time(func() {
					tl, err := c.Service.HomeTimeline(ctx, seed.Viewer, p)
					if err != nil || len(tl.Statuses) == 0 {
						b.Fatalf("home: %d statuses, %v", len(tl.Statuses), err)
					}
					if len(deeper) < 50 {
						deeper = append(deeper, tl.NextMaxID)
					}
				})
			}
			b.StopTimer()
			l.report(b)
		})
	}
}

// BenchmarkThreadContext: the context (ancestors and descendants) of the
// root of a 500-reply thread with branches, by 50 accounts.
func BenchmarkThreadContext(b *testing.B) {
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			c := testkit.NewIdleCore(b, d)
			ctx := context.Background()
			root, viewer := buildThread(b, c, scale(500))
			var l latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				l.time(func() {
					cx, err := c.Service.StatusContext(ctx, viewer, root)
					if err != nil || len(cx.Descendants) != scale(500) {
						b.Fatalf("context: %d descendants, %v", len(cx.Descendants), err)
					}
				})
			}
			b.StopTimer()
			l.report(b)
		})
	}
}

// buildThread posts a root and n replies through the service, each reply
// answering a random earlier post of the thread (so the tree branches and
// deepens), and returns the root and a reader's account.
func buildThread(b *testing.B, c *testkit.Core, n int) (int64, int64) {
	b.Helper()
	ctx := context.Background()
	var authors []*model.Account
	for i := 0; i < 50; i++ {
		authors = append(authors, c.QuickAccount(b, fmt.Sprintf("replier%d", i)))
	}
	reader := c.QuickAccount(b, "reader")
	root := c.Post(b, authors[0], service.PostInput{Text: "a thread worth replying to"})
	ids := []int64{root.ID}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < n; i++ {
		parent := ids[rng.IntN(len(ids))]
		v, err := c.Service.CreatePost(ctx, authors[rng.IntN(len(authors))].ID, service.PostInput{
			Text: fmt.Sprintf("reply %d", i), InReplyToID: parent})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, v.Status.ID)
	}
	return root.ID, reader.ID
}
