package ap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

const (
	// MaxDocument is the largest document Parse accepts, in bytes. Real
	// activities and actors are a few kilobytes; the biggest fixture (a
	// WordPress article with its full HTML) is under 80 KiB.
	MaxDocument = 1 << 20

	// MaxDepth is how deeply objects and arrays may nest, counting the top
	// level object as 1. The deepest fixture (a PeerTube video's url list
	// of Links with tags and attachments) reaches 7.
	MaxDepth = 64

	// maxEmbedded bounds how many embedded objects one document expands
	// into an Object. An Object is far larger than the JSON "{}" it can come
	// from, so without a bound a 1 MiB list of empty objects would cost
	// hundreds of megabytes.
	maxEmbedded = 4096
)

// Errors returned by Parse; the invalid-JSON error wraps the decoder's.
var (
	ErrTooLarge    = errors.New("ap: document larger than MaxDocument")
	ErrTooDeep     = errors.New("ap: document nested deeper than MaxDepth")
	ErrNotObject   = errors.New("ap: top level is not a JSON object")
	ErrInvalidJSON = errors.New("ap: invalid JSON")
)

var bom = []byte("\xef\xbb\xbf")

// Parse decodes one document (a UTF-8 JSON object). It refuses invalid JSON,
// a non-object top level, documents nested deeper than MaxDepth and input
// over MaxDocument bytes. Everything else parses, with missing or
// ill-shaped fields left empty.
func Parse(data []byte) (*Object, error) {
	if len(data) > MaxDocument {
		return nil, ErrTooLarge
	}
	// Some PHP stacks prefix a byte order mark; it carries no meaning.
	data = bytes.TrimPrefix(data, bom)
	// The depth scan runs before decoding so that the decoder never recurses
	// into a hostile nesting, whatever its own limits are.
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// Numbers stay json.Number: a float64 decode fails the whole document
	// on a value like 1e400 in a property nobody reads.
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the top-level value", ErrInvalidJSON)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, ErrNotObject
	}
	if bytes.Contains(data, escapedNUL) {
		stripNUL(m)
	}
	return FromMap(m), nil
}

// escapedNUL is how the NUL character appears in JSON (a raw one is not
// valid JSON).
var escapedNUL = []byte(`\u0000`)

// WithoutNUL returns a JSON document with the NUL character taken out of
// every string, keys included: PostgreSQL stores neither text nor jsonb
// with it (a signed activity carrying one was answered 500, so its sender
// retried it for days), and it means nothing in ActivityPub. Documents
// without one come back as they are.
func WithoutNUL(data []byte) ([]byte, error) {
	if !bytes.Contains(data, escapedNUL) {
		return data, nil
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	v = stripNUL(v)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// stripNUL removes NUL from the strings of a decoded value, in place where
// it can, and returns the value.
func stripNUL(v any) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, "\x00", "")
	case []any:
		for i, e := range x {
			x[i] = stripNUL(e)
		}
	case map[string]any:
		for k, e := range x {
			clean := strings.ReplaceAll(k, "\x00", "")
			if clean != k {
				delete(x, k)
			}
			x[clean] = stripNUL(e)
		}
	}
	return v
}

// checkDepth measures container nesting with a string-aware byte scan; it
// does not validate, the decoder does that afterwards.
func checkDepth(data []byte) error {
	depth := 0
	inString, escaped := false, false
	for _, c := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return ErrTooDeep
			}
		case '}', ']':
			depth--
			if depth < 0 {
				return fmt.Errorf("%w: unbalanced %q", ErrInvalidJSON, c)
			}
		}
	}
	return nil
}

// FromMap builds an Object from an already decoded map; Parse and embedded
// objects use it. It accepts maps from any JSON decoder (float64 or
// json.Number numbers) and stops expanding embedded objects past MaxDepth,
// so even a self-referencing map terminates.
func FromMap(m map[string]any) *Object {
	b := &builder{budget: maxEmbedded}
	return b.object(m, 0)
}
