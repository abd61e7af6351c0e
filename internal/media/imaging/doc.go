// Package imaging turns an uploaded image (a photo in a post, an avatar, a
// header) into the files weft stores and serves: an upright, size-capped
// original without metadata, a thumbnail, and a blurhash placeholder.
//
// It runs synchronously inside the upload request, so it is built to refuse
// hostile input early and to bound its memory.
//
// # Formats in and out
//
// The format is recognised from the first bytes (Sniff), never from the file
// name or the client's content type. Accepted: JPEG, PNG, GIF, WebP (lossy,
// lossless, with alpha; not animated).
//
//	upload            original                      thumbnail
//	JPEG              JPEG (quality 85)             JPEG
//	PNG               PNG                           JPEG if opaque, else PNG
//	GIF, one frame    PNG                           JPEG if opaque, else PNG
//	GIF, animated     GIF, every frame, not resized  first frame: JPEG or PNG
//	WebP              JPEG if opaque, else PNG      JPEG if opaque, else PNG
//
// WebP is converted because not every client and remote server that fetches
// our media understands it. Still GIFs become PNG: same pixels, better
// compression, and no 256-colour limit after resizing. Animated GIFs are not
// resized (that would mean compositing and re-quantising every frame); one
// whose screen is larger than MaxSide is refused with ErrTooLarge. 16-bit
// PNGs are stored with 8 bits per channel.
//
// # Why re-encode
//
// Photos carry EXIF (camera serial numbers, GPS position, time), XMP, ICC
// comments, Photoshop IRB blocks; PNGs carry tEXt/iTXt/zTXt/eXIf chunks;
// GIFs carry comment and application extensions. Rather than try to
// recognise and cut every kind of metadata block, which is a losing game,
// Process decodes the pixels and encodes them again with the standard
// encoders, which write nothing but pixels. Before that, a JPEG's EXIF
// Orientation is applied to the pixels, since the tag that told viewers to
// rotate is about to disappear. (Orientation tags in PNG eXIf and WebP EXIF
// chunks are not applied: browsers disagree about them.) Colour profiles are
// dropped too, so the pixels are taken as sRGB.
//
// # The pixel guard
//
// A few hundred bytes of PNG can claim 100000×100000 pixels; LZW and deflate
// make such bombs cheap. So Process reads the dimensions from the header
// (image.DecodeConfig, or the WebP header) and refuses with ErrTooLarge,
// before allocating any pixel, an image over MaxPixels in total or over 16384
// pixels on either side. For GIFs the header's screen size is not enough:
// thousands of full-screen frames compress to nothing, so the block structure
// is walked first (gifwalk.go) and the frames' areas summed against
// MaxPixels, with at most 5000 frames. A JPEG with more than 100 scans is
// refused too, because each progressive scan walks the whole image.
//
// Once those checks pass, decoding allocates about what the header promised:
// 1.5 bytes per pixel for a typical JPEG (more for progressive ones, which
// keep coefficients), 4 or 8 for PNG.
//
// # Memory and speed
//
// Photos (JPEG, lossy WebP) stay in YCbCr from decoder to encoder: the
// resizer (resize.go, Lanczos-3 in fixed point, parallel) works on the Y, Cb
// and Cr planes and produces 4:2:0 directly, which is what the JPEG encoder
// writes anyway, so a 12-megapixel photo never exists as 48 MB of RGBA.
// Resizing happens before rotation, so the rotation moves the smaller image,
// and the thumbnail is made from the resized original, not the upload.
// Other images are resized by disintegration/imaging (Lanczos, alpha-aware).
// The blurhash is computed from a 32-pixel copy of the thumbnail.
//
// # Errors
//
// Every error wraps ErrUnsupported, ErrTooLarge or ErrCorrupt, and its text
// is a short reason that can be shown to the uploader, e.g. "image too
// large: the image is 20000×20000 pixels, at most 33177600 pixels are
// allowed", followed for decoding failures by the decoder's own message.
package imaging
