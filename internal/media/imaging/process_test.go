package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"testing"
)

func TestProcessJPEGRoundTrip(t *testing.T) {
	src := quadrants(300, 200, red, green, blue, white)
	res, err := Process(encJPEG(t, src, 95), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != JPEG || res.Animated {
		t.Errorf("Format = %q, Animated = %v", res.Format, res.Animated)
	}
	for _, im := range []Image{res.Original, res.Small} {
		if im.ContentType != "image/jpeg" || im.Width != 300 || im.Height != 200 {
			t.Errorf("got %s %d×%d, want image/jpeg 300×200", im.ContentType, im.Width, im.Height)
		}
		wantQuadrants(t, decodeOut(t, im), red, green, blue, white, 24)
	}
	if len(res.Blurhash) != 4+2*blurhashX*blurhashY {
		t.Errorf("blurhash %q has length %d", res.Blurhash, len(res.Blurhash))
	}
}

func TestProcessJPEGGrayscale(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 900, 300))
	for y := range 300 {
		for x := range 900 {
			src.SetGray(x, y, color.Gray{uint8(x * 255 / 899)})
		}
	}
	res, err := Process(encJPEG(t, src, 90), Options{MaxSide: 300, ThumbSide: 90})
	if err != nil {
		t.Fatal(err)
	}
	if res.Original.Width != 300 || res.Original.Height != 100 || res.Small.Width != 90 || res.Small.Height != 30 {
		t.Fatalf("sizes %d×%d / %d×%d", res.Original.Width, res.Original.Height, res.Small.Width, res.Small.Height)
	}
	m := decodeOut(t, res.Original)
	if _, ok := m.(*image.Gray); !ok {
		t.Errorf("a grayscale JPEG came out as %T, want a grayscale JPEG", m)
	}
	// The ramp survives resizing: dark at the left, mid in the middle, light at the right.
	for _, p := range []struct{ x, want int }{{5, 4}, {150, 128}, {294, 251}} {
		if g := int(nrgbaAt(m, p.x, 50).R); g < p.want-8 || g > p.want+8 {
			t.Errorf("grey at x=%d is %d, want %d±8", p.x, g, p.want)
		}
	}
}

func TestProcessPNGOpaque(t *testing.T) {
	src := quadrants(120, 80, red, green, blue, white)
	res, err := Process(encPNG(t, src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != PNG || res.Original.ContentType != "image/png" {
		t.Fatalf("Format %q, original %s; want png in, png out", res.Format, res.Original.ContentType)
	}
	// PNG is lossless: exact colours.
	wantQuadrants(t, decodeOut(t, res.Original), red, green, blue, white, 0)
	// An opaque image gets a JPEG thumbnail.
	if res.Small.ContentType != "image/jpeg" {
		t.Errorf("thumbnail of an opaque PNG is %s, want image/jpeg", res.Small.ContentType)
	}
	wantQuadrants(t, decodeOut(t, res.Small), red, green, blue, white, 24)
}

func TestProcessPNGAlpha(t *testing.T) {
	half := color.NRGBA{0, 0, 255, 128}
	src := quadrants(200, 100, red, transparent, half, green)
	res, err := Process(encPNG(t, src), Options{ThumbSide: 50})
	if err != nil {
		t.Fatal(err)
	}
	orig := decodeOut(t, res.Original)
	wantQuadrants(t, orig, red, transparent, half, green, 0)
	if res.Small.ContentType != "image/png" || res.Small.Width != 50 || res.Small.Height != 25 {
		t.Fatalf("thumbnail %s %d×%d, want image/png 50×25", res.Small.ContentType, res.Small.Width, res.Small.Height)
	}
	small := decodeOut(t, res.Small)
	wantQuadrants(t, small, red, transparent, half, green, 6)
	// Alpha-weighted resizing: the transparent quadrant doesn't darken the
	// red next to it.
	wantColor(t, small, 23, 5, red, 8)
}

func TestProcessGIFStill(t *testing.T) {
	pal := color.Palette{red, green, blue, white, color.RGBA{}}
	frame := image.NewPaletted(image.Rect(0, 0, 60, 40), pal)
	for y := range 40 {
		for x := range 60 {
			frame.SetColorIndex(x, y, uint8(x/30+2*(y/20)))
		}
	}
	res, err := Process(encGIF(t, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0}}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != GIF || res.Animated || res.Original.ContentType != "image/png" {
		t.Fatalf("Format %q Animated %v original %s; a still GIF should become a PNG", res.Format, res.Animated, res.Original.ContentType)
	}
	wantQuadrants(t, decodeOut(t, res.Original), red, green, blue, white, 0)
	wantQuadrants(t, decodeOut(t, res.Small), red, green, blue, white, 24)
}

// A single frame smaller than the logical screen is placed on a
// transparent canvas of the screen's size.
func TestProcessGIFStillOffsetFrame(t *testing.T) {
	pal := color.Palette{red}
	frame := image.NewPaletted(image.Rect(10, 10, 20, 20), pal)
	g := &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0}, Config: image.Config{Width: 40, Height: 30}}
	res, err := Process(encGIF(t, g), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := decodeOut(t, res.Original)
	if res.Original.Width != 40 || res.Original.Height != 30 {
		t.Fatalf("original %d×%d, want the 40×30 screen", res.Original.Width, res.Original.Height)
	}
	wantColor(t, m, 15, 15, red, 0)
	wantColor(t, m, 2, 2, transparent, 0)
	if res.Small.ContentType != "image/png" {
		t.Errorf("thumbnail is %s, want image/png (the canvas is transparent)", res.Small.ContentType)
	}
}

func TestProcessWebP(t *testing.T) {
	t.Run("lossy opaque", func(t *testing.T) {
		res, err := Process(readTestdata(t, "quad-lossy.webp"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != WebP || res.Original.ContentType != "image/jpeg" || res.Small.ContentType != "image/jpeg" {
			t.Fatalf("Format %q, %s/%s; an opaque WebP becomes JPEG", res.Format, res.Original.ContentType, res.Small.ContentType)
		}
		if res.Original.Width != 64 || res.Original.Height != 48 {
			t.Fatalf("original %d×%d, want 64×48", res.Original.Width, res.Original.Height)
		}
		wantQuadrants(t, decodeOut(t, res.Original), red, green, blue, white, 32)
	})
	for _, name := range []string{"alpha-lossless.webp", "alpha-lossy.webp"} {
		t.Run(name, func(t *testing.T) {
			res, err := Process(readTestdata(t, name), Options{ThumbSide: 32})
			if err != nil {
				t.Fatal(err)
			}
			if res.Original.ContentType != "image/png" || res.Small.ContentType != "image/png" {
				t.Fatalf("%s/%s; a WebP with transparency becomes PNG", res.Original.ContentType, res.Small.ContentType)
			}
			if res.Small.Width != 32 || res.Small.Height != 24 {
				t.Fatalf("thumbnail %d×%d, want 32×24", res.Small.Width, res.Small.Height)
			}
			// Left half opaque red, right half fully transparent.
			for _, im := range []Image{res.Original, res.Small} {
				m := decodeOut(t, im)
				w, h := im.Width, im.Height
				wantColor(t, m, w/4, h/2, red, 24)
				if a := nrgbaAt(m, 3*w/4, h/2).A; a != 0 {
					t.Errorf("%d×%d: alpha in the transparent half is %d, want 0", w, h, a)
				}
			}
		})
	}
}

func TestProcessAnimatedGIF(t *testing.T) {
	pal := color.Palette{red, green, blue, color.RGBA{}}
	full := func(idx uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
		for i := range m.Pix {
			m.Pix[i] = idx
		}
		return m
	}
	patch := image.NewPaletted(image.Rect(5, 5, 15, 12), pal) // a partial frame
	in := &gif.GIF{
		Image:     []*image.Paletted{full(0), patch, full(2)},
		Delay:     []int{10, 25, 40},
		Disposal:  []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious},
		LoopCount: 3,
		Config:    image.Config{ColorModel: pal, Width: 40, Height: 30},
	}
	data := encGIF(t, in)
	// Add a comment extension, which must not survive.
	data = append(data[:len(data)-1], append([]byte{0x21, 0xFE, 6}, "secret\x00\x3B"...)...)
	res, err := Process(data, Options{ThumbSide: 20})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Animated || res.Format != GIF || res.Original.ContentType != "image/gif" || res.Original.Ext != ".gif" {
		t.Fatalf("Animated %v, Format %q, original %s", res.Animated, res.Format, res.Original.ContentType)
	}
	out, err := gif.DecodeAll(bytes.NewReader(res.Original.Data))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Image) != 3 {
		t.Fatalf("%d frames out, want 3", len(out.Image))
	}
	for i := range 3 {
		if out.Delay[i] != in.Delay[i] || out.Disposal[i] != in.Disposal[i] || out.Image[i].Rect != in.Image[i].Rect {
			t.Errorf("frame %d: delay %d disposal %d bounds %v, want %d %d %v", i,
				out.Delay[i], out.Disposal[i], out.Image[i].Rect, in.Delay[i], in.Disposal[i], in.Image[i].Rect)
		}
	}
	if out.LoopCount != 3 || out.Config.Width != 40 || out.Config.Height != 30 {
		t.Errorf("loop count %d, screen %d×%d", out.LoopCount, out.Config.Width, out.Config.Height)
	}
	if bytes.Contains(res.Original.Data, []byte("secret")) {
		t.Error("the comment extension survived")
	}
	// The thumbnail is a still of the first frame.
	if res.Small.ContentType != "image/jpeg" || res.Small.Width != 20 || res.Small.Height != 15 {
		t.Fatalf("thumbnail %s %d×%d, want image/jpeg 20×15", res.Small.ContentType, res.Small.Width, res.Small.Height)
	}
	wantColor(t, decodeOut(t, res.Small), 10, 7, red, 24)
}

func TestProcessAnimatedGIFTooWide(t *testing.T) {
	pal := color.Palette{red, blue}
	f := func() *image.Paletted { return image.NewPaletted(image.Rect(0, 0, 64, 8), pal) }
	data := encGIF(t, &gif.GIF{Image: []*image.Paletted{f(), f()}, Delay: []int{5, 5}})
	_, err := Process(data, Options{MaxSide: 32})
	wantErr(t, err, ErrTooLarge)
	// A still GIF of the same size is simply resized.
	still := encGIF(t, &gif.GIF{Image: []*image.Paletted{f()}, Delay: []int{0}})
	res, err := Process(still, Options{MaxSide: 32})
	if err != nil {
		t.Fatal(err)
	}
	if res.Original.Width != 32 || res.Original.Height != 4 {
		t.Errorf("still GIF resized to %d×%d, want 32×4", res.Original.Width, res.Original.Height)
	}
}

// Some encoders omit the trailer; browsers show such files, and so do we.
func TestProcessGIFWithoutTrailer(t *testing.T) {
	pal := color.Palette{red, blue}
	f := func(i uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 8, 8), pal)
		for j := range m.Pix {
			m.Pix[j] = i
		}
		return m
	}
	data := encGIF(t, &gif.GIF{Image: []*image.Paletted{f(0), f(1)}, Delay: []int{5, 5}})
	res, err := Process(data[:len(data)-1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := gif.DecodeAll(bytes.NewReader(res.Original.Data))
	if err != nil || len(out.Image) != 2 {
		t.Fatalf("re-encoded GIF: %v, %d frames", err, len(out.Image))
	}
}

func TestProcessResize(t *testing.T) {
	src := quadrants(5000, 1000, red, blue, green, white)
	res, err := Process(encPNG(t, src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Original.Width != 3840 || res.Original.Height != 768 {
		t.Errorf("original %d×%d, want 3840×768", res.Original.Width, res.Original.Height)
	}
	if res.Small.Width != 640 || res.Small.Height != 128 {
		t.Errorf("thumbnail %d×%d, want 640×128", res.Small.Width, res.Small.Height)
	}
	wantQuadrants(t, decodeOut(t, res.Original), red, blue, green, white, 2)
	wantQuadrants(t, decodeOut(t, res.Small), red, blue, green, white, 24)
}

func TestProcessResizeJPEGPortrait(t *testing.T) {
	src := quadrants(999, 2001, red, blue, green, white) // odd sizes: odd chroma planes
	res, err := Process(encJPEG(t, src, 90), Options{MaxSide: 1000, ThumbSide: 100})
	if err != nil {
		t.Fatal(err)
	}
	// 999×1000/2001 = 499.25 → 499; 999×100/2001 = 49.9 → 50.
	if res.Original.Width != 499 || res.Original.Height != 1000 || res.Small.Width != 50 || res.Small.Height != 100 {
		t.Fatalf("sizes %d×%d / %d×%d, want 499×1000 / 50×100",
			res.Original.Width, res.Original.Height, res.Small.Width, res.Small.Height)
	}
	wantQuadrants(t, decodeOut(t, res.Original), red, blue, green, white, 24)
	wantQuadrants(t, decodeOut(t, res.Small), red, blue, green, white, 24)
}

func TestProcessNeverUpscales(t *testing.T) {
	res, err := Process(encJPEG(t, quadrants(100, 50, red, green, blue, white), 90), Options{MaxSide: 4000, ThumbSide: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if res.Original.Width != 100 || res.Original.Height != 50 || res.Small.Width != 100 || res.Small.Height != 50 {
		t.Errorf("sizes %d×%d / %d×%d, want 100×50 for both", res.Original.Width, res.Original.Height, res.Small.Width, res.Small.Height)
	}
	// Same size and format: the thumbnail shares the original's bytes.
	if &res.Small.Data[0] != &res.Original.Data[0] {
		t.Error("identical thumbnail was encoded twice")
	}
}

func TestBlurhashDistinguishesImages(t *testing.T) {
	hashes := map[string]bool{}
	for _, c := range []color.NRGBA{red, green, blue, white} {
		res, err := Process(encPNG(t, quadrants(64, 64, c, c, c, c)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Blurhash) != 36 {
			t.Errorf("blurhash %q: length %d, want 36 (4×4 components)", res.Blurhash, len(res.Blurhash))
		}
		if res.Blurhash[0] != 'U' { // size flag: (4-1) + (4-1)*9 = 30 → base83 'U'
			t.Errorf("blurhash %q does not start with the 4×4 size flag 'U'", res.Blurhash)
		}
		hashes[res.Blurhash] = true
	}
	if len(hashes) != 4 {
		t.Errorf("4 differently coloured images gave %d distinct blurhashes", len(hashes))
	}
}

func TestSniffAndInfo(t *testing.T) {
	jpg := encJPEG(t, quadrants(30, 20, red, green, blue, white), 90)
	cases := []struct {
		name string
		data []byte
		f    Format
		w, h int
	}{
		{"jpeg", jpg, JPEG, 30, 20},
		{"jpeg rotated", insertAfterSOI(jpg, exifSegment(binary.BigEndian, 6)), JPEG, 20, 30},
		{"png", encPNG(t, quadrants(31, 21, red, green, blue, white)), PNG, 31, 21},
		{"gif", encGIF(t, &gif.GIF{Image: []*image.Paletted{image.NewPaletted(image.Rect(0, 0, 33, 22), color.Palette{red})}, Delay: []int{0}}), GIF, 33, 22},
		{"webp lossy", readTestdata(t, "quad-lossy.webp"), WebP, 64, 48},
		{"webp lossless", readTestdata(t, "alpha-lossless.webp"), WebP, 64, 48},
		{"webp vp8x", readTestdata(t, "alpha-lossy.webp"), WebP, 64, 48},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if f, ok := Sniff(c.data[:12]); !ok || f != c.f {
				t.Errorf("Sniff = %q, %v; want %q", f, ok, c.f)
			}
			f, w, h, err := Info(c.data)
			if err != nil || f != c.f || w != c.w || h != c.h {
				t.Errorf("Info = %q %d×%d %v; want %q %d×%d", f, w, h, err, c.f, c.w, c.h)
			}
		})
	}
	for _, head := range [][]byte{nil, jpg[:11], []byte("<!DOCTYPE html><html>"), []byte("GIF90a......"), []byte("RIFF\x00\x00\x00\x00WAVEfmt ")} {
		if f, ok := Sniff(head); ok {
			t.Errorf("Sniff(%q) = %q, want not recognised", head, f)
		}
	}
}

func TestAnimatedWebPUnsupported(t *testing.T) {
	data := readTestdata(t, "animated.webp")
	_, err := Process(data, Options{})
	wantErr(t, err, ErrUnsupported)
	f, _, _, err := Info(data)
	wantErr(t, err, ErrUnsupported)
	if f != WebP {
		t.Errorf("Info format = %q, want webp even when refusing it", f)
	}
	// The flag alone is enough: a still file whose VP8X claims animation.
	still := bytes.Clone(readTestdata(t, "alpha-lossy.webp"))
	still[20] |= 0x02
	_, err = Process(still, Options{})
	wantErr(t, err, ErrUnsupported)
}

// 16-bit PNGs decode to NRGBA64 and are stored with 8 bits per channel.
func TestProcessPNG16(t *testing.T) {
	src := image.NewNRGBA64(image.Rect(0, 0, 20, 10))
	for y := range 10 {
		for x := range 20 {
			src.SetNRGBA64(x, y, color.NRGBA64{0xFFFF, 0x8080, 0, 0xFFFF})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, src); err != nil {
		t.Fatal(err)
	}
	res, err := Process(b.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantColor(t, decodeOut(t, res.Original), 10, 5, color.NRGBA{255, 128, 0, 255}, 1)
}
