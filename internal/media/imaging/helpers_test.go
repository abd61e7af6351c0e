package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/webp"
)

var (
	red         = color.NRGBA{255, 0, 0, 255}
	green       = color.NRGBA{0, 255, 0, 255}
	blue        = color.NRGBA{0, 0, 255, 255}
	white       = color.NRGBA{255, 255, 255, 255}
	transparent = color.NRGBA{0, 0, 0, 0}
)

// quadrants returns a w×h picture whose four quadrants are tl, tr, bl, br.
func quadrants(w, h int, tl, tr, bl, br color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := tl
			switch {
			case x >= w/2 && y < h/2:
				c = tr
			case x < w/2 && y >= h/2:
				c = bl
			case x >= w/2 && y >= h/2:
				c = br
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// cornerBlocks returns a white w×h picture with a size×size block of colour
// in the given corners (by name: "TL", "TR", "BL", "BR").
func cornerBlocks(w, h, size int, blocks map[string]color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = 255
	}
	for corner, c := range blocks {
		x0, y0 := cornerOrigin(corner, w, h, size)
		for y := y0; y < y0+size; y++ {
			for x := x0; x < x0+size; x++ {
				m.SetNRGBA(x, y, c)
			}
		}
	}
	return m
}

func cornerOrigin(corner string, w, h, size int) (int, int) {
	switch corner {
	case "TL":
		return 0, 0
	case "TR":
		return w - size, 0
	case "BL":
		return 0, h - size
	case "BR":
		return w - size, h - size
	}
	panic("bad corner " + corner)
}

func encJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encGIF(t testing.TB, g *gif.GIF) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeOut decodes an output file with the decoder its content type names,
// after checking that the bytes really are of that format, and checks that
// the decoded size is the one announced.
func decodeOut(t testing.TB, im Image) image.Image {
	t.Helper()
	f, ok := Sniff(im.Data)
	want := map[string]Format{"image/jpeg": JPEG, "image/png": PNG, "image/gif": GIF}[im.ContentType]
	if !ok || f != want {
		t.Fatalf("output claims %s but sniffs as %q", im.ContentType, f)
	}
	wantExt := map[Format]string{JPEG: ".jpg", PNG: ".png", GIF: ".gif"}[f]
	if im.Ext != wantExt {
		t.Fatalf("output %s has extension %q, want %q", im.ContentType, im.Ext, wantExt)
	}
	var m image.Image
	var err error
	switch f {
	case JPEG:
		m, err = jpeg.Decode(bytes.NewReader(im.Data))
	case PNG:
		m, err = png.Decode(bytes.NewReader(im.Data))
	case GIF:
		m, err = gif.Decode(bytes.NewReader(im.Data))
	}
	if err != nil {
		t.Fatalf("decoding output %s: %v", im.ContentType, err)
	}
	b := m.Bounds()
	if f == GIF {
		// gif.Decode returns the first frame, which may be smaller than
		// the logical screen; the screen is the image's size.
		c, err := gif.DecodeConfig(bytes.NewReader(im.Data))
		if err != nil {
			t.Fatal(err)
		}
		b = image.Rect(0, 0, c.Width, c.Height)
	}
	if b.Dx() != im.Width || b.Dy() != im.Height {
		t.Fatalf("output decodes to %v, announced %d×%d", b, im.Width, im.Height)
	}
	return m
}

func decodeWebP(t testing.TB, data []byte) image.Image {
	t.Helper()
	m, err := webp.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// nrgbaAt reads a pixel as non-premultiplied 8-bit colour.
func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	b := img.Bounds()
	return color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
}

func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { v := int(x) - int(y); return v <= tol && v >= -tol }
	if a.A == 0 && b.A == 0 {
		return true // colour of a fully transparent pixel is meaningless
	}
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func wantColor(t testing.TB, img image.Image, x, y int, want color.NRGBA, tol int) {
	t.Helper()
	if got := nrgbaAt(img, x, y); !near(got, want, tol) {
		t.Errorf("pixel (%d,%d) = %v, want %v ±%d", x, y, got, want, tol)
	}
}

// wantQuadrants samples the middle of each quadrant.
func wantQuadrants(t testing.TB, img image.Image, tl, tr, bl, br color.NRGBA, tol int) {
	t.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	wantColor(t, img, w/4, h/4, tl, tol)
	wantColor(t, img, 3*w/4, h/4, tr, tol)
	wantColor(t, img, w/4, 3*h/4, bl, tol)
	wantColor(t, img, 3*w/4, 3*h/4, br, tol)
}

func wantErr(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want one wrapping %v", err, kind)
	}
}

// --- hand-made container structures ---

// jpegSegment builds a marker segment: FF, marker, big-endian length, payload.
func jpegSegment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// insertAfterSOI puts segments right after a JPEG's SOI marker.
func insertAfterSOI(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// tiffEntry is one IFD entry; value holds the 4-byte value/offset field.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    uint32
}

// buildExif writes a TIFF structure with an IFD0 (Make, Orientation, a GPS
// IFD pointer) and a GPS IFD (latitude ref and latitude), in the given byte
// order, the way cameras lay it out.
func buildExif(bo binary.AppendByteOrder, orient uint16) []byte {
	var b []byte
	put16 := func(v uint16) { b = bo.AppendUint16(b, v) }
	put32 := func(v uint32) { b = bo.AppendUint32(b, v) }
	if bo == binary.AppendByteOrder(binary.LittleEndian) {
		b = append(b, "II*\x00"...)
	} else {
		b = append(b, "MM\x00*"...)
	}
	put32(8)
	// Layout: IFD0 at 8 with 3 entries (2+36+4 = 42 bytes) → 50; "Make"
	// string at 50 (8 bytes) → 58; GPS IFD at 58 with 2 entries (2+24+4)
	// → 88; latitude rationals at 88.
	const makeOff, gpsOff, latOff = 50, 58, 88
	writeIFD := func(entries []tiffEntry) {
		put16(uint16(len(entries)))
		for _, e := range entries {
			put16(e.tag)
			put16(e.typ)
			put32(e.count)
			if e.typ == 3 && e.count == 1 { // SHORT, left-aligned in the field
				put16(uint16(e.value))
				put16(0)
			} else {
				put32(e.value)
			}
		}
		put32(0) // no next IFD
	}
	writeIFD([]tiffEntry{
		{0x010F, 2, 8, makeOff},        // Make
		{0x0112, 3, 1, uint32(orient)}, // Orientation
		{0x8825, 4, 1, gpsOff},         // GPS IFD pointer
	})
	b = append(b, "TestCam\x00"...)
	var ref uint32
	if bo == binary.AppendByteOrder(binary.LittleEndian) {
		ref = uint32('N')
	} else {
		ref = uint32('N') << 24
	}
	writeIFD([]tiffEntry{
		{0x0001, 2, 2, ref},    // GPSLatitudeRef "N"
		{0x0002, 5, 3, latOff}, // GPSLatitude, 3 rationals
	})
	for _, v := range []uint32{48, 1, 51, 1, 2997, 100} {
		put32(v)
	}
	return b
}

func exifSegment(bo binary.AppendByteOrder, orient uint16) []byte {
	return jpegSegment(0xE1, append([]byte("Exif\x00\x00"), buildExif(bo, orient)...))
}

// jpegMarkers lists the markers of a JPEG up to and including the first SOS.
func jpegMarkers(t testing.TB, data []byte) []byte {
	t.Helper()
	var ms []byte
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			t.Fatalf("no marker at offset %d", i)
		}
		m := data[i+1]
		ms = append(ms, m)
		if m == 0xDA {
			return ms
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	t.Fatal("no SOS marker")
	return nil
}

// pngChunk builds a chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// insertAfterIHDR puts chunks right after the IHDR chunk (which is always
// 8+25 bytes into the file).
func insertAfterIHDR(p []byte, chunks ...[]byte) []byte {
	out := append([]byte{}, p[:33]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[33:]...)
}

// pngChunkTypes lists the chunk types of a PNG.
func pngChunkTypes(t testing.TB, data []byte) []string {
	t.Helper()
	var ts []string
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		ts = append(ts, string(data[i+4:i+8]))
		i += 12 + n
	}
	return ts
}
