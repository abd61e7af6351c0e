package testkit

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// JPEG draws a w×h photo-like JPEG (a colour gradient). With exif, an APP1
// segment is put right after SOI, as phones write them, holding a camera
// name ("SECRETCAM") and a GPS IFD: bytes that are in the upload and must
// never be in anything weft serves.
func JPEG(t testing.TB, w, h int, exif bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	var buf bytes.Buffer
	Must(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}), "encode JPEG")
	out := buf.Bytes()
	if !exif {
		return out
	}
	// A little-endian TIFF structure: IFD0 with Make (ASCII, 10 bytes at
	// offset 38) and a pointer to the GPS IFD (at 48), which holds
	// GPSLatitudeRef "N".
	var tiff bytes.Buffer
	le := binary.LittleEndian
	tiff.WriteString("II*\x00")
	binary.Write(&tiff, le, uint32(8))
	binary.Write(&tiff, le, uint16(2))
	binary.Write(&tiff, le, [3]uint32{0x0002010F, 10, 38})
	binary.Write(&tiff, le, [3]uint32{0x00048825, 1, 48})
	binary.Write(&tiff, le, uint32(0))
	tiff.WriteString("SECRETCAM\x00")
	binary.Write(&tiff, le, uint16(1))
	binary.Write(&tiff, le, [3]uint32{0x00020001, 2, 'N'})
	binary.Write(&tiff, le, uint32(0))
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	return append(append(append([]byte{}, out[:2]...), append(seg, payload...)...), out[2:]...)
}

// PNG draws a w×h half-transparent PNG.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{200, uint8(x % 256), uint8(y % 256), 128})
		}
	}
	var buf bytes.Buffer
	Must(t, png.Encode(&buf, img), "encode PNG")
	return buf.Bytes()
}
