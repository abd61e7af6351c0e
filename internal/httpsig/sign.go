package httpsig

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Scheme selects the signature format.
type Scheme int

const (
	// Cavage is draft-cavage-http-signatures-12 as Mastodon uses it.
	Cavage Scheme = iota + 1
	// RFC9421 is HTTP Message Signatures (RFC 9421).
	RFC9421
)

func (s Scheme) String() string {
	switch s {
	case Cavage:
		return "draft-cavage-http-signatures-12"
	case RFC9421:
		return "RFC 9421"
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

// SignOptions tunes Sign. The zero value gives the Mastodon-compatible
// defaults.
type SignOptions struct {
	// Now overrides the clock (tests, or re-signing deterministically).
	Now time.Time
	// Headers lists extra header names to cover when they are present on
	// the request, e.g. "accept" or "content-type".
	Headers []string
	// Expires, if positive, adds expires=created+Expires to RFC 9421
	// signatures. Cavage rsa-sha256 has no expiry, so it is ignored there.
	Expires time.Duration
	// Label is the RFC 9421 signature label; default "sig1".
	Label string
}

// Sign signs r in place for the given scheme with defaults; see SignWith.
func Sign(r *http.Request, keyID string, key *rsa.PrivateKey, scheme Scheme, body []byte) error {
	return SignWith(r, keyID, key, scheme, body, SignOptions{})
}

// SignWith signs r in place.
//
// body is the exact request body. When it is non-nil a body digest is added
// and covered (Digest for cavage, Content-Digest for RFC 9421), which is
// what receivers require for POST; pass nil for GET. If r has no body yet,
// body is attached to it so the bytes sent are the bytes digested.
//
// Cavage covers "(request-target) host date" plus "digest" with a body;
// RFC 9421 covers "@method" "@target-uri" plus "content-digest" with a body,
// and always carries created, keyid and alg="rsa-v1_5-sha256" (Mastodon
// requires created). Both set Date, which old receivers log and cavage
// receivers check.
func SignWith(r *http.Request, keyID string, key *rsa.PrivateKey, scheme Scheme, body []byte, o SignOptions) error {
	if key == nil {
		return errors.New("httpsig: sign: nil private key")
	}
	if keyID == "" {
		return errors.New("httpsig: sign: empty key id")
	}
	if strings.ContainsAny(keyID, "\"\\\r\n") {
		// Neither format can carry these without ambiguity.
		return fmt.Errorf("httpsig: sign: key id %q contains quote, backslash or newline", keyID)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if body != nil && (r.Body == nil || r.Body == http.NoBody) {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	// A request may be re-signed with the other scheme when double-knocking;
	// stale headers from the first attempt would confuse the receiver,
	// which prefers Signature-Input when present.
	r.Header.Del("Signature")
	r.Header.Del("Signature-Input")

	extra := make([]string, 0, len(o.Headers))
	for _, h := range o.Headers {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, ok := headerValue(r, h); ok && h != "host" && h != "date" && h != "digest" && h != "content-digest" {
			extra = append(extra, h)
		}
	}

	switch scheme {
	case Cavage:
		return signCavage(r, keyID, key, body, extra)
	case RFC9421:
		return sign9421(r, keyID, key, body, extra, now, o)
	}
	return fmt.Errorf("httpsig: sign: unknown scheme %v", scheme)
}

func signCavage(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, extra []string) error {
	headers := []string{"(request-target)", "host", "date"}
	if body != nil {
		r.Header.Set("Digest", DigestHeader(body))
		headers = append(headers, "digest")
	}
	headers = append(headers, extra...)
	ss, err := cavageSigningString(r, headers, "", "")
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	sig, err := signPKCS1(key, ss)
	if err != nil {
		return err
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		keyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

func sign9421(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, extra []string, now time.Time, o SignOptions) error {
	label := o.Label
	if label == "" {
		label = "sig1"
	}
	if !isWholeKey(label) {
		return fmt.Errorf("httpsig: sign: invalid label %q", label)
	}
	items := []sfItem{{val: "@method"}, {val: "@target-uri"}}
	if body != nil {
		r.Header.Set("Content-Digest", ContentDigestHeader(body))
		items = append(items, sfItem{val: "content-digest"})
	}
	for _, h := range extra {
		items = append(items, sfItem{val: h})
	}
	params := []sfParam{
		{"created", now.Unix()},
		{"keyid", keyID},
		{"alg", "rsa-v1_5-sha256"},
	}
	if o.Expires > 0 {
		params = append(params, sfParam{"expires", now.Add(o.Expires).Unix()})
	}
	scheme := "https"
	if r.URL != nil && r.URL.Scheme != "" {
		scheme = strings.ToLower(r.URL.Scheme)
	}
	base, err := rfc9421Base(r, items, params, scheme)
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	sig, err := signPKCS1(key, base)
	if err != nil {
		return err
	}
	r.Header.Set("Signature-Input", label+"="+serializeInnerList(items, params))
	r.Header.Set("Signature", label+"=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return nil
}

func isWholeKey(s string) bool {
	p := &sfParser{s: s}
	_, err := p.key()
	return err == nil && p.eof()
}

func signPKCS1(key *rsa.PrivateKey, msg string) ([]byte, error) {
	h := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	if err != nil {
		return nil, fmt.Errorf("httpsig: sign: %w", err)
	}
	return sig, nil
}
