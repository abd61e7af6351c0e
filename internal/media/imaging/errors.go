package imaging

import (
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
)

// The sentinel errors. Every error returned by Info and Process wraps exactly
// one of them, so callers can map them to HTTP statuses with errors.Is.
var (
	// ErrUnsupported: not an image in a format we take (unknown bytes, an
	// animated WebP, a JPEG using arithmetic coding, ...).
	ErrUnsupported = errors.New("unsupported image")
	// ErrTooLarge: the header announces more pixels, frames or scans than
	// allowed. It is returned before any pixel is decoded.
	ErrTooLarge = errors.New("image too large")
	// ErrCorrupt: the format was recognised but the file cannot be decoded.
	ErrCorrupt = errors.New("corrupt image")
)

// imageError carries a sentinel, a reason written for the person who uploaded
// the file, and optionally the decoder's own error (kept for logs and for
// errors.Is/As, e.g. io.ErrUnexpectedEOF).
type imageError struct {
	kind   error
	reason string
	cause  error
}

func (e *imageError) Error() string {
	if e.cause == nil {
		return e.kind.Error() + ": " + e.reason
	}
	return e.kind.Error() + ": " + e.reason + ": " + e.cause.Error()
}

func (e *imageError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

func unsupportedf(format string, a ...any) error {
	return &imageError{kind: ErrUnsupported, reason: fmt.Sprintf(format, a...)}
}

func tooLargef(format string, a ...any) error {
	return &imageError{kind: ErrTooLarge, reason: fmt.Sprintf(format, a...)}
}

func corruptf(cause error, format string, a ...any) error {
	return &imageError{kind: ErrCorrupt, reason: fmt.Sprintf(format, a...), cause: cause}
}

// decodeError classifies an error from a standard decoder: the decoders that
// distinguish "valid but uses a feature we lack" from "broken" get the former
// mapped to ErrUnsupported; everything else is ErrCorrupt.
func decodeError(f Format, err error) error {
	var ju jpeg.UnsupportedError
	var pu png.UnsupportedError
	if errors.As(err, &ju) || errors.As(err, &pu) {
		return &imageError{kind: ErrUnsupported, reason: fmt.Sprintf("this kind of %s is not supported", f.name()), cause: err}
	}
	return corruptf(err, "the %s data could not be decoded", f.name())
}
