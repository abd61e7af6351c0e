package httpsig

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha512"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Public test keys and vectors from RFC 9421 (HTTP Message Signatures).
// The keys are published in the RFC for testing only (Appendix B.1.1
// "test-key-rsa", PKCS#1 public key; B.1.2 "test-key-rsa-pss", PKIX).

const rfc9421TestKeyRSA = `-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsPBRrw
WEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsdJKFq
MGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75jfZg
kne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKIlE0P
uKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZSFlQ
PSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQAB
-----END RSA PUBLIC KEY-----`

const rfc9421TestKeyRSAPSS = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----`

// rfcTestRequest is the RFC's "test-request" message (Appendix B.2).
func rfcTestRequest(target, host string) *http.Request {
	r := httptest.NewRequest("POST", target, strings.NewReader(`{"hello": "world"}`))
	r.Host = host
	r.Header.Set("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:")
	r.Header.Set("Content-Length", "18")
	return r
}

var rfcBody = []byte(`{"hello": "world"}`)

// RFC 9421 §4.3 (multiple signatures): the proxy's "proxy_sig" is the RFC's
// only rsa-v1_5-sha256 example. PKCS#1 v1.5 is deterministic, so this pins
// our signature base byte for byte. The message also carries the client's
// ECDSA "sig1", exercising label selection.
func TestRFC9421Section4_3RSAv15(t *testing.T) {
	pub, err := ParsePublicKeyPEM([]byte(rfc9421TestKeyRSA))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(target string) *http.Request {
		r := rfcTestRequest(target, "origin.host.internal.example")
		r.Header.Set("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
		r.Header.Set("Forwarded", "for=192.0.2.123;host=example.com;proto=https")
		r.Header.Set("Signature-Input", `sig1=("@method" "@authority" "@path" "content-digest" "content-type" "content-length");created=1618884475;keyid="test-key-ecc-p256", proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540`)
		r.Header.Set("Signature", `sig1=:X5spyd6CFnAG5QnDyHfqoSNICd+BUP4LYMz2Q0JXlb//4Ijpzp+kve2w4NIyqeAuM7jTDX+sNalzA8ESSaHD3A==:, proxy_sig=:S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+MjniOaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tSFu7LB5YAv0RAGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6NMNk93wUs/vfJvye+YuI87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==:`)
		return r
	}
	o := VerifyOptions{Now: at(time.Unix(1618884490, 0)), Label: "proxy_sig"}

	// The RFC's message has "?param=Value&Pet=dog", which proxy_sig does
	// not cover; our policy refuses uncovered queries.
	if _, err := Verify(mk("/foo?param=Value&Pet=dog"), rfcBody, o); !errors.Is(err, ErrMissingComponent) {
		t.Fatalf("uncovered query: err = %v, want ErrMissingComponent", err)
	}
	// Without the query the signature base is unchanged (no component
	// depends on it), so the RFC's signature must verify.
	res, err := Verify(mk("/foo"), rfcBody, o)
	if err != nil {
		t.Fatal(err)
	}
	wantBase := `"@method": POST
"@authority": origin.host.internal.example
"@path": /foo
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"content-type": application/json
"content-length": 18
"forwarded": for=192.0.2.123;host=example.com;proto=https
"@signature-params": ("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540`
	if string(res.base) != wantBase {
		t.Fatalf("base =\n%s\nwant\n%s", res.base, wantBase)
	}
	if res.KeyID != "test-key-rsa" || res.Label != "proxy_sig" || res.Algorithm != "rsa-v1_5-sha256" {
		t.Errorf("res = %+v", res)
	}
	if err := res.Verify(pub); err != nil {
		t.Fatalf("RFC 9421 §4.3 proxy_sig: %v", err)
	}
	// After expires (1618884540) plus skew it is refused.
	o.Now = at(time.Unix(1618884540, 0).Add(2 * time.Hour))
	if _, err := Verify(mk("/foo"), rfcBody, o); !errors.Is(err, ErrDateOutOfRange) {
		t.Fatalf("expired: err = %v", err)
	}
}

// RFC 9421 Appendix B.2.3 (full coverage, rsa-pss-sha512, no alg
// parameter). PSS is randomised, so only verification can be checked; it
// still pins the base: date, @path, @query, @authority, multi-component
// ordering and the alg-less key inference.
func TestRFC9421AppendixB23(t *testing.T) {
	pub, err := ParsePublicKeyPEM([]byte(rfc9421TestKeyRSAPSS))
	if err != nil {
		t.Fatal(err)
	}
	r := rfcTestRequest("/foo?param=Value&Pet=dog", "example.com")
	r.Header.Set("Signature-Input", `sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`)
	r.Header.Set("Signature", `sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:`)
	res, err := Verify(r, rfcBody, VerifyOptions{Now: at(time.Unix(1618884473, 0))})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Verify(pub); err != nil {
		t.Fatalf("RFC 9421 B.2.3: %v", err)
	}
	r.Header.Set("Content-Type", "text/plain")
	res, _ = Verify(r, rfcBody, VerifyOptions{Now: at(time.Unix(1618884473, 0))})
	if err := res.Verify(pub); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("altered content-type: err = %v", err)
	}
}

// RFC 9421 Appendix B.2.1 (minimal signature, empty component list, extra
// nonce parameter). Our policy rightly refuses an empty component list, so
// the base builder and serializer are checked directly.
func TestRFC9421AppendixB21(t *testing.T) {
	pub, err := ParsePublicKeyPEM([]byte(rfc9421TestKeyRSAPSS))
	if err != nil {
		t.Fatal(err)
	}
	r := rfcTestRequest("/foo?param=Value&Pet=dog", "example.com")
	r.Header.Set("Signature-Input", `sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`)
	r.Header.Set("Signature", `sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:`)
	if _, err := Verify(r, rfcBody, VerifyOptions{Now: at(time.Unix(1618884473, 0))}); !errors.Is(err, ErrMissingComponent) {
		t.Fatalf("empty component list: err = %v, want ErrMissingComponent", err)
	}
	in, _ := parseSFDictionary(r.Header.Get("Signature-Input"))
	sigs, _ := parseSFDictionary(r.Header.Get("Signature"))
	base, err := rfc9421Base(r, in[0].list, in[0].params, "https")
	if err != nil {
		t.Fatal(err)
	}
	want := `"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`
	if base != want {
		t.Fatalf("base = %q", base)
	}
	h := sha512.Sum512([]byte(base))
	if err := rsa.VerifyPSS(pub, crypto.SHA512, h[:], sigs[0].item.val.([]byte), nil); err != nil {
		t.Fatalf("RFC 9421 B.2.1: %v", err)
	}
}

func TestSFParser(t *testing.T) {
	for _, bad := range []string{
		`a=(`, `a=("x"`, `A=1`, `a=1,`, `a=1 b=2`, `a="\x"`, `a=:@@:`, `a=1234567890123456`, `a=?2`,
	} {
		if _, err := parseSFDictionary(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	d, err := parseSFDictionary(`a=("x";p=1 "y");k="v\"q";n=-3;t=tok/en;b, c=?0, a=2`)
	if err != nil {
		t.Fatal(err)
	}
	// Duplicate key: last value wins, first position kept (RFC 8941).
	if len(d) != 2 || d[0].key != "a" || d[0].isList || d[0].item.val.(int64) != 2 {
		t.Fatalf("d = %+v", d)
	}
	d, _ = parseSFDictionary(`a=("x";p=1 "y");k="v\"q";n=-3;t=tok/en;b;d=1.5`)
	if got := serializeInnerList(d[0].list, d[0].params); got != `("x";p=1 "y");k="v\"q";n=-3;t=tok/en;b;d=1.5` {
		t.Errorf("serialize = %s", got)
	}
}
