package imaging

import (
	"image"

	dimg "github.com/disintegration/imaging"
)

// orientation is the EXIF Orientation value, 1..8. It tells how the stored
// rows and columns map to the upright picture (TIFF 6.0 / Exif 2.3 §4.6.4):
//
//	1: row 0 = top,    column 0 = left    (as stored)
//	2: row 0 = top,    column 0 = right   (mirror horizontally)
//	3: row 0 = bottom, column 0 = right   (rotate 180°)
//	4: row 0 = bottom, column 0 = left    (mirror vertically)
//	5: row 0 = left,   column 0 = top     (transpose)
//	6: row 0 = right,  column 0 = top     (rotate 90° clockwise)
//	7: row 0 = right,  column 0 = bottom  (transverse)
//	8: row 0 = left,   column 0 = bottom  (rotate 90° counter-clockwise)
type orientation uint8

// swapsAxes reports whether the upright picture is the stored one with width
// and height exchanged.
func (o orientation) swapsAxes() bool { return o >= 5 && o <= 8 }

// plane is one 8-bit channel plane (or, with bpp 4, interleaved RGBA).
type plane struct {
	pix       []uint8
	stride    int
	w, h, bpp int
}

// valid reports whether the slice really holds w×h samples at this stride, so
// that the loops below cannot index out of range.
func (p plane) valid() bool {
	if p.w <= 0 || p.h <= 0 || p.stride < p.w*p.bpp {
		return false
	}
	return len(p.pix) >= (p.h-1)*p.stride+p.w*p.bpp
}

// orient returns img turned upright. It works on the working types produced
// by resize (4:2:0 or 4:4:4 YCbCr, Gray, NRGBA, RGBA) without converting
// them; anything else is converted to NRGBA first. Process calls it after
// resizing, so it moves at most MaxSide² pixels.
func orient(img image.Image, o orientation) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o.swapsAxes() {
		ow, oh = h, w
	}
	switch m := img.(type) {
	case *image.YCbCr:
		r := m.SubsampleRatio
		symmetric := r == image.YCbCrSubsampleRatio420 || r == image.YCbCrSubsampleRatio444
		if b.Min != (image.Point{}) || (o.swapsAxes() && !symmetric) {
			break
		}
		cw, ch := chromaSize(w, h, r)
		src := [3]plane{{m.Y, m.YStride, w, h, 1}, {m.Cb, m.CStride, cw, ch, 1}, {m.Cr, m.CStride, cw, ch, 1}}
		if !src[0].valid() || !src[1].valid() || !src[2].valid() {
			break
		}
		d := image.NewYCbCr(image.Rect(0, 0, ow, oh), r)
		dcw, dch := chromaSize(ow, oh, r)
		orientPlane(plane{d.Y, d.YStride, ow, oh, 1}, src[0], o)
		orientPlane(plane{d.Cb, d.CStride, dcw, dch, 1}, src[1], o)
		orientPlane(plane{d.Cr, d.CStride, dcw, dch, 1}, src[2], o)
		return d
	case *image.Gray:
		src := plane{m.Pix, m.Stride, w, h, 1}
		if b.Min != (image.Point{}) || !src.valid() {
			break
		}
		d := image.NewGray(image.Rect(0, 0, ow, oh))
		orientPlane(plane{d.Pix, d.Stride, ow, oh, 1}, src, o)
		return d
	case *image.NRGBA:
		src := plane{m.Pix, m.Stride, w, h, 4}
		if b.Min != (image.Point{}) || !src.valid() {
			break
		}
		d := image.NewNRGBA(image.Rect(0, 0, ow, oh))
		orientPlane(plane{d.Pix, d.Stride, ow, oh, 4}, src, o)
		return d
	case *image.RGBA:
		src := plane{m.Pix, m.Stride, w, h, 4}
		if b.Min != (image.Point{}) || !src.valid() {
			break
		}
		d := image.NewRGBA(image.Rect(0, 0, ow, oh))
		orientPlane(plane{d.Pix, d.Stride, ow, oh, 4}, src, o)
		return d
	}
	return orient(dimg.Clone(img), o)
}

// orientPlane copies src into dst (whose size is src's, transposed for
// orientations 5–8) so that dst is upright. Source pixel (x, y) of a W×H
// plane lands at:
//
//	2: (W-1-x, y)   3: (W-1-x, H-1-y)   4: (x, H-1-y)
//	5: (y, x)       6: (H-1-y, x)       7: (H-1-y, W-1-x)   8: (y, W-1-x)
//
// expressed below as a start offset plus a step per source column (ax) and
// per source row (ay) in dst.
func orientPlane(dst, src plane, o orientation) {
	W, H, bpp, ds := src.w, src.h, src.bpp, dst.stride
	var o0, ax, ay int
	switch o {
	case 2:
		o0, ax, ay = (W-1)*bpp, -bpp, ds
	case 3:
		o0, ax, ay = (W-1)*bpp+(H-1)*ds, -bpp, -ds
	case 4:
		o0, ax, ay = (H-1)*ds, bpp, -ds
	case 5:
		o0, ax, ay = 0, ds, bpp
	case 6:
		o0, ax, ay = (H-1)*bpp, ds, -bpp
	case 7:
		o0, ax, ay = (H-1)*bpp+(W-1)*ds, -ds, -bpp
	case 8:
		o0, ax, ay = (W-1)*ds, -ds, bpp
	default:
		o0, ax, ay = 0, bpp, ds
	}
	parallelRows(H, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := src.pix[y*src.stride : y*src.stride+W*bpp]
			d := o0 + y*ay
			if bpp == 1 {
				for _, v := range row {
					dst.pix[d] = v
					d += ax
				}
				continue
			}
			for x := 0; x < len(row); x += 4 {
				copy(dst.pix[d:d+4], row[x:x+4])
				d += ax
			}
		}
	})
}
