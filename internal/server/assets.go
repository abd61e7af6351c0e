package server

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
)

// defaultImages are the avatar and header shown for accounts without their
// own: Mastodon apps expect an image URL on every account. Drawn once at
// start-up (a few milliseconds), kept in memory.
type defaultImages struct {
	avatar, header []byte
}

func drawDefaults() defaultImages {
	return defaultImages{avatar: solidPNG(128, 128, color.RGBA{0x8c, 0x8d, 0xff, 0xff}),
		header: solidPNG(300, 100, color.RGBA{0x60, 0x64, 0x84, 0xff})}
}

func solidPNG(w, h int, c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // encoding to memory does not fail
	return b.Bytes()
}

func servePNG(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "image/png")
		h.Set("Content-Length", strconv.Itoa(len(data)))
		h.Set("Cache-Control", "public, max-age=604800, immutable")
		_, _ = w.Write(data)
	}
}
