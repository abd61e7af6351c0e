package imaging

import (
	"image"

	"github.com/buckket/go-blurhash"
	dimg "github.com/disintegration/imaging"
)

// Blurhash parameters: 4×4 components is what Mastodon computes
// (BLURHASH_OPTIONS in its media attachment model). The hash
// only describes a few colour waves, so it is computed from a copy at most
// blurhashSide pixels on a side: the library reads pixels through
// image.Image.At, and a 640×480 thumbnail would cost 300k interface calls
// for the same result.
const (
	blurhashX    = 4
	blurhashY    = 4
	blurhashSide = 32
)

// blurhashOf computes the blurhash of img (normally the thumbnail).
// Transparent areas count as black: the library reads premultiplied colour.
func blurhashOf(img image.Image) (string, error) {
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy(), blurhashSide)
	small := resize(img, w, h, false)
	if small.Bounds().Min != (image.Point{}) {
		// The library assumes bounds at the origin.
		small = dimg.Clone(small)
	}
	return blurhash.Encode(blurhashX, blurhashY, small)
}
