package imaging

import (
	"bytes"
	"encoding/binary"
)

// This file reads the two things Process needs from a JPEG's marker structure
// before decoding it: the EXIF Orientation and the number of scans.
//
// It is written by hand rather than taken from disintegration/imaging: that
// package's orientation reader is unexported and only runs inside its own
// Decode, which then rotates the full-size image; we want the orientation up
// front so we can resize first and rotate the (smaller) result, and we also
// need the scan count, which no library exposes. Every read is bounds-checked
// against the slice; garbage or truncated EXIF yields orientation 1.

// jpegInfo is what walkJPEG found.
type jpegInfo struct {
	orient orientation // 1..8; 1 when absent or unreadable
	scans  int         // SOS markers seen (only counted when asked)
}

var exifPrefix = []byte("Exif\x00\x00")

// walkJPEG walks the segments of a JPEG. With countScans false it stops at
// the first SOS (all metadata segments come before it); otherwise it skips
// each scan's entropy-coded data to count every SOS in the file. In
// entropy-coded data a 0xFF byte is always followed by 0x00 (stuffing) or a
// restart marker, so the next other marker is found without decoding.
func walkJPEG(data []byte, countScans bool) jpegInfo {
	info := jpegInfo{orient: 1}
	seenExif := false
	i := 2 // past SOI
	for i+1 < len(data) {
		if data[i] != 0xFF {
			return info // not at a marker: stop rather than guess
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte before a marker
			i++
			continue
		case m == 0xD9: // EOI
			return info
		case m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7): // no length field
			i += 2
			continue
		}
		if i+4 > len(data) {
			return info
		}
		segLen := int(data[i+2])<<8 | int(data[i+3])
		if segLen < 2 || i+2+segLen > len(data) {
			return info
		}
		payload := data[i+4 : i+2+segLen]
		i += 2 + segLen
		if m == 0xE1 && !seenExif && bytes.HasPrefix(payload, exifPrefix) {
			// Like other readers, the first Exif APP1 wins.
			seenExif = true
			info.orient = exifOrientation(payload[len(exifPrefix):])
		}
		if m != 0xDA {
			continue
		}
		info.scans++
		if !countScans {
			return info
		}
		// Skip the entropy-coded data that follows the SOS header.
		for {
			j := bytes.IndexByte(data[i:], 0xFF)
			if j < 0 || i+j+1 >= len(data) {
				return info
			}
			i += j
			if n := data[i+1]; n == 0x00 || (n >= 0xD0 && n <= 0xD7) {
				i += 2
				continue
			}
			break // a real marker (or fill bytes before one)
		}
	}
	return info
}

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF structure (the body of
// an Exif APP1 segment). It returns 1 for anything it cannot read.
func exifOrientation(tiff []byte) orientation {
	if len(tiff) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	n := uint64(len(tiff))
	ifd := uint64(bo.Uint32(tiff[4:8]))
	if ifd < 8 || ifd+2 > n {
		return 1
	}
	count := uint64(bo.Uint16(tiff[ifd:]))
	for k := uint64(0); k < count; k++ {
		e := ifd + 2 + 12*k
		if e+12 > n {
			return 1
		}
		if bo.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		typ := bo.Uint16(tiff[e+2:])
		if bo.Uint32(tiff[e+4:]) < 1 {
			return 1
		}
		// The value fits in the entry's 4-byte value field, left-aligned.
		var v uint32
		switch typ {
		case 3: // SHORT, what the standard prescribes
			v = uint32(bo.Uint16(tiff[e+8:]))
		case 4, 9: // LONG / SLONG, written by a few broken encoders
			v = bo.Uint32(tiff[e+8:])
		case 1, 7: // BYTE / UNDEFINED, likewise
			v = uint32(tiff[e+8])
		default:
			return 1
		}
		if v >= 1 && v <= 8 {
			return orientation(v)
		}
		return 1
	}
	return 1
}
