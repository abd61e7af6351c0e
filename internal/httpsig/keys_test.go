package httpsig

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPEMRoundTrip(t *testing.T) {
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if k.N.BitLen() != 2048 {
		t.Errorf("bits = %d", k.N.BitLen())
	}
	privPEM, err := EncodePrivateKeyPEM(k)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := EncodePublicKeyPEM(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pubPEM), "-----BEGIN PUBLIC KEY-----\n") {
		t.Errorf("public PEM type: %s", pubPEM[:30])
	}
	k2, err := ParsePrivateKeyPEM(privPEM)
	if err != nil || !k2.Equal(k) {
		t.Fatalf("private round trip: %v", err)
	}
	p2, err := ParsePublicKeyPEM(pubPEM)
	if err != nil || !p2.Equal(&k.PublicKey) {
		t.Fatalf("public round trip: %v", err)
	}
	// PKCS#1 private key (the fixed test key) and PKCS#1 public key (RFC 9421).
	if _, err := ParsePrivateKeyPEM([]byte(testKeyPEM)); err != nil {
		t.Errorf("PKCS#1 private: %v", err)
	}
	if _, err := ParsePublicKeyPEM([]byte(rfc9421TestKeyRSA)); err != nil {
		t.Errorf("PKCS#1 public: %v", err)
	}
}

func TestPEMErrors(t *testing.T) {
	ed := "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n"
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrMalformed},
		{"not pem", ErrMalformed},
		{"-----BEGIN PUBLIC KEY-----AAAAA-----END PUBLIC KEY-----", ErrMalformed}, // redacted fixtures use this
		{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", ErrMalformed},
		{ed, ErrUnsupportedAlgorithm},
	} {
		if _, err := ParsePublicKeyPEM([]byte(tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("%q: err = %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestKeyIDOrigin(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://a.example/users/x#main-key", "https://a.example"},
		{"https://a.example/users/x/main-key", "https://a.example"},
		{"https://A.Example:443/users/x", "https://a.example"},
		{"https://a.example:8443/users/x", "https://a.example:8443"},
		{"http://a.example:80/k", "http://a.example"},
		{"https://[2001:db8::1]/k", "https://[2001:db8::1]"},
		{"https://[2001:db8::1]:8443/k", "https://[2001:db8::1]:8443"},
	} {
		got, err := KeyIDOrigin(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("KeyIDOrigin(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"acct:x@a.example", "a.example/users/x", "https://evil.example@a.example/k", "https:///k", "%%"} {
		if _, err := KeyIDOrigin(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("KeyIDOrigin(%q) err = %v", bad, err)
		}
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://a.example/users/x#main-key", "https://a.example/users/x", true},
		{"https://a.example/users/x#main-key", "https://b.example/users/x", false},
		{"https://a.example/users/x#main-key", "http://a.example/users/x", false},
		{"https://a.example:8443/k", "https://a.example/users/x", false},
		{"https://a.example.evil/k", "https://a.example/users/x", false},
	} {
		same, err := SameOrigin(tc.a, tc.b)
		if err != nil || same != tc.same {
			t.Errorf("SameOrigin(%q, %q) = %v, %v", tc.a, tc.b, same, err)
		}
	}
}

// TestFixturePublicKeys parses every publicKeyPem in the shared ActivityPub
// fixtures, which were captured from real servers.
func TestFixturePublicKeys(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "activitypub")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("fixtures not available at %s: %v", dir, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	parsed := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			continue // not our concern here
		}
		for _, pem := range findPEMs(doc) {
			_, err := ParsePublicKeyPEM([]byte(pem))
			// Some fixture authors redacted the key to "AAAAA"; those
			// must fail cleanly as malformed, never panic.
			if strings.Contains(pem, "AAAAA-----END") {
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("%s: redacted key: err = %v", f, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			parsed++
		}
	}
	if parsed == 0 {
		t.Skip("no publicKeyPem found in fixtures")
	}
	t.Logf("parsed %d fixture public keys", parsed)
}

func findPEMs(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "publicKeyPem" {
				out = append(out, s)
			} else {
				out = append(out, findPEMs(x)...)
			}
		}
	case []any:
		for _, x := range v {
			out = append(out, findPEMs(x)...)
		}
	}
	return out
}
