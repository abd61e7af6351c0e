package imaging

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image/gif"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// fuzzOptions keep each Process call small, so the fuzzer spends its time
// on structure rather than on big allocations.
var fuzzOptions = Options{MaxPixels: 1 << 20, MaxSide: 96, ThumbSide: 24}

func FuzzProcess(f *testing.F) {
	// The committed corpus in testdata/fuzz/FuzzProcess holds valid and
	// truncated files of each format (see TestWriteFuzzCorpus).
	f.Fuzz(func(t *testing.T, data []byte) {
		format, w, h, infoErr := Info(data)
		wantKnownError(t, "Info", infoErr)
		res, err := Process(data, fuzzOptions)
		wantKnownError(t, "Process", err)
		if err != nil {
			return
		}
		if infoErr != nil || res.Format != format {
			t.Fatalf("Process accepted a %q that Info rejected (%v) or saw as %q", res.Format, infoErr, format)
		}
		decodeOut(t, res.Original)
		decodeOut(t, res.Small)
		if !res.Animated && (res.Original.Width > fuzzOptions.MaxSide || res.Original.Height > fuzzOptions.MaxSide) {
			t.Fatalf("original %d×%d exceeds MaxSide", res.Original.Width, res.Original.Height)
		}
		if res.Small.Width > fuzzOptions.ThumbSide || res.Small.Height > fuzzOptions.ThumbSide {
			t.Fatalf("thumbnail %d×%d exceeds ThumbSide", res.Small.Width, res.Small.Height)
		}
		if !res.Animated && (res.Original.Width > w || res.Original.Height > h) {
			t.Fatalf("original %d×%d larger than the %d×%d input", res.Original.Width, res.Original.Height, w, h)
		}
		if len(res.Blurhash) != 4+2*blurhashX*blurhashY {
			t.Fatalf("blurhash %q", res.Blurhash)
		}
	})
}

// FuzzWalkGIF checks the walker against the real decoder: whenever both
// accept a file, they must agree on the frames.
func FuzzWalkGIF(f *testing.F) {
	f.Add(gifBomb(4, 3, 2))
	f.Add(gifBomb(1, 1, 1)[:30])
	for _, d := range validSamples(f) {
		if bytes.HasPrefix(d, []byte("GIF")) {
			f.Add(d)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := walkGIF(data, 1<<20, 100)
		if err != nil {
			wantKnownError(t, "walkGIF", err)
			return
		}
		if st.frames < 1 || st.pixels < 0 {
			t.Fatalf("accepted with %+v", st)
		}
		var r io.Reader = bytes.NewReader(data)
		if !st.trailer {
			r = io.MultiReader(r, bytes.NewReader([]byte{gifTrailer}))
		}
		g, err := gif.DecodeAll(r)
		if err != nil {
			return // the walker is deliberately less strict than the decoder
		}
		var px int64
		for _, m := range g.Image {
			px += int64(m.Rect.Dx()) * int64(m.Rect.Dy())
		}
		if len(g.Image) != st.frames || px != st.pixels {
			t.Fatalf("walker: %d frames, %d pixels; decoder: %d frames, %d pixels", st.frames, st.pixels, len(g.Image), px)
		}
	})
}

// FuzzJPEGWalk feeds arbitrary bytes to the marker walker and the EXIF
// reader, both as a whole file and as the TIFF body.
func FuzzJPEGWalk(f *testing.F) {
	for _, d := range validSamples(f) {
		if bytes.HasPrefix(d, []byte{0xFF, 0xD8}) {
			f.Add(d)
		}
	}
	f.Add(buildExif(binary.LittleEndian, 6))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, count := range []bool{false, true} {
			if o := walkJPEG(data, count).orient; o < 1 || o > 8 {
				t.Fatalf("orientation %d", o)
			}
		}
		if o := exifOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

var genCorpus = flag.Bool("gen-corpus", false, "rewrite testdata/fuzz/FuzzProcess from validSamples")

// TestWriteFuzzCorpus regenerates the committed seed corpus when run with
// -gen-corpus: each sample whole, cut in half, and cut just before its end.
func TestWriteFuzzCorpus(t *testing.T) {
	if !*genCorpus {
		t.Skip("run with -gen-corpus to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzProcess")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	samples := validSamples(t)
	names := make([]string, 0, len(samples))
	for n := range samples {
		names = append(names, n)
	}
	sort.Strings(names)
	write := func(name string, data []byte) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		d := samples[n]
		write(n, d)
		write(n+"-half", d[:len(d)/2])
		write(n+"-cut", d[:len(d)-3])
	}
	write("text", []byte("not an image at all\n"))
}
