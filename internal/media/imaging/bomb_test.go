package imaging

import (
	"bytes"
	"compress/lzw"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"runtime"
	"strings"
	"testing"
	"time"
)

// allocatedBy reports how many bytes f allocated on the heap.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wantRefusedCheaply runs Process and checks that it refused the input with
// ErrTooLarge, in well under a second and allocating less than 1 MiB.
func wantRefusedCheaply(t *testing.T, data []byte, opt Options) error {
	t.Helper()
	var err error
	start := time.Now()
	alloc := allocatedBy(func() { _, err = Process(data, opt) })
	wantErr(t, err, ErrTooLarge)
	if alloc >= 1<<20 {
		t.Errorf("refusing a %d-byte bomb allocated %d bytes", len(data), alloc)
	}
	d := time.Since(start)
	if d > time.Second {
		t.Errorf("refusing took %v", d)
	}
	t.Logf("%d-byte input refused in %v, %d bytes allocated: %v", len(data), d, alloc, err)
	return err
}

// pngBomb is a PNG whose IHDR claims w×h RGBA pixels, followed by a little
// valid zlib data and IEND: a few hundred bytes.
func pngBomb(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, no interlace
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 64<<10)) // the start of an all-zero image
	zw.Close()
	out := append([]byte{}, pngSignature...)
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

func TestPNGBomb(t *testing.T) {
	data := pngBomb(100000, 100000)
	if len(data) > 1000 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	wantRefusedCheaply(t, data, Options{})
	// Within the per-side limit but far over MaxPixels; the reason is
	// readable and says what was wrong.
	err := wantRefusedCheaply(t, pngBomb(16000, 16000), Options{})
	if msg := err.Error(); !strings.Contains(msg, "16000×16000") || !strings.Contains(msg, "33177600") {
		t.Errorf("reason %q doesn't give the size and the limit", msg)
	}
	// Under MaxPixels but over the per-side limit.
	err = wantRefusedCheaply(t, pngBomb(1, 30000), Options{})
	if !strings.Contains(err.Error(), "16384") {
		t.Errorf("reason %q doesn't give the per-side limit", err)
	}
	// A custom MaxPixels is honoured.
	wantRefusedCheaply(t, pngBomb(1001, 1000), Options{MaxPixels: 1000 * 1000})
}

// jpegWithSize rewrites the SOF0 dimensions of a real JPEG.
func jpegWithSize(t *testing.T, w, h uint16) []byte {
	data := bytes.Clone(encJPEG(t, quadrants(16, 16, red, green, blue, white), 80))
	i := bytes.Index(data, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(data[i+5:], h)
	binary.BigEndian.PutUint16(data[i+7:], w)
	return data
}

func TestJPEGBomb(t *testing.T) {
	wantRefusedCheaply(t, jpegWithSize(t, 60000, 60000), Options{})
	wantRefusedCheaply(t, jpegWithSize(t, 10000, 10000), Options{})
	// The same file with a sane size is merely truncated.
	_, err := Process(jpegWithSize(t, 640, 480), Options{})
	wantErr(t, err, ErrCorrupt)
}

// A JPEG of thousands of scans would keep the progressive decoder busy.
func TestJPEGTooManyScans(t *testing.T) {
	data := encJPEG(t, quadrants(16, 16, red, green, blue, white), 80)
	sos := bytes.Index(data, []byte{0xFF, 0xDA})
	eoi := len(data) - 2
	scan := data[sos:eoi]
	var b []byte
	b = append(b, data[:sos]...)
	for range maxJPEGScans + 1 {
		b = append(b, scan...)
	}
	b = append(b, 0xFF, 0xD9)
	wantRefusedCheaply(t, b, Options{})
	if got := walkJPEG(b, true).scans; got != maxJPEGScans+1 {
		t.Errorf("counted %d scans, want %d", got, maxJPEGScans+1)
	}
}

// gifBomb builds a GIF of n frames of w×h pixels, all zeros, LZW-compressed
// once and repeated: full-screen frames that cost nothing to store.
func gifBomb(w, h, n int) []byte {
	var b bytes.Buffer
	b.WriteString("GIF89a")
	binary.Write(&b, binary.LittleEndian, [2]uint16{uint16(w), uint16(h)})
	b.Write([]byte{0x80, 0, 0}) // global colour table of 2 entries
	b.Write([]byte{0, 0, 0, 255, 255, 255})
	var lz bytes.Buffer
	zw := lzw.NewWriter(&lz, lzw.LSB, 2)
	zw.Write(make([]byte, w*h))
	zw.Close()
	var frame bytes.Buffer
	frame.Write([]byte{0x21, 0xF9, 4, 0, 10, 0, 0, 0}) // graphic control: 0.1 s
	frame.WriteByte(0x2C)
	binary.Write(&frame, binary.LittleEndian, [4]uint16{0, 0, uint16(w), uint16(h)})
	frame.WriteByte(0)
	frame.WriteByte(2) // LZW minimum code size
	for p := lz.Bytes(); len(p) > 0; {
		k := min(len(p), 255)
		frame.WriteByte(byte(k))
		frame.Write(p[:k])
		p = p[k:]
	}
	frame.WriteByte(0)
	for range n {
		b.Write(frame.Bytes())
	}
	b.WriteByte(0x3B)
	return b.Bytes()
}

func TestGIFBomb(t *testing.T) {
	// 100 frames of 1000×1000: the header says 1 MP, the frames 100 MP.
	data := gifBomb(1000, 1000, 100)
	if len(data) > 300<<10 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	err := wantRefusedCheaply(t, data, Options{})
	if !strings.Contains(err.Error(), "frames") {
		t.Errorf("reason %q doesn't mention frames", err)
	}
	// The same structure with few enough frames is decoded for real.
	res, err := Process(gifBomb(100, 100, 3), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Animated || res.Original.Width != 100 {
		t.Errorf("Animated %v, width %d", res.Animated, res.Original.Width)
	}
	// Too many tiny frames.
	wantRefusedCheaply(t, gifBomb(1, 1, maxGIFFrames+1), Options{})
}

func TestGIFWalkCounts(t *testing.T) {
	st, err := walkGIF(gifBomb(30, 20, 7), 1<<40, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if st.frames != 7 || st.pixels != 7*30*20 || !st.trailer {
		t.Errorf("got %+v, want 7 frames of 600 pixels and a trailer", st)
	}
	// With a local colour table and extensions between frames.
	pal := []color.Color{red, green, blue}
	g := encGIF(t, animatedGIF(pal))
	st, err = walkGIF(g, 1<<40, 1<<20)
	if err != nil || st.frames != 2 || st.pixels != 8*8+4*2 {
		t.Errorf("got %+v, %v; want 2 frames, 72 pixels", st, err)
	}
}

func TestGIFWalkCorrupt(t *testing.T) {
	good := gifBomb(8, 8, 2)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"short header", good[:10]},
		{"no frames", append(bytes.Clone(good[:19]), 0x3B)},
		{"bad block", append(bytes.Clone(good[:19]), 0x99)},
		{"cut in a frame", good[:30]},
	} {
		if _, err := walkGIF(c.data, 1<<40, 1<<20); err == nil {
			t.Errorf("%s: accepted", c.name)
		} else {
			wantErr(t, err, ErrCorrupt)
		}
	}
}

func animatedGIF(pal []color.Color) *gif.GIF {
	a := image.NewPaletted(image.Rect(0, 0, 8, 8), pal)
	b := image.NewPaletted(image.Rect(2, 2, 6, 4), []color.Color{blue, red}) // local palette
	return &gif.GIF{Image: []*image.Paletted{a, b}, Delay: []int{3, 4}, LoopCount: 0}
}
