package httpsig

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var (
	fixedNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	keyID    = "https://a.example/users/alice#main-key"
	noteBody = []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","actor":"https://a.example/users/alice"}`)
)

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

// outgoing builds a client-side request as the delivery code would.
func outgoing(t testing.TB, method string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, "https://b.example/users/bob/inbox", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/activity+json")
	if body == nil {
		r.URL.Path = "/users/bob/outbox"
		r.Header.Set("Accept", "application/activity+json")
	}
	return r
}

// received turns a signed client request into what a server handler sees:
// Host moved to r.Host, RequestURI set, no scheme on r.URL.
func received(t testing.TB, out *http.Request) *http.Request {
	t.Helper()
	in := httptest.NewRequest(out.Method, out.URL.RequestURI(), nil)
	in.Host = out.URL.Host
	for k, v := range out.Header {
		in.Header[k] = append([]string(nil), v...)
	}
	return in
}

func signReceived(t testing.TB, scheme Scheme, method string, body []byte, o SignOptions) *http.Request {
	t.Helper()
	key, _ := testKeys(t)
	out := outgoing(t, method, body)
	if o.Now.IsZero() {
		o.Now = fixedNow
	}
	if err := SignWith(out, keyID, key, scheme, body, o); err != nil {
		t.Fatal(err)
	}
	return received(t, out)
}

func TestRoundTrip(t *testing.T) {
	key, other := testKeys(t)
	for _, scheme := range []Scheme{Cavage, RFC9421} {
		for _, tc := range []struct {
			method string
			body   []byte
		}{{"POST", noteBody}, {"GET", nil}} {
			t.Run(fmt.Sprintf("%v/%s", scheme, tc.method), func(t *testing.T) {
				r := signReceived(t, scheme, tc.method, tc.body, SignOptions{})
				res, err := Verify(r, tc.body, VerifyOptions{Now: at(fixedNow.Add(time.Minute))})
				if err != nil {
					t.Fatalf("Verify: %v\nheaders: %v", err, r.Header)
				}
				if res.Scheme != scheme || res.KeyID != keyID || !res.Created.Equal(fixedNow) {
					t.Errorf("result = %+v", res)
				}
				if err := res.Verify(&key.PublicKey); err != nil {
					t.Errorf("Result.Verify: %v", err)
				}
				// Key rotation flow: the cached key fails, the re-fetched
				// one succeeds on the same Result.
				if err := res.Verify(&other.PublicKey); !errors.Is(err, ErrBadSignature) {
					t.Errorf("wrong key: err = %v, want ErrBadSignature", err)
				}
				if err := res.Verify(&key.PublicKey); err != nil {
					t.Errorf("second Verify after failure: %v", err)
				}
			})
		}
	}
}

// TestCavageKnownVector rebuilds the signing string by hand, independently
// of the package, and checks Sign produced exactly that signature
// (PKCS#1 v1.5 is deterministic), then verifies a hand-assembled request.
func TestCavageKnownVector(t *testing.T) {
	key, _ := testKeys(t)
	r := outgoing(t, "POST", noteBody)
	if err := Sign(r, keyID, key, Cavage, noteBody); err != nil {
		t.Fatal(err)
	}
	date := r.Header.Get("Date")
	if _, err := time.Parse(http.TimeFormat, date); err != nil {
		t.Fatalf("Date %q not in http.TimeFormat: %v", date, err)
	}
	sum := sha256.Sum256(noteBody)
	wantDigest := "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
	if got := r.Header.Get("Digest"); got != wantDigest {
		t.Fatalf("Digest = %q, want %q", got, wantDigest)
	}
	signingString := "(request-target): post /users/bob/inbox\n" +
		"host: b.example\n" +
		"date: " + date + "\n" +
		"digest: " + wantDigest
	h := sha256.Sum256([]byte(signingString))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
	if err != nil {
		t.Fatal(err)
	}
	want := `keyId="` + keyID + `",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="` +
		base64.StdEncoding.EncodeToString(sig) + `"`
	if got := r.Header.Get("Signature"); got != want {
		t.Fatalf("Signature =\n%s\nwant\n%s", got, want)
	}

	// The same vector, assembled by hand on the receiving side with odd
	// header-name casing and spacing between parameters.
	in := httptest.NewRequest("POST", "/users/bob/inbox", bytes.NewReader(noteBody))
	in.Host = "b.example"
	in.Header["DATE"] = []string{date}
	in.Header.Set("digest", wantDigest)
	in.Header.Set("SIGNATURE", `keyId="`+keyID+`", algorithm="rsa-sha256", headers="(request-target) Host Date Digest", signature="`+
		base64.StdEncoding.EncodeToString(sig)+`"`)
	// "DATE" is not canonical so net/http's Get would miss it; servers
	// always canonicalise, so do that like the server would.
	in.Header = http.Header(cloneCanonical(in.Header))
	res, err := Verify(in, noteBody, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Verify(&key.PublicKey); err != nil {
		t.Fatal(err)
	}
}

func cloneCanonical(h http.Header) http.Header {
	out := http.Header{}
	for k, vs := range h {
		for _, v := range vs {
			out.Add(k, v)
		}
	}
	return out
}

// TestRFC9421KnownVector checks the exact Signature-Input and a signature
// over a hand-built signature base.
func TestRFC9421KnownVector(t *testing.T) {
	key, _ := testKeys(t)
	r := outgoing(t, "POST", noteBody)
	if err := SignWith(r, keyID, key, RFC9421, noteBody, SignOptions{Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(noteBody)
	cd := "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
	if got := r.Header.Get("Content-Digest"); got != cd {
		t.Fatalf("Content-Digest = %q, want %q", got, cd)
	}
	params := fmt.Sprintf(`("@method" "@target-uri" "content-digest");created=%d;keyid="%s";alg="rsa-v1_5-sha256"`, fixedNow.Unix(), keyID)
	if got := r.Header.Get("Signature-Input"); got != "sig1="+params {
		t.Fatalf("Signature-Input = %q", got)
	}
	base := "\"@method\": POST\n" +
		"\"@target-uri\": https://b.example/users/bob/inbox\n" +
		"\"content-digest\": " + cd + "\n" +
		"\"@signature-params\": " + params
	h := sha256.Sum256([]byte(base))
	sig, _ := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
	if got, want := r.Header.Get("Signature"), "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":"; got != want {
		t.Fatalf("Signature = %q, want %q", got, want)
	}
}

func TestSignatureInputSelectsRFC9421(t *testing.T) {
	// The two schemes share the Signature header name, so "both present"
	// means a Signature-Input exists: RFC 9421 is then used, never a silent
	// fall back to cavage parsing of the Signature header.
	key, _ := testKeys(t)
	r := signReceived(t, RFC9421, "POST", noteBody, SignOptions{})
	res, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow)})
	if err != nil || res.Scheme != RFC9421 {
		t.Fatalf("res=%+v err=%v", res, err)
	}
	if err := res.Verify(&key.PublicKey); err != nil {
		t.Fatal(err)
	}
	c := signReceived(t, Cavage, "POST", noteBody, SignOptions{})
	c.Header.Set("Signature-Input", r.Header.Get("Signature-Input"))
	res, err = Verify(c, noteBody, VerifyOptions{Now: at(fixedNow)})
	if res.Scheme != RFC9421 || !errors.Is(err, ErrMalformed) {
		t.Fatalf("cavage Signature with Signature-Input: scheme=%v err=%v", res.Scheme, err)
	}
}

func TestMissingSignature(t *testing.T) {
	r := httptest.NewRequest("POST", "/inbox", nil)
	if _, err := Verify(r, nil, VerifyOptions{}); !errors.Is(err, ErrMissingSignature) {
		t.Fatalf("err = %v", err)
	}
}

func TestTampering(t *testing.T) {
	key, _ := testKeys(t)
	now := at(fixedNow.Add(time.Minute))
	for _, scheme := range []Scheme{Cavage, RFC9421} {
		cases := []struct {
			name    string
			mutate  func(r *http.Request) []byte // returns body to verify with
			wantPre error                        // from Verify
			wantSig error                        // from Result.Verify
			opts    VerifyOptions
		}{
			{"body changed", func(r *http.Request) []byte { return []byte(`{"type":"Delete"}`) }, ErrDigestMismatch, nil, VerifyOptions{}},
			{"path changed", func(r *http.Request) []byte { r.RequestURI = "/users/carol/inbox"; return noteBody }, nil, ErrBadSignature, VerifyOptions{}},
			{"host changed", func(r *http.Request) []byte { r.Host = "c.example"; return noteBody }, nil, ErrBadSignature, VerifyOptions{}},
			{"method changed", func(r *http.Request) []byte { r.Method = "PUT"; return noteBody }, nil, ErrBadSignature, VerifyOptions{}},
			{"digest header removed", func(r *http.Request) []byte {
				r.Header.Del("Digest")
				r.Header.Del("Content-Digest")
				return noteBody
			}, ErrMissingComponent, nil, VerifyOptions{}},
			{"digest header swapped consistently", func(r *http.Request) []byte {
				b := []byte(`{"evil":true}`)
				if r.Header.Get("Digest") != "" {
					r.Header.Set("Digest", DigestHeader(b))
				} else {
					r.Header.Set("Content-Digest", ContentDigestHeader(b))
				}
				return b
			}, nil, ErrBadSignature, VerifyOptions{}},
			{"too old", func(r *http.Request) []byte { return noteBody }, ErrDateOutOfRange, nil, VerifyOptions{Now: at(fixedNow.Add(13*time.Hour + time.Second))}},
			{"in the future", func(r *http.Request) []byte { return noteBody }, ErrDateOutOfRange, nil, VerifyOptions{Now: at(fixedNow.Add(-61 * time.Minute))}},
			{"custom skew", func(r *http.Request) []byte { return noteBody }, ErrDateOutOfRange, nil, VerifyOptions{Now: at(fixedNow.Add(10 * time.Minute)), MaxAge: 5 * time.Minute, ClockSkew: time.Minute}},
			{"signature bytes flipped", func(r *http.Request) []byte {
				s := r.Header.Get("Signature")
				i := strings.LastIndex(s, "=") - 6
				c := byte('A')
				if s[i] == 'A' {
					c = 'B'
				}
				r.Header.Set("Signature", s[:i]+string(c)+s[i+1:])
				return noteBody
			}, nil, ErrBadSignature, VerifyOptions{}},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s", scheme, tc.name), func(t *testing.T) {
				r := signReceived(t, scheme, "POST", noteBody, SignOptions{})
				body := tc.mutate(r)
				o := tc.opts
				if o.Now == nil {
					o.Now = now
				}
				res, err := Verify(r, body, o)
				if tc.wantPre != nil {
					if !errors.Is(err, tc.wantPre) {
						t.Fatalf("Verify err = %v, want %v", err, tc.wantPre)
					}
					if err := res.Verify(&key.PublicKey); err == nil {
						t.Fatal("Result.Verify succeeded after Verify failed")
					}
					return
				}
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if err := res.Verify(&key.PublicKey); !errors.Is(err, tc.wantSig) {
					t.Fatalf("Result.Verify err = %v, want %v", err, tc.wantSig)
				}
			})
		}
	}
}

func TestDateWindowEdges(t *testing.T) {
	// Mastodon: valid for 12h after Date, plus 1h of skew either way.
	r := signReceived(t, Cavage, "GET", nil, SignOptions{})
	for _, tc := range []struct {
		offset time.Duration
		ok     bool
	}{
		{-time.Hour, true}, {-time.Hour - time.Second, false},
		{13 * time.Hour, true}, {13*time.Hour + time.Second, false},
	} {
		_, err := Verify(r, nil, VerifyOptions{Now: at(fixedNow.Add(tc.offset))})
		if (err == nil) != tc.ok {
			t.Errorf("now=Date%+v: err = %v, want ok=%v", tc.offset, err, tc.ok)
		}
	}
}

func TestRFC9421Expires(t *testing.T) {
	r := signReceived(t, RFC9421, "POST", noteBody, SignOptions{Expires: 5 * time.Minute})
	if _, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow.Add(4 * time.Minute))}); err != nil {
		t.Fatal(err)
	}
	_, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow.Add(10 * time.Minute)), ClockSkew: time.Minute})
	if !errors.Is(err, ErrDateOutOfRange) {
		t.Fatalf("err = %v, want ErrDateOutOfRange", err)
	}
}

// cavageRequest builds a received request carrying a hand-made cavage
// signature over the given headers, signed with key.
func cavageRequest(t *testing.T, key *rsa.PrivateKey, method, alg string, headers []string, created, expires string, body []byte) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "/users/bob/inbox?page=1", bytes.NewReader(body))
	r.Host = "b.example"
	r.Header.Set("Date", fixedNow.Format(http.TimeFormat))
	if body != nil {
		r.Header.Set("Digest", DigestHeader(body))
	}
	ss, err := cavageSigningString(r, headers, created, expires)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte(ss))
	sig, _ := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
	v := `keyId="` + keyID + `"`
	if alg != "" {
		v += `,algorithm="` + alg + `"`
	}
	if created != "" {
		v += ",created=" + created
	}
	if expires != "" {
		v += ",expires=" + expires
	}
	v += `,headers="` + strings.Join(headers, " ") + `",signature="` + base64.StdEncoding.EncodeToString(sig) + `"`
	r.Header.Set("Signature", v)
	return r
}

func TestHS2019CreatedExpires(t *testing.T) {
	key, _ := testKeys(t)
	created := fmt.Sprint(fixedNow.Unix())
	expires := fmt.Sprint(fixedNow.Add(5*time.Minute).Unix()) + ".5" // fractional per draft
	hdrs := []string{"(request-target)", "(created)", "(expires)", "host", "digest"}
	r := cavageRequest(t, key, "POST", "hs2019", hdrs, created, expires, noteBody)

	res, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow.Add(time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created.Equal(fixedNow) || res.Expires.Unix() != fixedNow.Add(5*time.Minute).Unix() {
		t.Errorf("created=%v expires=%v", res.Created, res.Expires)
	}
	if err := res.Verify(&key.PublicKey); err != nil {
		t.Fatal(err)
	}
	// (request-target) must include the query string.
	if !strings.Contains(string(res.base), "(request-target): post /users/bob/inbox?page=1\n(created): "+created) {
		t.Errorf("signing string:\n%s", res.base)
	}
	// Expired.
	if _, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow.Add(2 * time.Hour))}); !errors.Is(err, ErrDateOutOfRange) {
		t.Errorf("expired: err = %v", err)
	}
	// (created) with rsa-sha256 is an error per draft-cavage-12.
	r = cavageRequest(t, key, "POST", "rsa-sha256", hdrs, created, expires, noteBody)
	if _, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow)}); !errors.Is(err, ErrMalformed) {
		t.Errorf("rsa-sha256 with (created): err = %v", err)
	}
	// Missing algorithm behaves like hs2019.
	r = cavageRequest(t, key, "POST", "", hdrs, created, expires, noteBody)
	if res, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow)}); err != nil {
		t.Errorf("no algorithm: %v", err)
	} else if err := res.Verify(&key.PublicKey); err != nil {
		t.Errorf("no algorithm: %v", err)
	}
}

func TestHS2019AcceptsPSS(t *testing.T) {
	key, _ := testKeys(t)
	r := httptest.NewRequest("GET", "/users/bob", nil)
	r.Host = "b.example"
	r.Header.Set("Date", fixedNow.Format(http.TimeFormat))
	hdrs := []string{"(request-target)", "host", "date"}
	ss, _ := cavageSigningString(r, hdrs, "", "")
	h := sha512Sum([]byte(ss))
	sig, err := rsa.SignPSS(randReader{}, key, crypto.SHA512, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Signature", `keyId="`+keyID+`",algorithm="hs2019",headers="(request-target) host date",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	res, err := Verify(r, nil, VerifyOptions{Now: at(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Verify(&key.PublicKey); err != nil {
		t.Fatalf("hs2019 PSS: %v", err)
	}
	// The same PSS signature labelled rsa-sha256 must not pass.
	r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "hs2019", "rsa-sha256", 1))
	res, _ = Verify(r, nil, VerifyOptions{Now: at(fixedNow)})
	if err := res.Verify(&key.PublicKey); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("rsa-sha256 with PSS signature: err = %v", err)
	}
}

func TestRequiredComponents(t *testing.T) {
	key, _ := testKeys(t)
	for _, tc := range []struct {
		name    string
		method  string
		headers []string
		body    []byte
		want    error
	}{
		{"post ok", "POST", []string{"(request-target)", "host", "date", "digest"}, noteBody, nil},
		{"post no digest", "POST", []string{"(request-target)", "host", "date"}, noteBody, ErrMissingComponent},
		{"post no host", "POST", []string{"(request-target)", "date", "digest"}, noteBody, ErrMissingComponent},
		{"post no target", "POST", []string{"host", "date", "digest"}, noteBody, ErrMissingComponent},
		{"post no date", "POST", []string{"(request-target)", "host", "digest"}, noteBody, ErrMissingComponent},
		{"get ok", "GET", []string{"(request-target)", "host", "date"}, nil, nil},
		{"get with accept", "GET", []string{"(request-target)", "host", "date", "accept"}, nil, ErrMissingComponent}, // accept absent
		{"duplicate", "GET", []string{"(request-target)", "host", "date", "host"}, nil, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r *http.Request
			if tc.name == "get with accept" {
				// cavageSigningString itself refuses absent headers, so
				// sign with accept present and remove it afterwards.
				r = httptest.NewRequest("GET", "/x", nil)
				r.Host = "b.example"
				r.Header.Set("Date", fixedNow.Format(http.TimeFormat))
				r.Header.Set("Signature", `keyId="k",algorithm="rsa-sha256",headers="(request-target) host date accept",signature="AAAA"`)
			} else {
				r = cavageRequest(t, key, tc.method, "rsa-sha256", tc.headers, "", "", tc.body)
			}
			_, err := Verify(r, tc.body, VerifyOptions{Now: at(fixedNow)})
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRFC9421Policy(t *testing.T) {
	key, _ := testKeys(t)
	mk := func(method, target string, comps string, params string, body []byte) *http.Request {
		r := httptest.NewRequest(method, target, nil)
		r.Host = "b.example"
		if body != nil {
			r.Header.Set("Content-Digest", ContentDigestHeader(body))
		}
		r.Header.Set("Signature-Input", "sig1=("+comps+")"+params)
		r.Header.Set("Signature", "sig1=:AAAA:")
		return r
	}
	p := fmt.Sprintf(`;created=%d;keyid="%s"`, fixedNow.Unix(), keyID)
	for _, tc := range []struct {
		name string
		r    *http.Request
		body []byte
		want error
	}{
		{"ok target-uri", mk("POST", "/inbox", `"@method" "@target-uri" "content-digest"`, p, noteBody), noteBody, nil},
		{"ok authority+path", mk("POST", "/inbox", `"@method" "@authority" "@path" "content-digest"`, p, noteBody), noteBody, nil},
		{"query not covered", mk("GET", "/inbox?x=1", `"@method" "@authority" "@path"`, p, nil), nil, ErrMissingComponent},
		{"no method", mk("POST", "/inbox", `"@target-uri" "content-digest"`, p, noteBody), noteBody, ErrMissingComponent},
		{"no digest", mk("POST", "/inbox", `"@method" "@target-uri"`, p, noteBody), noteBody, ErrMissingComponent},
		{"no created", mk("GET", "/inbox", `"@method" "@target-uri"`, `;keyid="k"`, nil), nil, ErrMissingComponent},
		{"no keyid", mk("GET", "/inbox", `"@method" "@target-uri"`, fmt.Sprintf(";created=%d", fixedNow.Unix()), nil), nil, ErrMalformed},
		{"bad alg", mk("GET", "/inbox", `"@method" "@target-uri"`, p+`;alg="ecdsa-p256-sha256"`, nil), nil, ErrUnsupportedAlgorithm},
		{"hmac alg", mk("GET", "/inbox", `"@method" "@target-uri"`, p+`;alg="hmac-sha256"`, nil), nil, ErrUnsupportedAlgorithm},
		{"created as string", mk("GET", "/inbox", `"@method" "@target-uri"`, `;created="1";keyid="k"`, nil), nil, ErrMalformed},
		{"uppercase component", mk("GET", "/inbox", `"@method" "@target-uri" "Accept"`, p, nil), nil, ErrMalformed},
		{"component params", mk("GET", "/inbox", `"@method" "@target-uri" "accept";sf`, p, nil), nil, ErrMalformed},
		{"duplicate component", mk("GET", "/inbox", `"@method" "@target-uri" "@method"`, p, nil), nil, ErrMalformed},
		{"absent header", mk("GET", "/inbox", `"@method" "@target-uri" "accept"`, p, nil), nil, ErrMissingComponent},
		{"not a list", nil, nil, ErrMalformed},
		{"sha-512 digest", nil, noteBody, nil},
		{"unknown digest only", nil, noteBody, ErrUnsupportedAlgorithm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			switch tc.name {
			case "not a list":
				r = mk("GET", "/inbox", "", p, nil)
				r.Header.Set("Signature-Input", `sig1="x"`)
			case "sha-512 digest":
				r = mk("POST", "/inbox", `"@method" "@target-uri" "content-digest"`, p, noteBody)
				r.Header.Set("Content-Digest", "sha-512=:"+base64.StdEncoding.EncodeToString(sha512Sum(noteBody))+":")
			case "unknown digest only":
				r = mk("POST", "/inbox", `"@method" "@target-uri" "content-digest"`, p, noteBody)
				r.Header.Set("Content-Digest", "md5=:AAAA:")
			}
			_, err := Verify(r, tc.body, VerifyOptions{Now: at(fixedNow)})
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	_ = key
}

func TestMalformedCavage(t *testing.T) {
	for _, v := range []string{
		`keyId="k",headers="(request-target) host date",signature="AAAA`, // unterminated
		`keyId="k",keyId="evil",headers="(request-target) host date",signature="AAAA"`,
		`keyId="k" headers="(request-target) host date",signature="AAAA"`,
		`keyId=k,headers="(request-target) host date",signature="AAAA"`,
		`keyId="k",headers="(request-target) host date",signature="***"`,
		`keyId="k",headers="(request-target) host date"`,
		`headers="(request-target) host date",signature="AAAA"`,
		`keyId="k",headers="",signature="AAAA"`,
		`keyId="k",headers="(request-target) host date",signature="AAAA",`,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Date", fixedNow.Format(http.TimeFormat))
		r.Header.Set("Signature", v)
		if _, err := Verify(r, nil, VerifyOptions{Now: at(fixedNow)}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", v, err)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Signature", `keyId="k",algorithm="ed25519",headers="(request-target) host date",signature="AAAA"`)
	if _, err := Verify(r, nil, VerifyOptions{}); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("ed25519: err = %v", err)
	}
	r.Header.Add("Signature", `keyId="k2"`)
	if _, err := Verify(r, nil, VerifyOptions{}); !errors.Is(err, ErrMalformed) {
		t.Errorf("two Signature lines: err = %v", err)
	}
}

func TestHeaderSizeBound(t *testing.T) {
	r := signReceived(t, Cavage, "POST", noteBody, SignOptions{})
	r.Header.Set("Signature", r.Header.Get("Signature")+strings.Repeat(" ", DefaultMaxHeaderBytes))
	_, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow)})
	if !errors.Is(err, ErrHeaderTooLarge) || !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrHeaderTooLarge (an ErrMalformed)", err)
	}
	r = signReceived(t, RFC9421, "POST", noteBody, SignOptions{})
	for range 100 {
		r.Header.Add("Signature-Input", `x=("@method");created=1;keyid="`+strings.Repeat("k", 80)+`"`)
	}
	if _, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow)}); !errors.Is(err, ErrHeaderTooLarge) {
		t.Fatalf("split over lines: err = %v", err)
	}
	if _, err := Verify(r, noteBody, VerifyOptions{Now: at(fixedNow), MaxHeaderBytes: 1 << 20}); err != nil {
		t.Fatalf("raised limit: %v", err)
	}
}

func TestMultiValueHeaderJoin(t *testing.T) {
	key, _ := testKeys(t)
	r := outgoing(t, "GET", nil)
	r.Header.Add("Accept", "application/ld+json")
	if err := SignWith(r, keyID, key, Cavage, nil, SignOptions{Now: fixedNow, Headers: []string{"accept"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Header.Get("Signature"), `headers="(request-target) host date accept"`) {
		t.Fatalf("Signature = %s", r.Header.Get("Signature"))
	}
	in := received(t, r)
	res, err := Verify(in, nil, VerifyOptions{Now: at(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(res.base), "accept: application/activity+json, application/ld+json") {
		t.Errorf("signing string:\n%s", res.base)
	}
	if err := res.Verify(&key.PublicKey); err != nil {
		t.Fatal(err)
	}
}

func TestSignAttachesBodyAndClearsStaleHeaders(t *testing.T) {
	key, _ := testKeys(t)
	r := outgoing(t, "POST", noteBody)
	if err := Sign(r, keyID, key, RFC9421, noteBody); err != nil {
		t.Fatal(err)
	}
	// Double-knock: re-sign the same request with cavage.
	if err := Sign(r, keyID, key, Cavage, noteBody); err != nil {
		t.Fatal(err)
	}
	if r.Header.Get("Signature-Input") != "" {
		t.Error("stale Signature-Input left behind")
	}
	if r.ContentLength != int64(len(noteBody)) || r.GetBody == nil {
		t.Error("body not attached")
	}
	res, err := Verify(received(t, r), noteBody, VerifyOptions{})
	if err != nil || res.Scheme != Cavage {
		t.Fatalf("res=%+v err=%v", res, err)
	}
	if err := Sign(r, "bad\"id", key, Cavage, nil); err == nil {
		t.Error("key id with quote accepted")
	}
}

// TestEndToEndHTTP goes through a real net/http server so header casing,
// Host handling and RequestURI are what production sees.
func TestEndToEndHTTP(t *testing.T) {
	key, _ := testKeys(t)
	for _, scheme := range []Scheme{Cavage, RFC9421} {
		var gotErr error
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := new(bytes.Buffer)
			body.ReadFrom(r.Body)
			res, err := Verify(r, body.Bytes(), VerifyOptions{Scheme: "http"})
			if err == nil {
				err = res.Verify(&key.PublicKey)
			}
			gotErr = err
		}))
		req, _ := http.NewRequest("POST", srv.URL+"/users/bob/inbox?x=%2F", nil)
		if err := Sign(req, keyID, key, scheme, noteBody); err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if gotErr != nil {
			t.Errorf("%v: %v", scheme, gotErr)
		}
	}
}

// Misskey, Pleroma and Akkoma sign (request-target) with the path only,
// leaving the query out; such a signature verifies (as on Mastodon and
// GoToSocial), and still binds the path: moved to another path, it fails.
func TestCavageTargetWithoutQuery(t *testing.T) {
	key, _ := testKeys(t)
	headers := []string{"(request-target)", "host", "date"}
	r := httptest.NewRequest("GET", "/users/bob/statuses/1/replies?page=true", nil)
	r.Host = "b.example"
	r.Header.Set("Date", fixedNow.Format(http.TimeFormat))
	ss := "(request-target): get /users/bob/statuses/1/replies\nhost: b.example\ndate: " + r.Header.Get("Date")
	h := sha256.Sum256([]byte(ss))
	sig, _ := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
	r.Header.Set("Signature", `keyId="`+keyID+`",algorithm="rsa-sha256",headers="`+strings.Join(headers, " ")+`",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	res, err := Verify(r, nil, VerifyOptions{Now: at(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Verify(&key.PublicKey); err != nil {
		t.Fatalf("a path-only signature of a request with a query: %v", err)
	}
	moved := r.Clone(r.Context())
	moved.RequestURI = "/users/bob/statuses/2/replies?page=true"
	res, err = Verify(moved, nil, VerifyOptions{Now: at(fixedNow)})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Verify(&key.PublicKey); err == nil {
		t.Fatal("a path-only signature verified for another path")
	}
}
