package imaging

// A GIF is a header, a logical screen descriptor, an optional global colour
// table, then a sequence of blocks: extensions (0x21), images (0x2C) and the
// trailer (0x3B). An image's pixels are LZW data in sub-blocks (a length byte,
// then that many bytes; a zero length ends the list). A 16 MiB file can hold
// thousands of full-screen frames that LZW squeezes to a few bytes each, so
// the header's screen size says nothing about the memory gif.DecodeAll would
// allocate. walkGIF follows the block structure without decompressing
// anything and adds up the frames' areas; no library offers this.

// gifStats is what walkGIF found.
type gifStats struct {
	frames  int
	pixels  int64 // sum over frames of width×height
	trailer bool  // the file ends with a trailer block
}

const (
	gifExtension = 0x21
	gifImage     = 0x2C
	gifTrailer   = 0x3B
)

// walkGIF checks the block structure and refuses, with ErrTooLarge, a file
// with more than maxFrames frames or whose frames add up to more than
// maxPixels pixels; it stops reading as soon as a limit is crossed. A file
// that ends cleanly after a complete block but has no trailer is accepted
// (browsers show such files, and some encoders write them); trailer tells the
// caller to supply one.
func walkGIF(data []byte, maxPixels int64, maxFrames int) (gifStats, error) {
	var st gifStats
	if len(data) < 13 {
		return st, corruptf(nil, "the GIF header is truncated")
	}
	p := 13
	if flags := data[10]; flags&0x80 != 0 {
		p += 3 << (flags&7 + 1) // global colour table
	}
	for {
		if p >= len(data) {
			if p > len(data) {
				return st, corruptf(nil, "the GIF is truncated")
			}
			break // clean end without a trailer
		}
		switch data[p] {
		case gifTrailer:
			st.trailer = true
			if st.frames == 0 {
				return st, corruptf(nil, "the GIF contains no image")
			}
			return st, nil
		case gifExtension:
			// introducer, label, then sub-blocks.
			var ok bool
			if p, ok = skipSubBlocks(data, p+2); !ok {
				return st, corruptf(nil, "the GIF is truncated")
			}
		case gifImage:
			if p+10 > len(data) {
				return st, corruptf(nil, "the GIF is truncated")
			}
			w := int64(data[p+5]) | int64(data[p+6])<<8
			h := int64(data[p+7]) | int64(data[p+8])<<8
			flags := data[p+9]
			p += 10
			if flags&0x80 != 0 {
				p += 3 << (flags&7 + 1) // local colour table
			}
			p++ // LZW minimum code size
			var ok bool
			if p, ok = skipSubBlocks(data, p); !ok {
				return st, corruptf(nil, "the GIF is truncated")
			}
			st.frames++
			st.pixels += w * h
			if st.frames > maxFrames {
				return st, tooLargef("the GIF has more than %d frames, at most %d are allowed", maxFrames, maxFrames)
			}
			if st.pixels > maxPixels {
				return st, tooLargef("the GIF's first %d frames already add up to %d pixels, at most %d pixels are allowed", st.frames, st.pixels, maxPixels)
			}
		default:
			return st, corruptf(nil, "the GIF has an unknown block type 0x%02x", data[p])
		}
	}
	if st.frames == 0 {
		return st, corruptf(nil, "the GIF contains no image")
	}
	return st, nil
}

// skipSubBlocks returns the offset just past the zero-length sub-block that
// ends the list starting at p, and false if the data ends first.
func skipSubBlocks(data []byte, p int) (int, bool) {
	for p < len(data) {
		n := int(data[p])
		p++
		if n == 0 {
			return p, true
		}
		p += n
	}
	return p, false
}
