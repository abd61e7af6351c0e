package imaging

import "encoding/binary"

// webpAnimated reports whether a WebP file is animated: the VP8X header's
// animation flag, or an ANIM/ANMF chunk anywhere. golang.org/x/image/webp
// decodes still images only; it ignores the flag and would fail later with
// an unhelpful "invalid format".
//
// The file is RIFF: "RIFF", size, "WEBP", then chunks of a FourCC, a
// little-endian payload size and the payload padded to an even length.
func webpAnimated(data []byte) bool {
	const animationFlag = 1 << 1
	p := uint64(12)
	n := uint64(len(data))
	for p+8 <= n {
		id := string(data[p : p+4])
		size := uint64(binary.LittleEndian.Uint32(data[p+4 : p+8]))
		switch id {
		case "VP8X":
			if p+8 < n && data[p+8]&animationFlag != 0 {
				return true
			}
		case "ANIM", "ANMF":
			return true
		}
		p += 8 + size + size&1
	}
	return false
}
