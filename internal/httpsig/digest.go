package httpsig

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// DigestHeader returns the cavage-era Digest value, "SHA-256=<base64>",
// which Mastodon requires on every signed POST.
func DigestHeader(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// ContentDigestHeader returns the RFC 9530 value, "sha-256=:<base64>:".
func ContentDigestHeader(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

func hashBody(alg string, body []byte) ([]byte, bool) {
	switch alg {
	case "sha-256":
		s := sha256.Sum256(body)
		return s[:], true
	case "sha-512":
		s := sha512.Sum512(body)
		return s[:], true
	}
	return nil, false
}

// checkDigest verifies a Digest header (RFC 3230: comma-separated
// "alg=base64", algorithm names case-insensitive). Every recognised
// algorithm present must match and at least one must be recognised, so an
// attacker cannot pass by adding an algorithm we ignore.
func checkDigest(value string, body []byte) error {
	checked := 0
	for part := range strings.SplitSeq(value, ",") {
		part = strings.TrimSpace(part)
		alg, b64, ok := strings.Cut(part, "=")
		if !ok {
			return fmt.Errorf("%w: Digest entry %q has no '='", ErrMalformed, part)
		}
		want, known := hashBody(strings.ToLower(strings.TrimSpace(alg)), body)
		if !known {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			return fmt.Errorf("%w: Digest %s value is not base64", ErrMalformed, alg)
		}
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return fmt.Errorf("%w: Digest %s does not match body", ErrDigestMismatch, alg)
		}
		checked++
	}
	if checked == 0 {
		return fmt.Errorf("%w: Digest has no SHA-256 or SHA-512 value", ErrUnsupportedAlgorithm)
	}
	return nil
}

// checkContentDigest verifies an RFC 9530 Content-Digest dictionary with
// the same all-recognised-must-match rule as checkDigest.
func checkContentDigest(value string, body []byte) error {
	members, err := parseSFDictionary(value)
	if err != nil {
		return fmt.Errorf("%w: Content-Digest: %v", ErrMalformed, err)
	}
	checked := 0
	for _, m := range members {
		want, known := hashBody(m.key, body)
		if !known {
			continue
		}
		got, ok := m.item.val.([]byte)
		if m.isList || !ok {
			return fmt.Errorf("%w: Content-Digest %s is not a byte sequence", ErrMalformed, m.key)
		}
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return fmt.Errorf("%w: Content-Digest %s does not match body", ErrDigestMismatch, m.key)
		}
		checked++
	}
	if checked == 0 {
		return fmt.Errorf("%w: Content-Digest has no sha-256 or sha-512 value", ErrUnsupportedAlgorithm)
	}
	return nil
}
