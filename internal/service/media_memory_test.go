package service_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"sync"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Big images uploaded at once cost a bounded amount of memory: the images
// being decoded hold at most media_max_image_pixels pixels together, the
// others wait their turn. Before, eight uploads of a 126 KB all-zero
// 5700×5700 PNG (under the pixel limit) took 1.6 GB. Measured: the heap's
// peak for one upload of a 5000×5000 PNG, then for four at once.
func TestParallelUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	c := testkit.NewCore(t, testkit.Dialects()[0])
	alice := c.QuickAccount(t, "alice")
	var buf bytes.Buffer
	testkit.Must(t, png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 5000, 5000))), "encode") // 25 Mpx with alpha, about 100 KB
	upload := func() {
		// Under the race detector one decode can take longer than an
		// upload waits for its turn (30 s); the 429 it then gets is the
		// bound at work, so the test asks again as a client would.
		for try := 0; ; try++ {
			_, err := c.Service.UploadMedia(t.Context(), alice.ID, service.Upload{File: bytes.NewReader(buf.Bytes())})
			var busy *model.Throttle
			if errors.As(err, &busy) && try < 20 {
				continue
			}
			if err != nil {
				t.Errorf("upload: %v", err)
			}
			return
		}
	}
	upload() // warm up
	one := peakHeapGrowth(upload)
	four := peakHeapGrowth(func() {
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(upload)
		}
		wg.Wait()
	})
	t.Logf("a %d KB 5000×5000 PNG: heap peak +%d MiB for one upload, +%d MiB for four at once", buf.Len()>>10, one>>20, four>>20)
	// The budget (33 Mpx) lets one of them decode at a time; unbounded,
	// all four.
	if four > 5*one/2 {
		t.Fatalf("four uploads at once took %d MiB, one took %d MiB: image decoding is not bounded", four>>20, one>>20)
	}
}
