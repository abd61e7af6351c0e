package imaging

import (
	"image"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// photoLike is a w×h picture that compresses like a photo: smooth
// gradients in every channel plus per-pixel noise.
func photoLike(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(7, 8))
	for y := range h {
		row := m.Pix[y*m.Stride:]
		for x := range w {
			n := int(rng.Uint32()%24) - 12
			c := func(v int) uint8 { return uint8(max(0, min(255, v+n))) }
			row[4*x] = c(x * 255 / w)
			row[4*x+1] = c(y * 255 / h)
			row[4*x+2] = c(128 + (x-y)*127/(w+h))
			row[4*x+3] = 255
		}
	}
	return m
}

// heapSampler records the largest heap-objects size seen while running.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapNow() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), peak: heapNow()}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-tick.C:
				h.peak = max(h.peak, heapNow())
			}
		}
	}()
	return h
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	h.done.Wait()
	return max(h.peak, heapNow())
}

// BenchmarkProcess12MP processes a 4000×3000 photo-like JPEG per op and
// reports throughput, the peak heap growth during an op (sampled every
// millisecond, after a GC, against the heap just before the op), and bytes
// allocated per op.
func BenchmarkProcess12MP(b *testing.B) {
	data := encJPEG(b, photoLike(4000, 3000), 90)
	b.Logf("input: %d bytes", len(data))
	var peak uint64
	var ms0, ms1 runtime.MemStats
	var outBytes int
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		runtime.GC()
		base := heapNow()
		s := startHeapSampler()
		b.StartTimer()
		res, err := Process(data, Options{})
		b.StopTimer()
		p := s.finish()
		if err != nil {
			b.Fatal(err)
		}
		if res.Original.Width != 3840 || res.Original.Height != 2880 {
			b.Fatalf("original %d×%d", res.Original.Width, res.Original.Height)
		}
		outBytes = len(res.Original.Data)
		peak = max(peak, p-min(p, base))
		b.StartTimer()
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
	b.Logf("output original: %d bytes", outBytes)
}

// BenchmarkResizeYCbCr12MP isolates the plane resizer: 4000×3000 4:2:0 to
// the default original size.
func BenchmarkResizeYCbCr12MP(b *testing.B) {
	src := ycbcrFrom(photoLike(4000, 3000), image.YCbCrSubsampleRatio420)
	b.ResetTimer()
	for range b.N {
		resize(src, 3840, 2880, false)
	}
}
