package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	dimg "github.com/disintegration/imaging"
)

// jpegQuality is used for originals and thumbnails alike: visually lossless
// for photos at about a third of quality 95's size.
const jpegQuality = 85

var pngEncoder = png.Encoder{CompressionLevel: png.DefaultCompression}

// encode writes img as a JPEG or a PNG. Only pixels are written: the
// standard encoders emit no EXIF, XMP, ICC profile, comment or text chunk,
// which is the whole point of re-encoding. JPEG is only asked for images
// known to be opaque.
func encode(img image.Image, f Format) (Image, error) {
	b := img.Bounds()
	out := Image{Width: b.Dx(), Height: b.Dy()}
	var buf bytes.Buffer
	var err error
	switch f {
	case JPEG:
		// A guess at the output size, to avoid most of the buffer's regrowth.
		buf.Grow(b.Dx() * b.Dy() / 4)
		out.ContentType, out.Ext = "image/jpeg", ".jpg"
		err = jpeg.Encode(&buf, jpegSource(img), &jpeg.Options{Quality: jpegQuality})
	case PNG:
		out.ContentType, out.Ext = "image/png", ".png"
		err = pngEncoder.Encode(&buf, img)
	default:
		return out, fmt.Errorf("imaging: cannot encode %q", f)
	}
	if err != nil {
		return out, corruptf(err, "the image could not be re-encoded as %s", f.name())
	}
	out.Data = buf.Bytes()
	return out, nil
}

// jpegSource returns img in a type the JPEG encoder reads directly (YCbCr,
// Gray, RGBA); for any other type it falls back to a slow pixel-by-pixel
// path. An opaque NRGBA has the same bytes as an RGBA, so it is relabelled,
// not copied.
func jpegSource(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray, *image.RGBA:
		return m
	case *image.NRGBA:
		return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	}
	m := dimg.Clone(img)
	return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
}

// isOpaque reports whether every pixel of img is fully opaque. All the
// standard image types have an Opaque method (scanning alpha where there is
// one).
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// nycbcraToNRGBA converts a WebP with alpha to NRGBA in one pass. Both are
// non-premultiplied, so alpha is copied as is. (disintegration/imaging would
// take the generic At path for this type, an interface call per pixel.)
func nycbcraToNRGBA(m *image.NYCbCrA) *image.NRGBA {
	b := m.Rect
	d := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	parallelRows(b.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			sy := b.Min.Y + y
			row := d.Pix[y*d.Stride : y*d.Stride+4*b.Dx()]
			for x := range b.Dx() {
				sx := b.Min.X + x
				yi, ci, ai := m.YOffset(sx, sy), m.COffset(sx, sy), m.AOffset(sx, sy)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = r, g, bl, m.A[ai]
			}
		}
	})
	return d
}

// firstFrame returns the first frame of a GIF as it appears on the logical
// screen: the frame itself when it covers the screen, otherwise the frame
// drawn at its offset on a transparent canvas of the screen's size.
func firstFrame(frame *image.Paletted, screenW, screenH int) image.Image {
	screen := image.Rect(0, 0, screenW, screenH)
	if frame.Rect == screen {
		return frame
	}
	canvas := image.NewNRGBA(screen)
	var lut [256][4]uint8 // palette index → NRGBA; out-of-range indices stay transparent
	for i, c := range frame.Palette {
		if i >= len(lut) {
			break
		}
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		lut[i] = [4]uint8{n.R, n.G, n.B, n.A}
	}
	r := frame.Rect.Intersect(screen)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		src := frame.Pix[frame.PixOffset(r.Min.X, y):frame.PixOffset(r.Max.X, y)]
		dst := canvas.Pix[canvas.PixOffset(r.Min.X, y):]
		for x, idx := range src {
			copy(dst[4*x:4*x+4], lut[idx][:])
		}
	}
	return canvas
}
