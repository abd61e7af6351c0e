package imaging

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Limits that are not options.
const (
	defaultMaxPixels = 33_177_600 // 7680×4320, 8K UHD
	defaultMaxSide   = 3840
	defaultThumbSide = 640

	// maxInputSide bounds each side of the input on its own, so that a
	// 1×33M strip, within MaxPixels, doesn't make resizing absurd.
	maxInputSide = 16384
	// maxGIFFrames bounds gif.DecodeAll's per-frame overhead (an image
	// header, and up to 4 KiB when it copies the palette), which MaxPixels
	// does not see: thousands of 1×1 frames fit in a few kilobytes.
	maxGIFFrames = 5000
	// maxJPEGScans bounds the work of progressive JPEGs: every scan walks
	// all blocks of its components, so a file of thousands of empty scans
	// would keep the decoder busy for minutes. Real encoders write at most a
	// few dozen.
	maxJPEGScans = 100
)

// Options bound the work and set the output sizes. Zero values (or negative
// ones) mean the defaults.
type Options struct {
	MaxPixels int64 // refuse when width×height exceeds it (for an animated GIF: the sum over frames); 0 = 33_177_600
	MaxSide   int   // longest side of the stored original; 0 = 3840
	ThumbSide int   // longest side of the thumbnail; 0 = 640
}

func (o Options) withDefaults() Options {
	if o.MaxPixels <= 0 {
		o.MaxPixels = defaultMaxPixels
	}
	if o.MaxSide <= 0 {
		o.MaxSide = defaultMaxSide
	}
	if o.ThumbSide <= 0 {
		o.ThumbSide = defaultThumbSide
	}
	return o
}

// Image is one encoded output file.
type Image struct {
	Data          []byte
	ContentType   string // "image/jpeg", "image/png" or "image/gif"
	Ext           string // ".jpg", ".png", ".gif"
	Width, Height int
}

// Result is what Process makes of an upload.
type Result struct {
	Format   Format // what was uploaded
	Original Image  // oriented, at most MaxSide on its longest side, re-encoded without metadata
	Small    Image  // thumbnail, at most ThumbSide on its longest side
	Blurhash string // 4×4 components (Mastodon's choice), computed from a small downscale (fast)
	Animated bool   // an animated GIF: Original keeps every frame and its timing
}

// Process does the whole job: it recognises the format, checks the header's
// dimensions against the limits before decoding anything, decodes, turns the
// picture upright, resizes, re-encodes without metadata, makes the thumbnail
// and the blurhash. When the thumbnail would be identical to the original
// (same size and format), Small shares Original's Data.
func Process(data []byte, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	h, err := probe(data)
	if err != nil {
		return nil, err
	}
	if err := checkSize(h.width, h.height, opt.MaxPixels); err != nil {
		return nil, err
	}
	var s still
	switch h.format {
	case GIF:
		return processGIF(data, h, opt)
	case JPEG:
		info := walkJPEG(data, true)
		if info.scans > maxJPEGScans {
			return nil, tooLargef("the JPEG has %d scans, at most %d are allowed", info.scans, maxJPEGScans)
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, decodeError(JPEG, err)
		}
		// JPEG has no alpha; CMYK and Gray JPEGs are opaque too.
		s = still{img: img, orient: info.orient, opaque: true, out: JPEG}
	case PNG:
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, decodeError(PNG, err)
		}
		s = still{img: img, orient: 1, opaque: isOpaque(img), out: PNG}
	case WebP:
		img, err := webp.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, decodeError(WebP, err)
		}
		if m, ok := img.(*image.NYCbCrA); ok {
			if m.Opaque() {
				// An alpha channel that is all 255: drop it (copying the
				// header so the alpha plane can be freed).
				y := m.YCbCr
				img = &y
			} else {
				img = nycbcraToNRGBA(m)
			}
		}
		s = still{img: img, orient: 1, opaque: isOpaque(img), out: PNG}
		if s.opaque {
			s.out = JPEG
		}
	}
	if b := s.img.Bounds(); b.Dx() != h.width || b.Dy() != h.height {
		// The decoders check this themselves; this keeps the pixel guard
		// honest should one of them ever disagree with its header.
		return nil, corruptf(nil, "the %s decodes to %d×%d pixels but its header says %d×%d", h.format.name(), b.Dx(), b.Dy(), h.width, h.height)
	}
	return s.render(h.format, opt)
}

// Pixels reads an image's width × height from its header, without
// decoding it: what decoding it will cost, for callers that bound how many
// pixels are decoded at once.
func Pixels(data []byte) (int64, error) {
	h, err := probe(data)
	if err != nil {
		return 0, err
	}
	return int64(h.width) * int64(h.height), nil
}

// checkSize applies the pixel guard to the header's dimensions.
func checkSize(w, h int, maxPixels int64) error {
	if w <= 0 || h <= 0 {
		return corruptf(nil, "the image has no pixels (%d×%d)", w, h)
	}
	if int64(w)*int64(h) > maxPixels {
		return tooLargef("the image is %d×%d pixels, at most %d pixels are allowed", w, h, maxPixels)
	}
	if w > maxInputSide || h > maxInputSide {
		return tooLargef("the image is %d×%d pixels, at most %d pixels per side are allowed", w, h, maxInputSide)
	}
	return nil
}

// still is a decoded single-frame picture on its way out.
type still struct {
	img    image.Image
	orient orientation
	opaque bool   // decides JPEG or PNG for the thumbnail (and WebP originals)
	out    Format // format of the stored original: JPEG or PNG
}

// render resizes, orients and encodes the original, then the thumbnail and
// the blurhash. It resizes before orienting (to the transposed target when
// the orientation swaps the axes), so the rotation moves the smaller image.
func (s *still) render(in Format, opt Options) (*Result, error) {
	b := s.img.Bounds()
	ow, oh := b.Dx(), b.Dy()
	swap := s.orient.swapsAxes()
	if swap {
		ow, oh = oh, ow
	}
	tw, th := fit(ow, oh, opt.MaxSide)
	if swap {
		tw, th = th, tw
	}
	work := resize(s.img, tw, th, swap)
	s.img = nil // let the decoded image go before encoding
	work = orient(work, s.orient)
	orig, err := encode(work, s.out)
	if err != nil {
		return nil, err
	}
	res := &Result{Format: in, Original: orig}
	res.Small, res.Blurhash, err = thumbnail(work, s.opaque, opt.ThumbSide, &orig)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// thumbnail makes the small image (JPEG when opaque, PNG otherwise) from the
// upright picture, and the blurhash from the thumbnail. If reuse has the
// thumbnail's size and format, its bytes are shared instead of encoded again.
func thumbnail(upright image.Image, opaque bool, side int, reuse *Image) (Image, string, error) {
	b := upright.Bounds()
	w, h := fit(b.Dx(), b.Dy(), side)
	f, ct := PNG, "image/png"
	if opaque {
		f, ct = JPEG, "image/jpeg"
	}
	small := resize(upright, w, h, false)
	var out Image
	var err error
	if reuse != nil && reuse.Width == w && reuse.Height == h && reuse.ContentType == ct {
		out = *reuse
	} else if out, err = encode(small, f); err != nil {
		return Image{}, "", err
	}
	hash, err := blurhashOf(small)
	if err != nil {
		return Image{}, "", corruptf(err, "the blurhash could not be computed")
	}
	return out, hash, nil
}

// processGIF handles still and animated GIFs. A still GIF becomes a PNG.
// An animated GIF is kept as a GIF with all its frames, delays, disposal
// methods and loop count, but is not resized: resizing means compositing
// every frame on the full screen and re-quantising it to 256 colours, which
// costs frames×screen pixels and usually makes the file larger. Animated GIFs
// whose logical screen exceeds MaxSide are refused instead.
func processGIF(data []byte, h header, opt Options) (*Result, error) {
	st, err := walkGIF(data, opt.MaxPixels, maxGIFFrames)
	if err != nil {
		return nil, err
	}
	if st.frames > 1 && (h.width > opt.MaxSide || h.height > opt.MaxSide) {
		return nil, tooLargef("the animated GIF is %d×%d pixels; animated GIFs are not resized, so at most %d pixels per side are allowed", h.width, h.height, opt.MaxSide)
	}
	var r io.Reader = bytes.NewReader(data)
	if !st.trailer {
		r = io.MultiReader(r, bytes.NewReader([]byte{gifTrailer}))
	}
	g, err := gif.DecodeAll(r)
	if err != nil {
		return nil, decodeError(GIF, err)
	}
	if len(g.Image) != st.frames {
		return nil, corruptf(nil, "the GIF's structure is inconsistent (%d frames found, %d decoded)", st.frames, len(g.Image))
	}
	first := firstFrame(g.Image[0], g.Config.Width, g.Config.Height)
	opaque := isOpaque(first)
	if len(g.Image) == 1 {
		s := still{img: first, orient: 1, opaque: opaque, out: PNG}
		g = nil
		return s.render(GIF, opt)
	}
	// gif.DecodeAll has kept the frames, delays, disposals, loop count,
	// background index and global palette, and dropped comments and
	// application extensions other than the loop count (XMP included).
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		return nil, corruptf(err, "the animated GIF could not be re-encoded")
	}
	res := &Result{
		Format:   GIF,
		Animated: true,
		Original: Image{Data: buf.Bytes(), ContentType: "image/gif", Ext: ".gif", Width: g.Config.Width, Height: g.Config.Height},
	}
	res.Small, res.Blurhash, err = thumbnail(first, opaque, opt.ThumbSide, nil)
	if err != nil {
		return nil, err
	}
	return res, nil
}
