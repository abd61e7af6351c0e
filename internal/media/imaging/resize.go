package imaging

import (
	"image"
	"math"
	"runtime"
	"sync"

	dimg "github.com/disintegration/imaging"
)

// fit returns the size of a w×h image scaled down, aspect ratio kept, so that
// its longest side is at most max. It never scales up.
func fit(w, h, max int) (int, int) {
	if w <= max && h <= max {
		return w, h
	}
	scale := func(short, long int) int {
		// round(short*max/long) in integers; at least one pixel.
		v := int((int64(short)*int64(max)*2 + int64(long)) / (2 * int64(long)))
		if v < 1 {
			v = 1
		}
		return v
	}
	if w >= h {
		return max, scale(h, w)
	}
	return scale(w, h), max
}

// chromaSize is the size of the Cb/Cr planes of a w×h YCbCr image whose
// bounds start at the origin (the same arithmetic as image.NewYCbCr).
func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// resize returns img scaled to exactly w×h (the caller keeps the aspect
// ratio, see fit), as one of the working types the rest of the package
// handles without conversion:
//
//   - *image.YCbCr (JPEG photos, lossy WebP) is resized plane by plane into a
//     4:2:0 YCbCr image. This is the hot path: it never expands the photo to
//     4 bytes per pixel, touches 1.5 samples per pixel instead of 4, and the
//     JPEG encoder reads YCbCr directly.
//   - *image.Gray likewise, one plane.
//   - everything else goes through disintegration/imaging's Lanczos resize,
//     which weights colour by alpha (no dark fringes) and yields NRGBA.
//
// When w×h is the current size the image is returned as it is (or converted
// to NRGBA once if it is of an unusual type). symmetric asks for YCbCr output
// whose chroma subsampling is the same both ways (4:2:0 or 4:4:4), which
// orient needs to transpose it.
func resize(img image.Image, w, h int, symmetric bool) image.Image {
	b := img.Bounds()
	same := b.Dx() == w && b.Dy() == h
	atOrigin := b.Min == image.Point{}
	switch m := img.(type) {
	case *image.YCbCr:
		r := m.SubsampleRatio
		if same && (!symmetric || r == image.YCbCrSubsampleRatio420 || r == image.YCbCrSubsampleRatio444) {
			return m
		}
		if atOrigin {
			if out := resizeYCbCr(m, w, h); out != nil {
				return out
			}
		}
	case *image.Gray:
		if same {
			return m
		}
		src := plane{m.Pix, m.Stride, b.Dx(), b.Dy(), 1}
		if atOrigin && src.valid() {
			d := image.NewGray(image.Rect(0, 0, w, h))
			resizePlane(plane{d.Pix, d.Stride, w, h, 1}, src)
			return d
		}
	case *image.NRGBA, *image.RGBA, *image.Paletted:
		if same && atOrigin {
			return m
		}
	}
	if same {
		return dimg.Clone(img)
	}
	return dimg.Resize(img, w, h, dimg.Lanczos)
}

// resizeYCbCr resizes each plane of m into a new 4:2:0 image; a source with
// another subsampling is converted on the way, since each chroma plane is
// simply resampled to the 4:2:0 chroma size. It returns nil if m's planes are
// not what its header says (never the case for decoder output).
func resizeYCbCr(m *image.YCbCr, w, h int) *image.YCbCr {
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	scw, sch := chromaSize(sw, sh, m.SubsampleRatio)
	src := [3]plane{{m.Y, m.YStride, sw, sh, 1}, {m.Cb, m.CStride, scw, sch, 1}, {m.Cr, m.CStride, scw, sch, 1}}
	for _, p := range src {
		if !p.valid() {
			return nil
		}
	}
	d := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	dcw, dch := chromaSize(w, h, image.YCbCrSubsampleRatio420)
	resizePlane(plane{d.Y, d.YStride, w, h, 1}, src[0])
	resizePlane(plane{d.Cb, d.CStride, dcw, dch, 1}, src[1])
	resizePlane(plane{d.Cr, d.CStride, dcw, dch, 1}, src[2])
	return d
}

// The plane resizer is a separable Lanczos-3 filter in fixed point: each
// output row is a weighted sum of a few horizontally resized source rows,
// and those are computed on demand into a small ring of rows per worker
// (taps × width bytes) instead of a full dst.w×src.h intermediate, which
// for a 12-megapixel photo would be 11 MB. Rows are rounded to 8 bits
// between the passes, as Pillow does; the loss is invisible.

const (
	lanczosA = 3
	fixBits  = 14 // weights are fixed point with 14 fractional bits
	fixOne   = 1 << fixBits
	fixHalf  = 1 << (fixBits - 1)
)

func lanczos(x float64) float64 {
	if x < 0 {
		x = -x
	}
	if x >= lanczosA {
		return 0
	}
	if x < 1e-9 {
		return 1
	}
	px := math.Pi * x
	return lanczosA * math.Sin(px) * math.Sin(px/lanczosA) / (px * px)
}

// taps holds, for every output sample i, count[i] weights (stored at
// w[i*n:]) applied to the source samples starting at start[i]. The window
// lies inside the source, so the inner loops need no edge checks. Untrimmed
// taps have count n everywhere and a start that never decreases, which the
// row ring relies on; trimmed ones skip zero weights at both ends.
type taps struct {
	n     int
	start []int
	count []int
	w     []int32
}

func makeTaps(dst, src int, trim bool) taps {
	scale := float64(src) / float64(dst)
	fscale := math.Max(scale, 1) // widen the kernel when shrinking
	support := lanczosA * fscale
	n := min(2*int(math.Ceil(support))+1, src)
	t := taps{n: n, start: make([]int, dst), count: make([]int, dst), w: make([]int32, dst*n)}
	fw := make([]float64, n)
	for i := range dst {
		center := (float64(i) + 0.5) * scale
		lo := max(int(math.Floor(center-support+0.5)), 0)
		hi := min(int(math.Floor(center+support+0.5)), src, lo+n)
		start := min(lo, src-n)
		clear(fw)
		sum := 0.0
		for j := lo; j < hi; j++ {
			v := lanczos((float64(j) + 0.5 - center) / fscale)
			fw[j-start] = v
			sum += v
		}
		if sum == 0 { // cannot happen for a sane kernel; fall back to nearest
			fw[min(max(int(center), start), start+n-1)-start] = 1
			sum = 1
		}
		// Quantise, then give the rounding residue to the largest tap so the
		// weights sum to exactly 1.0: flat areas stay exactly flat.
		ws := t.w[i*n : i*n+n]
		total, big := int32(0), 0
		for k, v := range fw {
			ws[k] = int32(math.Round(v / sum * fixOne))
			total += ws[k]
			if ws[k] > ws[big] {
				big = k
			}
		}
		ws[big] += fixOne - total
		first, last := 0, n-1
		if trim {
			for first < big && ws[first] == 0 {
				first++
			}
			for last > big && ws[last] == 0 {
				last--
			}
			copy(ws, ws[first:last+1])
		}
		t.start[i] = start + first
		t.count[i] = last + 1 - first
	}
	return t
}

func clamp8(v int32) uint8 {
	v >>= fixBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// resizeRow resamples one row horizontally.
func resizeRow(d, s []uint8, t *taps) {
	for x := range d {
		win := s[t.start[x] : t.start[x]+t.count[x]]
		ws := t.w[x*t.n : x*t.n+len(win)]
		ws = ws[:len(win)] // lets the compiler drop the bounds check below
		acc := int32(fixHalf)
		for k, v := range win {
			acc += int32(v) * ws[k]
		}
		d[x] = clamp8(acc)
	}
}

// resizePlane resamples src into dst (single-channel planes).
func resizePlane(dst, src plane) {
	row := func(p plane, y int) []uint8 { return p.pix[y*p.stride : y*p.stride+p.w] }
	if dst.h == src.h {
		if dst.w == src.w {
			for y := range dst.h {
				copy(row(dst, y), row(src, y))
			}
			return
		}
		th := makeTaps(dst.w, src.w, true)
		parallelRows(dst.h, func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				resizeRow(row(dst, y), row(src, y), &th)
			}
		})
		return
	}
	var th taps
	if dst.w != src.w {
		th = makeTaps(dst.w, src.w, true)
	}
	tv := makeTaps(dst.h, src.h, false)
	parallelRows(dst.h, func(y0, y1 int) {
		// ring holds horizontally resized source rows [have-n, have),
		// row r in slot r%n. Untrimmed vertical windows slide forward
		// only, so every row is computed once per band.
		var ring []uint8
		if dst.w != src.w {
			ring = make([]uint8, tv.n*dst.w)
		}
		have := tv.start[y0]
		acc := make([]int32, dst.w)
		for y := y0; y < y1; y++ {
			first := tv.start[y]
			for have < first+tv.n && ring != nil {
				resizeRow(ring[(have%tv.n)*dst.w:][:dst.w], row(src, have), &th)
				have++
			}
			for x := range acc {
				acc[x] = fixHalf
			}
			for k := range tv.n {
				wk := tv.w[y*tv.n+k]
				if wk == 0 {
					continue
				}
				r := first + k
				var s []uint8
				if ring != nil {
					s = ring[(r%tv.n)*dst.w:][:dst.w]
				} else {
					s = row(src, r)
				}
				s = s[:len(acc)]
				for x, v := range s {
					acc[x] += int32(v) * wk
				}
			}
			d := row(dst, y)
			for x, v := range acc {
				d[x] = clamp8(v)
			}
		}
	})
}

// parallelRows runs fn over [0, n) split into one band per CPU. Small jobs
// stay on the calling goroutine.
func parallelRows(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/32)
	if workers <= 1 {
		fn(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
