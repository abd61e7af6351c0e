package service_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Many sign-ins at once cost a bounded amount of memory: password checks
// (19 MiB of Argon2id each) run one per core, the others wait their turn.
// Before, 64 parallel wrong passwords took a server from 81 MB to 828 MB.
// Measured: the peak of the heap while 8 × cores sign-ins run at once,
// from different addresses and names so that no limit refuses them first.
func TestParallelSignInMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	cores := runtime.GOMAXPROCS(0)
	n := 8 * cores
	c := testkit.NewCore(t, testkit.Dialects()[0])
	c.User(t, "alice") // the dummy hash and the first check are made before measuring
	_, _, _ = c.Service.Authenticate(t.Context(), service.SignIn{Login: "alice", Password: "warm up", IP: "198.51.100.1"})
	growth := peakHeapGrowth(func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, _, err := c.Service.Authenticate(t.Context(), service.SignIn{Login: fmt.Sprint("guess", i),
					Password: "a wrong guess", IP: fmt.Sprintf("192.0.2.%d", i)})
				if err == nil || !isUnauthorized(err) {
					t.Errorf("sign-in %d: %v", i, err)
				}
			})
		}
		wg.Wait()
	})
	per := int64(service.DefaultPasswordHashMemory)
	t.Logf("%d sign-ins at once on %d cores: heap peak +%d MiB (%.1f hashes' worth; unbounded would be %d)",
		n, cores, growth>>20, float64(growth)/float64(per), n)
	if limit := int64(3*cores+4) * per; growth > limit {
		t.Fatalf("heap grew by %d MiB, more than %d MiB: password checks are not bounded", growth>>20, limit>>20)
	}
}

func isUnauthorized(err error) bool {
	return err != nil && model.Message(err) == "invalid email/username or password"
}

// peakHeapGrowth runs fn and returns how far the heap in use rose above
// where it started, sampled every millisecond.
func peakHeapGrowth(fn func()) int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := int64(ms.HeapInuse)
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if v := int64(m.HeapInuse) - base; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	return peak.Load()
}
