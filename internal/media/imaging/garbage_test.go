package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"math/rand/v2"
	"testing"
)

// validSamples is one small valid file of each kind the package takes.
func validSamples(t testing.TB) map[string][]byte {
	pal := color.Palette{red, green, blue, color.RGBA{}}
	frame := func(i uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 12, 10), pal)
		for j := range m.Pix {
			m.Pix[j] = (i + uint8(j)) % 4
		}
		return m
	}
	jpg := encJPEG(t, quadrants(24, 16, red, green, blue, white), 80)
	return map[string][]byte{
		"jpeg":           jpg,
		"jpeg-exif":      insertAfterSOI(jpg, exifSegment(binary.BigEndian, 6)),
		"png":            encPNG(t, quadrants(12, 10, red, green, blue, white)),
		"png-alpha":      encPNG(t, quadrants(12, 10, red, transparent, blue, color.NRGBA{9, 9, 9, 99})),
		"png-text":       insertAfterIHDR(encPNG(t, quadrants(4, 4, red, green, blue, white)), pngChunk("tEXt", []byte("k\x00v"))),
		"gif":            encGIF(t, &gif.GIF{Image: []*image.Paletted{frame(0)}, Delay: []int{0}}),
		"gif-animated":   encGIF(t, &gif.GIF{Image: []*image.Paletted{frame(0), frame(1)}, Delay: []int{5, 7}}),
		"webp-lossy":     readTestdata(t, "quad-lossy.webp"),
		"webp-lossless":  readTestdata(t, "alpha-lossless.webp"),
		"webp-alpha":     readTestdata(t, "alpha-lossy.webp"),
		"webp-animated":  readTestdata(t, "animated.webp"),
		"gif-bomb-small": gifBomb(64, 64, 3),
	}
}

// wantKnownError checks that err is nil or wraps one of the sentinels.
func wantKnownError(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
		t.Errorf("%s: error %v wraps no sentinel", what, err)
	}
}

func TestGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	for name, data := range map[string][]byte{
		"nil":      nil,
		"empty":    {},
		"noise":    noise,
		"text":     []byte("Hello, this is a text file pretending to be an image.\n"),
		"html":     []byte("<!DOCTYPE html><html><body><img src=x></body></html>"),
		"svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`),
		"bmp":      append([]byte("BM"), noise[:100]...),
		"riffwave": append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), noise[:64]...),
	} {
		_, err := Process(data, Options{})
		wantErr(t, err, ErrUnsupported)
		_, _, _, err = Info(data)
		wantErr(t, err, ErrUnsupported)
		_ = name
	}
	// Right magic, garbage after it.
	for _, magic := range []string{"\xFF\xD8\xFF", "\x89PNG\r\n\x1a\n", "GIF89a", "RIFF\x00\x10\x00\x00WEBP"} {
		data := append([]byte(magic), noise...)
		_, err := Process(data, Options{})
		if err == nil {
			t.Errorf("%q + noise was accepted", magic)
		}
		wantKnownError(t, magic, err) // ErrTooLarge is fair: noise can claim a huge size
	}
}

// Every prefix of every sample: an error wrapping a sentinel, never a panic.
// A GIF cut exactly after a frame is accepted on purpose, and a WebP cut in
// its final padding byte still decodes; JPEG and PNG must be complete.
func TestTruncated(t *testing.T) {
	for name, data := range validSamples(t) {
		for n := 0; n < len(data); n++ {
			res, err := Process(data[:n], Options{})
			wantKnownError(t, name, err)
			if f, _ := Sniff(data); err == nil && (f == JPEG || f == PNG) {
				t.Errorf("%s cut to %d of %d bytes was accepted", name, n, len(data))
			}
			if err == nil {
				decodeOut(t, res.Original)
			}
		}
	}
}

// Flipping bytes anywhere must not panic either.
func TestCorrupted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, data := range validSamples(t) {
		for range 300 {
			b := bytes.Clone(data)
			for range 1 + rng.IntN(4) {
				b[rng.IntN(len(b))] = byte(rng.Uint32())
			}
			res, err := Process(b, Options{MaxPixels: 1 << 20})
			wantKnownError(t, name, err)
			if err == nil {
				decodeOut(t, res.Original)
				decodeOut(t, res.Small)
			}
		}
	}
}
