package httpsig

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them so an inbox handler can map failures to a precise 401 message with
// errors.Is, while the wrapped text carries the detail for logs.
var (
	// ErrMissingSignature: the request carries neither Signature-Input nor
	// Signature. Callers may treat this differently from a bad signature
	// (e.g. allow unsigned GETs when secure mode is off).
	ErrMissingSignature = errors.New("httpsig: request is not signed")
	// ErrMalformed: a signature-related header could not be parsed.
	ErrMalformed = errors.New("httpsig: malformed signature")
	// ErrHeaderTooLarge is a kind of ErrMalformed: a signature header is
	// bigger than VerifyOptions.MaxHeaderBytes. Refusing early bounds the
	// work an unauthenticated peer can make us do.
	ErrHeaderTooLarge = fmt.Errorf("%w: header too large", ErrMalformed)
	// ErrUnsupportedAlgorithm: the signature or digest algorithm, or the
	// key type, is not one we implement.
	ErrUnsupportedAlgorithm = errors.New("httpsig: unsupported algorithm")
	// ErrMissingComponent: the signature does not cover a component we
	// require (request target, host, date/created, body digest), or a
	// covered header is absent from the request.
	ErrMissingComponent = errors.New("httpsig: required component not signed")
	// ErrDateOutOfRange: Date/created is too old or in the future, or the
	// signature has expired.
	ErrDateOutOfRange = errors.New("httpsig: signature date out of range")
	// ErrDigestMismatch: the body does not match Digest/Content-Digest.
	ErrDigestMismatch = errors.New("httpsig: body digest mismatch")
	// ErrBadSignature: the cryptographic check failed with the given key.
	ErrBadSignature = errors.New("httpsig: signature verification failed")
)
