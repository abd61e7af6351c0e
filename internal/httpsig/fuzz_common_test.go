package httpsig

import (
	"bufio"
	"crypto/rsa"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Helpers shared by the fuzz tests. Names carry an "fz" prefix so they do
// not collide with helpers other test files in this package define.

// fzSentinels are the package's independent sentinel errors.
// ErrHeaderTooLarge is left out on purpose: it is documented as a kind of
// ErrMalformed and wraps it, so counting it too would make a correct
// "header too large" error look like it wraps two sentinels.
var fzSentinels = []error{
	ErrMissingSignature,
	ErrMalformed,
	ErrUnsupportedAlgorithm,
	ErrMissingComponent,
	ErrDateOutOfRange,
	ErrDigestMismatch,
	ErrBadSignature,
}

// fzCheckSentinel fails unless err wraps exactly one sentinel: inbox
// handlers map errors to responses with errors.Is, and an error matching
// none (or two) of them would get the wrong response.
func fzCheckSentinel(t *testing.T, what string, err error) {
	t.Helper()
	var hit []string
	for _, s := range fzSentinels {
		if errors.Is(err, s) {
			hit = append(hit, s.Error())
		}
	}
	if len(hit) != 1 {
		t.Fatalf("%s: error %q wraps %d sentinel errors %q, want exactly 1", what, err, len(hit), hit)
	}
}

// fzField is one header of a fuzzed request. A "\n" in value separates
// field lines: a real header value cannot contain a newline, so this is the
// faithful way to let the fuzzer produce headers sent on several lines.
type fzField struct{ name, value string }

// fzRequest builds the request a net/http server would hand to a handler
// for this request line and headers. The request line goes through
// http.ReadRequest so that RequestURI, URL and Host (including absolute-form
// targets, whose authority replaces the Host header) are set exactly as in
// production. ok is false when the server would have refused the request
// line before any handler ran. Headers are added afterwards, unvalidated,
// so that Verify also meets values a lenient proxy might pass through.
func fzRequest(method, target, host string, fields []fzField) (*http.Request, bool) {
	if strings.ContainsAny(target, "\r\n") {
		// Would inject header lines rather than fuzz the target.
		return nil, false
	}
	raw := method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		return nil, false
	}
	// The server removes Host from the map after moving it to r.Host.
	r.Header.Del("Host")
	for _, f := range fields {
		if f.value == "" {
			continue // absent header
		}
		for line := range strings.SplitSeq(f.value, "\n") {
			r.Header.Add(f.name, line)
		}
	}
	return r, true
}

// fzDeliverable reports whether net/http's server would accept every field
// line of these values (httpguts.ValidHeaderFieldValue: no control bytes
// other than HTAB). Only for such values does "the request means what the
// signer signed" have a precise meaning; control bytes never reach a
// handler.
func fzDeliverable(values ...string) bool {
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c == '\n' { // line separator, see fzField
				continue
			}
			if (c < 0x20 && c != '\t') || c == 0x7f {
				return false
			}
		}
	}
	return true
}

// fzFieldValue is the HTTP meaning of a header as the server delivers it:
// each line stripped of optional whitespace (SP and HTAB only, RFC 9110
// §5.5) and the lines combined with ", " (RFC 9110 §5.3). It deliberately
// does not share code with the package, so it can catch a normalisation in
// the package that makes two different values sign alike.
func fzFieldValue(v string) string {
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		lines[i] = strings.Trim(l, " \t")
	}
	return strings.Join(lines, ", ")
}

// fzHamming1 reports whether b is a with exactly one byte replaced, the
// literal "one byte changed" mutation the brief asks about.
func fzHamming1(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	n := 0
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			n++
		}
	}
	return n == 1
}

// fzEffectiveTarget is the origin-form target the request addresses. For
// an absolute-form request line RFC 9112 §3.2.2 makes the URI's path and
// query the target (and its authority the host, which ReadRequest already
// put in r.Host), so "https://b.example/x" and "/x" are the same request.
func fzEffectiveTarget(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// fzAuthority normalises a host for comparison the way RFC 9421 §2.2.3
// defines @authority: case-insensitive, default https port omitted.
func fzAuthority(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ":443")
}

var (
	fzRFCKeysOnce       sync.Once
	fzRFCRSA, fzRFCPSS  *rsa.PublicKey
	fzRFCKeysParseError error
)

// fzRFCKeys returns the RFC 9421 test keys (B.1.1 test-key-rsa and B.1.2
// test-key-rsa-pss), parsed once since every fuzz iteration needs them.
func fzRFCKeys(t testing.TB) (rsaKey, pssKey *rsa.PublicKey) {
	t.Helper()
	fzRFCKeysOnce.Do(func() {
		if fzRFCRSA, fzRFCKeysParseError = ParsePublicKeyPEM([]byte(rfc9421TestKeyRSA)); fzRFCKeysParseError != nil {
			return
		}
		fzRFCPSS, fzRFCKeysParseError = ParsePublicKeyPEM([]byte(rfc9421TestKeyRSAPSS))
	})
	if fzRFCKeysParseError != nil {
		t.Fatal(fzRFCKeysParseError)
	}
	return fzRFCRSA, fzRFCPSS
}

// fzAllPublicKeys is every public key a fuzz input may have been signed
// with: the package's fixed test key, the freshly generated "other" key and
// the two RFC 9421 keys. The "wrong key" check tries all but the signer.
func fzAllPublicKeys(t testing.TB) []*rsa.PublicKey {
	t.Helper()
	a, b := testKeys(t)
	r, p := fzRFCKeys(t)
	return []*rsa.PublicKey{&a.PublicKey, &b.PublicKey, r, p}
}

// fzCheckKeys verifies a Result that passed Verify with every known key.
// Any key but right must fail with ErrBadSignature; a success there would
// mean an attacker could get a request accepted under a key that never
// signed it. It returns the outcome with the right key.
func fzCheckKeys(t *testing.T, res Result, right *rsa.PublicKey) error {
	t.Helper()
	for _, k := range fzAllPublicKeys(t) {
		if k.Equal(right) {
			continue
		}
		err := res.Verify(k)
		if err == nil {
			t.Fatalf("Result (keyId %q, covered %q) verifies with a key that did not sign it; base:\n%s", res.KeyID, res.Covered, res.base)
		}
		fzCheckSentinel(t, "Result.Verify(wrong key)", err)
		if !errors.Is(err, ErrBadSignature) {
			t.Fatalf("Result.Verify(wrong key) = %v, want ErrBadSignature", err)
		}
	}
	err := res.Verify(right)
	if err != nil {
		fzCheckSentinel(t, "Result.Verify(right key)", err)
		if !errors.Is(err, ErrBadSignature) {
			t.Fatalf("Result.Verify(right key) = %v, want ErrBadSignature", err)
		}
	}
	return err
}

// fzCheckFailed checks a failed Verify: one sentinel, and a Result that
// refuses to verify even with the right key, as documented.
func fzCheckFailed(t *testing.T, res Result, err error, right *rsa.PublicKey) {
	t.Helper()
	fzCheckSentinel(t, "Verify", err)
	verr := res.Verify(right)
	if verr == nil {
		t.Fatalf("Verify failed (%v) but its Result still verifies", err)
	}
	if !errors.Is(verr, ErrMalformed) {
		t.Fatalf("Verify failed (%v); Result.Verify = %v, want ErrMalformed", err, verr)
	}
}
