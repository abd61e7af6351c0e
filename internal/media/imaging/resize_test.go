package imaging

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	dimg "github.com/disintegration/imaging"
)

func TestFit(t *testing.T) {
	for _, c := range []struct{ w, h, max, ww, wh int }{
		{5000, 1000, 3840, 3840, 768},
		{5000, 1000, 640, 640, 128},
		{1000, 5000, 640, 128, 640},
		{100, 50, 640, 100, 50},   // never upscale
		{640, 640, 640, 640, 640}, // exactly at the limit
		{16384, 1, 640, 640, 1},   // at least one pixel
		{3000, 4000, 3840, 2880, 3840},
		{999, 2001, 1000, 499, 1000}, // 499.25 rounds down
		{1001, 3, 1000, 1000, 3},     // 2.997 rounds up
	} {
		if w, h := fit(c.w, c.h, c.max); w != c.ww || h != c.wh {
			t.Errorf("fit(%d, %d, %d) = %d×%d, want %d×%d", c.w, c.h, c.max, w, h, c.ww, c.wh)
		}
	}
}

// The plane resizer must agree with disintegration/imaging's Lanczos (same
// kernel, same sample alignment) up to fixed-point rounding.
func TestResizePlaneMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	src := image.NewGray(image.Rect(0, 0, 301, 157))
	for y := range 157 {
		for x := range 301 {
			// smooth content plus some noise
			v := (x*255/300+y*255/156)/2 + rng.IntN(40) - 20
			src.Pix[y*src.Stride+x] = uint8(max(0, min(255, v)))
		}
	}
	for _, sz := range [][2]int{{97, 51}, {301, 80}, {150, 157}, {400, 200}, {7, 3}, {1, 1}} {
		got := resize(src, sz[0], sz[1], false).(*image.Gray)
		want := dimg.Resize(src, sz[0], sz[1], dimg.Lanczos)
		worst := 0
		for y := range sz[1] {
			for x := range sz[0] {
				d := int(got.GrayAt(x, y).Y) - int(want.NRGBAAt(x, y).R)
				worst = max(worst, d, -d)
			}
		}
		if worst > 2 {
			t.Errorf("%v: differs from the reference by up to %d levels", sz, worst)
		}
	}
}

func TestResizePlaneKeepsFlatAreasExact(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 333, 111))
	for i := range src.Pix {
		src.Pix[i] = 77
	}
	got := resize(src, 100, 33, false).(*image.Gray)
	for _, v := range got.Pix {
		if v != 77 {
			t.Fatalf("flat 77 resized to %d", v)
		}
	}
}

// ycbcrFrom converts a picture to YCbCr at the given subsampling, averaging
// chroma the way an encoder would not need to: the test colours are flat
// blocks aligned to the chroma grid.
func ycbcrFrom(img *image.NRGBA, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := img.Bounds()
	m := image.NewYCbCr(b, r)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[m.YOffset(x, y)] = yy
			m.Cb[m.COffset(x, y)] = cb
			m.Cr[m.COffset(x, y)] = cr
		}
	}
	return m
}

// Every subsampling a JPEG can have, through every orientation, with and
// without resizing: the corners end up where the orientation says.
func TestYCbCrRatiosOrientAndResize(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	want := map[orientation][2]string{
		1: {"TL", "TR"}, 2: {"TR", "TL"}, 3: {"BR", "BL"}, 4: {"BL", "BR"},
		5: {"TL", "BL"}, 6: {"TR", "BR"}, 7: {"BR", "TR"}, 8: {"BL", "TL"},
	}
	src := cornerBlocks(64, 32, 16, map[string]color.NRGBA{"TL": red, "TR": blue})
	for _, r := range ratios {
		m := ycbcrFrom(src, r)
		for o := orientation(1); o <= 8; o++ {
			for _, scale := range []int{1, 2} {
				w, h := 64/scale, 32/scale
				out := orient(resize(m, w, h, o.swapsAxes()), o)
				if _, ok := out.(*image.YCbCr); !ok {
					t.Errorf("%v o=%d: result is %T, want to stay YCbCr", r, o, out)
				}
				if o.swapsAxes() {
					w, h = h, w
				}
				if b := out.Bounds(); b.Dx() != w || b.Dy() != h {
					t.Fatalf("%v o=%d: %v, want %d×%d", r, o, b, w, h)
				}
				colours := map[string]color.NRGBA{"TL": white, "TR": white, "BL": white, "BR": white}
				colours[want[o][0]] = red
				colours[want[o][1]] = blue
				for corner, c := range colours {
					x, y := cornerOrigin(corner, w, h, 16/scale)
					if got := nrgbaAt(out, x+8/scale, y+8/scale); !near(got, c, 12) {
						t.Errorf("%v o=%d 1/%d: %s is %v, want %v", r, o, scale, corner, got, c)
					}
				}
			}
		}
	}
}

func TestOrientNRGBAAndGray(t *testing.T) {
	src := cornerBlocks(6, 4, 1, map[string]color.NRGBA{"TL": red, "TR": blue})
	gray := image.NewGray(src.Rect)
	for i := range gray.Pix {
		gray.Pix[i] = src.Pix[4*i+2] // blue channel: only the blue and white pixels are bright
	}
	for o := orientation(1); o <= 8; o++ {
		n := orient(src, o).(*image.NRGBA)
		g := orient(gray, o).(*image.Gray)
		for y := range n.Rect.Dy() {
			for x := range n.Rect.Dx() {
				if n.NRGBAAt(x, y).B != g.GrayAt(x, y).Y {
					t.Fatalf("o=%d: NRGBA and Gray disagree at (%d,%d)", o, x, y)
				}
			}
		}
	}
	// Orientation 6 of a 6×4 NRGBA: stored TL (red) at displayed TR.
	n := orient(src, 6).(*image.NRGBA)
	if n.Rect.Dx() != 4 || n.Rect.Dy() != 6 || n.NRGBAAt(3, 0) != red || n.NRGBAAt(3, 5) != blue {
		t.Errorf("orientation 6: %v, TR %v, BR %v", n.Rect, n.NRGBAAt(3, 0), n.NRGBAAt(3, 5))
	}
}
