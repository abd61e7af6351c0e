package imaging

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"slices"
	"testing"
)

func TestJPEGMetadataStripped(t *testing.T) {
	src := cornerBlocks(40, 20, 10, map[string]color.NRGBA{"TL": red})
	xmp := jpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:Description exif:GPSLatitude='48,51.5N'/></x:xmpmeta>"))
	irb := jpegSegment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0cIPTC-secret!"))
	icc := jpegSegment(0xE2, []byte("ICC_PROFILE\x00\x01\x01profile-bytes"))
	com := jpegSegment(0xFE, []byte("a secret comment"))
	in := insertAfterSOI(encJPEG(t, src, 95), exifSegment(binary.LittleEndian, 6), xmp, irb, icc, com)
	if !bytes.Contains(in, []byte("GPS")) || !bytes.Contains(in, []byte("TestCam")) {
		t.Fatal("test input lacks its metadata")
	}
	res, err := Process(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range []Image{res.Original, res.Small} {
		ms := jpegMarkers(t, im.Data)
		for _, m := range ms {
			// What the encoder may write: DQT, SOF0, DHT, DRI, SOS.
			if !slices.Contains([]byte{0xDB, 0xC0, 0xC4, 0xDD, 0xDA}, m) {
				t.Errorf("output has a %02X segment (markers %X)", m, ms)
			}
		}
		for _, s := range []string{"Exif", "GPS", "TestCam", "xmpmeta", "Photoshop", "IPTC", "ICC_PROFILE", "secret"} {
			if bytes.Contains(im.Data, []byte(s)) {
				t.Errorf("output still contains %q", s)
			}
		}
	}
	// Orientation 6 (rotate 90° clockwise): 40×20 becomes 20×40 and the
	// stored top-left corner is now top-right.
	if res.Original.Width != 20 || res.Original.Height != 40 {
		t.Fatalf("original %d×%d, want 20×40", res.Original.Width, res.Original.Height)
	}
	m := decodeOut(t, res.Original)
	wantColor(t, m, 15, 5, red, 40)
	for _, p := range [][2]int{{4, 4}, {4, 35}, {15, 35}} {
		wantColor(t, m, p[0], p[1], white, 40)
	}
}

// All eight orientations, with two marked corners so mirror images and
// rotations can't be mistaken for each other. Expected positions follow the
// EXIF definitions of where row 0 and column 0 go (see orientation).
func TestJPEGOrientations(t *testing.T) {
	want := map[uint16][2]string{ // stored TL (red), stored TR (blue) → displayed corner
		1: {"TL", "TR"}, 2: {"TR", "TL"}, 3: {"BR", "BL"}, 4: {"BL", "BR"},
		5: {"TL", "BL"}, 6: {"TR", "BR"}, 7: {"BR", "TR"}, 8: {"BL", "TL"},
	}
	src := encJPEG(t, cornerBlocks(40, 20, 10, map[string]color.NRGBA{"TL": red, "TR": blue}), 95)
	for o := uint16(1); o <= 8; o++ {
		for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
			res, err := Process(insertAfterSOI(src, exifSegment(bo, o)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, h := 40, 20
			if o >= 5 {
				w, h = 20, 40
			}
			if res.Original.Width != w || res.Original.Height != h {
				t.Fatalf("orientation %d: %d×%d, want %d×%d", o, res.Original.Width, res.Original.Height, w, h)
			}
			m := decodeOut(t, res.Original)
			colours := map[string]color.NRGBA{"TL": white, "TR": white, "BL": white, "BR": white}
			colours[want[o][0]] = red
			colours[want[o][1]] = blue
			for corner, c := range colours {
				x, y := cornerOrigin(corner, w, h, 10)
				if got := nrgbaAt(m, x+5, y+5); !near(got, c, 40) {
					t.Errorf("orientation %d (%v): %s corner is %v, want %v", o, bo, corner, got, c)
				}
			}
		}
	}
}

// Orientation and resizing together: the resize happens on the stored
// image (to the transposed size), the rotation after.
func TestJPEGOrientationWithResize(t *testing.T) {
	src := encJPEG(t, cornerBlocks(800, 400, 200, map[string]color.NRGBA{"TL": red, "TR": blue}), 90)
	res, err := Process(insertAfterSOI(src, exifSegment(binary.BigEndian, 8)), Options{MaxSide: 200, ThumbSide: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Original.Width != 100 || res.Original.Height != 200 || res.Small.Width != 25 || res.Small.Height != 50 {
		t.Fatalf("sizes %d×%d / %d×%d, want 100×200 / 25×50", res.Original.Width, res.Original.Height, res.Small.Width, res.Small.Height)
	}
	for _, im := range []Image{res.Original, res.Small} {
		m := decodeOut(t, im)
		w, h := im.Width, im.Height
		// Orientation 8: stored TL → displayed BL, stored TR → displayed TL.
		wantColor(t, m, w/4, h-h/8, red, 40)
		wantColor(t, m, w/4, h/8, blue, 40)
		wantColor(t, m, 3*w/4, h/2, white, 40)
	}
}

func TestPNGMetadataStripped(t *testing.T) {
	src := encPNG(t, quadrants(20, 20, red, green, blue, transparent))
	tiff := buildExif(binary.BigEndian, 1)
	in := insertAfterIHDR(src,
		pngChunk("tEXt", []byte("Comment\x00secret text")),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>secret</x:xmpmeta>")),
		pngChunk("zTXt", []byte("Author\x00\x00x\x9c\x2bN\x4d\x2eJ-\x01\x00\x08\xb8\x02\x8a")),
		pngChunk("eXIf", tiff),
		pngChunk("tIME", []byte{0x07, 0xE8, 1, 2, 3, 4, 5}),
	)
	res, err := Process(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range []Image{res.Original, res.Small} {
		for _, typ := range pngChunkTypes(t, im.Data) {
			if !slices.Contains([]string{"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, typ) {
				t.Errorf("output has a %s chunk", typ)
			}
		}
		for _, s := range []string{"secret", "xmpmeta", "GPS", "TestCam", "MM\x00*"} {
			if bytes.Contains(im.Data, []byte(s)) {
				t.Errorf("output still contains %q", s)
			}
		}
	}
	wantQuadrants(t, decodeOut(t, res.Original), red, green, blue, transparent, 0)
}

func TestExifOrientationRobust(t *testing.T) {
	good := buildExif(binary.LittleEndian, 6)
	if o := exifOrientation(good); o != 6 {
		t.Fatalf("orientation %d, want 6", o)
	}
	if o := exifOrientation(buildExif(binary.BigEndian, 3)); o != 3 {
		t.Fatalf("big-endian orientation %d, want 3", o)
	}
	// Every truncation, and an IFD offset pointing anywhere, must give 1
	// (or 6 when the entry survived) without panicking.
	for n := range len(good) {
		if o := exifOrientation(good[:n]); o != 1 && o != 6 {
			t.Errorf("truncated to %d bytes: orientation %d", n, o)
		}
	}
	for _, off := range []uint32{0, 7, 8, uint32(len(good)) - 1, uint32(len(good)), 1 << 31, 0xFFFFFFFF} {
		b := bytes.Clone(good)
		binary.LittleEndian.PutUint32(b[4:], off)
		if o := exifOrientation(b); o < 1 || o > 8 {
			t.Errorf("IFD offset %d: orientation %d", off, o)
		}
	}
	// Out-of-range values are ignored.
	bad := buildExif(binary.LittleEndian, 9)
	if o := exifOrientation(bad); o != 1 {
		t.Errorf("orientation value 9 read as %d, want 1", o)
	}
}
