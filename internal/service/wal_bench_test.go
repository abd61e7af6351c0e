package service_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// BenchmarkPostingWAL: SQLite's write-ahead log under a burst of posts —
// 32 members posting at once (each with 10 followers, so every post's
// fan-out job runs too) while 8 readers page through home timelines, as
// on a busy server. It reports the WAL file's high-water mark, what the
// WAL grew by per post (pages written, everything a post causes: the
// post, its job, the job's fan-out and completion), and the WAL's size
// once the burst is over and the server idle.
func BenchmarkPostingWAL(b *testing.B) {
	ctx := context.Background()
	c := testkit.NewCore(b, store.SQLite)
	const posters, readers, followers = 32, 8, 10
	authors := make([]*model.Account, posters)
	for i := range authors {
		authors[i] = c.QuickAccount(b, fmt.Sprintf("author%d", i))
	}
	for i := range followers {
		f := c.QuickAccount(b, fmt.Sprintf("follower%d", i))
		for _, a := range authors {
			_, err := c.Service.Follow(ctx, f.ID, a.ID, service.FollowOptions{})
			testkit.Must(b, err, "follow")
		}
	}
	c.Settle(b)
	before, err := c.Store.WAL(ctx)
	testkit.Must(b, err, "WAL before")

	var peak atomic.Int64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // the WAL file's size, every 2 ms
		defer close(sampled)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				if st, err := c.Store.WALFileSize(); err == nil && st > peak.Load() {
					peak.Store(st)
				}
			}
		}
	}()
	readCtx, stopReading := context.WithCancel(ctx)
	var readersDone sync.WaitGroup
	for i := range readers {
		readersDone.Add(1)
		go func() {
			defer readersDone.Done()
			for readCtx.Err() == nil {
				_, _ = c.Service.HomeTimeline(readCtx, authors[i].ID, model.Page{Limit: 40})
			}
		}()
	}

	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for p := range posters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if _, err := c.Service.CreatePost(ctx, authors[p].ID, service.PostInput{Text: "a post in a burst #weft"}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	posted := time.Since(start)
	wait, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	testkit.Must(b, c.Queue.WaitIdle(wait), "every fan-out done")
	b.StopTimer()
	b.Logf("%d posts in %v, their jobs done %v later", b.N, posted.Round(time.Millisecond), (time.Since(start) - posted).Round(time.Millisecond))
	stopReading()
	readersDone.Wait()
	after, err := c.Store.WAL(ctx)
	testkit.Must(b, err, "WAL after")
	time.Sleep(3 * time.Second) // idle: the checkpointer's turn
	close(stopSampling)
	<-sampled
	idle, err := c.Store.WALFileSize()
	testkit.Must(b, err, "WAL idle")

	frame := float64(after.PageSize + 24)
	b.ReportMetric(float64(peak.Load())/(1<<20), "wal-peak-MB")
	b.ReportMetric(float64(after.PagesWritten-before.PagesWritten)*frame/float64(b.N)/1024, "wal-KB/post")
	b.ReportMetric(float64(idle)/(1<<20), "wal-idle-MB")
}
