package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// ErrNotFound is returned (wrapped) by Open and Stat when a key holds nothing.
var ErrNotFound = errors.New("storage: no such file")

// ErrBadKey is returned (wrapped) by every method given a key that ValidKey
// rejects: a key with anything but [a-z0-9._/-], an empty segment, "." or
// ".." segments, a leading slash, or longer than 200 bytes.
var ErrBadKey = errors.New("storage: bad key")

// maxKeyLen bounds keys so that a key always fits in a file name or an S3
// object name (1024 bytes) with room to spare.
const maxKeyLen = 200

// Info describes a stored file.
type Info struct {
	Size        int64
	ContentType string
	ETag        string // quoted, usable as an HTTP ETag header
	ModTime     time.Time
}

// Object is an open file: read it, seek it (for Range requests), close it.
type Object interface {
	io.ReadSeekCloser
	Info() Info
}

// Store is where media files live.
type Store interface {
	// Put stores r (exactly size bytes) under key, replacing what was there;
	// readers never see a half-written file.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	Open(ctx context.Context, key string) (Object, error) // ErrNotFound when absent
	Stat(ctx context.Context, key string) (Info, error)   // ErrNotFound when absent
	Delete(ctx context.Context, key string) error         // nil when already absent
	// RedirectURL is where a client may fetch key directly: a presigned GET
	// URL (valid ttl) for S3 in redirect mode; "" for stores that serve
	// through weft.
	RedirectURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	// Usage sums the sizes of the files under prefix ("" for all) and counts
	// them (for `weft admin media usage`).
	Usage(ctx context.Context, prefix string) (files int64, bytes int64, err error)
}

// Both backends implement Store.
var (
	_ Store = (*Local)(nil)
	_ Store = (*S3)(nil)
)

// ValidKey reports whether key may name a stored file, and why not
// (wrapping ErrBadKey). The rules keep keys portable between a file system
// and S3 and make joining a key to a directory safe: no "..", no absolute
// paths, no case-folding surprises, no characters that need escaping in a
// URL.
func ValidKey(key string) error {
	switch {
	case key == "":
		return badKey(key, "empty")
	case len(key) > maxKeyLen:
		return badKey(key, fmt.Sprintf("longer than %d bytes", maxKeyLen))
	case key[0] == '/':
		return badKey(key, "leading slash")
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '/' || c == '-') {
			return badKey(key, fmt.Sprintf("character %q not allowed", c))
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch seg {
		case "":
			return badKey(key, "empty segment")
		case ".", "..":
			return badKey(key, fmt.Sprintf("%q segment", seg))
		}
	}
	return nil
}

func badKey(key, why string) error {
	// %.80q: a 300-byte key should not flood the log line it ends up in.
	return fmt.Errorf("%w %.80q: %s", ErrBadKey, key, why)
}

// validPrefix checks a Usage prefix: "" (everything), a key ("a/b.jpg"), a
// key-shaped start of one ("media/ab") or a folder ending in one slash
// ("media/").
func validPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if err := ValidKey(strings.TrimSuffix(prefix, "/")); err != nil {
		return fmt.Errorf("prefix: %w", err)
	}
	return nil
}

// contentTypes maps the extensions weft stores to their Content-Type. It is
// a fixed table rather than mime.TypeByExtension because that one reads the
// host's /etc/mime.types, so the same file would be served differently on
// different machines.
var contentTypes = map[string]string{
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".gif":  "image/gif",
	".webp": "image/webp",
	".mp4":  "video/mp4",
	".webm": "video/webm",
	".mov":  "video/quicktime",
	".mp3":  "audio/mpeg",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".wav":  "audio/wav",
	".m4a":  "audio/mp4",
	".flac": "audio/flac",
}

// contentTypeFor is the Content-Type for key's extension, or
// application/octet-stream.
func contentTypeFor(key string) string {
	if ct, ok := contentTypes[path.Ext(key)]; ok {
		return ct
	}
	return "application/octet-stream"
}

// errSizeMismatch is what a Put reports when the reader did not hold
// exactly the announced number of bytes.
var errSizeMismatch = errors.New("reader size differs from the size given")

// exactReader passes on exactly size bytes of r and fails if r holds fewer
// or more. It never hands over the last byte before it has checked that r
// ends there: an S3 upload that sees an error before its body is complete is
// aborted by net/http, so the server never stores a truncated or wrongly
// accepted object. It also stops at once when ctx is cancelled, so a Put
// from a slow client does not outlive its request.
type exactReader struct {
	ctx     context.Context
	r       io.Reader
	size    int64
	left    int64
	checked bool // r was seen to end right after size bytes
	err     error
}

func newExactReader(ctx context.Context, r io.Reader, size int64) *exactReader {
	return &exactReader{ctx: ctx, r: r, size: size, left: size}
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if err := e.ctx.Err(); err != nil {
		e.err = err
		return 0, err
	}
	if e.left == 0 {
		if err := e.checkEnd(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case e.left == 0:
		// The last bytes: check the end before handing them over (see the
		// type's comment); on error they are dropped.
		if err := e.checkEnd(); err != nil {
			return 0, err
		}
		return n, nil
	case err == io.EOF:
		e.err = fmt.Errorf("%w: got %d bytes, want %d", errSizeMismatch, e.size-e.left, e.size)
		return 0, e.err
	case err != nil:
		e.err = err
		return 0, err
	}
	return n, nil
}

// checkEnd makes sure r has nothing after the size bytes already read.
func (e *exactReader) checkEnd() error {
	if e.checked {
		return nil
	}
	var one [1]byte
	// A reader may return 0, nil now and then; a few tries tell that apart
	// from a reader that never ends, which is the caller's bug anyway.
	for range 100 {
		n, err := e.r.Read(one[:])
		if n > 0 {
			e.err = fmt.Errorf("%w: more than %d bytes", errSizeMismatch, e.size)
			return e.err
		}
		if err == io.EOF {
			e.checked = true
			return nil
		}
		if err != nil {
			e.err = err
			return err
		}
	}
	e.err = fmt.Errorf("reader returned no data and no EOF after %d bytes", e.size)
	return e.err
}

// done reports whether exactly size bytes were read and r ended there,
// reading the end of r if nobody has yet (an empty upload may never be
// read).
func (e *exactReader) done() error {
	if e.err != nil {
		return e.err
	}
	if e.left > 0 {
		return fmt.Errorf("%w: only %d of %d bytes were read", errSizeMismatch, e.size-e.left, e.size)
	}
	return e.checkEnd()
}
