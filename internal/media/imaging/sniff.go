package imaging

import (
	"bytes"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// Format is an image format recognised from the file's first bytes.
type Format string

// The formats Process accepts.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// name is the format's name as a person writes it, for error reasons.
func (f Format) name() string {
	switch f {
	case JPEG:
		return "JPEG"
	case PNG:
		return "PNG"
	case GIF:
		return "GIF"
	case WebP:
		return "WebP"
	}
	return "image"
}

// sniffLen is how many leading bytes Sniff needs: WebP's "WEBP" form type
// ends at byte 12, and no valid file of the other formats is shorter.
const sniffLen = 12

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// Sniff recognises the format from the first bytes (at least 12 are needed);
// it never trusts file names or client-supplied content types.
func Sniff(head []byte) (Format, bool) {
	if len(head) < sniffLen {
		return "", false
	}
	switch {
	case head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return JPEG, true
	case bytes.HasPrefix(head, pngSignature):
		return PNG, true
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF, true
	case bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "WEBP":
		return WebP, true
	}
	return "", false
}

// header is what probe learns without decoding pixels.
type header struct {
	format        Format
	width, height int         // as stored, before orientation
	orient        orientation // EXIF orientation (JPEG only), 1 otherwise
}

// Info reads only the header: format and dimensions, no pixel decoding. The
// dimensions are those of the upright image, i.e. after the JPEG EXIF
// orientation is applied (a 4000×3000 photo tagged "rotate 90°" is reported
// as 3000×4000), which is what Process produces before resizing. For a GIF
// they are the logical screen. Info applies no size limits. On error the
// format is still returned when it was recognised.
func Info(data []byte) (Format, int, int, error) {
	h, err := probe(data)
	if err != nil {
		return h.format, 0, 0, err
	}
	w, ht := h.width, h.height
	if h.orient.swapsAxes() {
		w, ht = ht, w
	}
	return h.format, w, ht, nil
}

// probe sniffs the format and reads the dimensions from the header with the
// standard DecodeConfig functions, which read a few hundred bytes at most and
// allocate nothing proportional to the image.
func probe(data []byte) (header, error) {
	f, ok := Sniff(data)
	if !ok {
		return header{}, unsupportedf("the file is not a JPEG, PNG, GIF or WebP image")
	}
	h := header{format: f, orient: 1}
	r := bytes.NewReader(data)
	var err error
	switch f {
	case JPEG:
		c, e := jpeg.DecodeConfig(r)
		h.width, h.height, err = c.Width, c.Height, e
		if err == nil {
			h.orient = walkJPEG(data, false).orient
		}
	case PNG:
		c, e := png.DecodeConfig(r)
		h.width, h.height, err = c.Width, c.Height, e
	case GIF:
		c, e := gif.DecodeConfig(r)
		h.width, h.height, err = c.Width, c.Height, e
	case WebP:
		// x/image/webp ignores the animation flag and would fail later with
		// a vague error, so animated files are recognised here first.
		if webpAnimated(data) {
			return h, unsupportedf("animated WebP images are not supported")
		}
		c, e := webp.DecodeConfig(r)
		h.width, h.height, err = c.Width, c.Height, e
	}
	if err != nil {
		return h, decodeError(f, err)
	}
	return h, nil
}
