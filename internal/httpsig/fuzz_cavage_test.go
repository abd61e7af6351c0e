package httpsig

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The cavage fuzzer mutates one POST to https://b.example, signed at
// fixedNow by the package's fixed test key and verified a minute later.
// Every genuine signature in the seeds is over this request, so when a
// mutated request verifies with that key, the fuzzer can check that every
// covered part of the request still has its original value.
const (
	fzHost        = "b.example"
	fzTarget      = "/users/bob/inbox?page=1"
	fzContentType = "application/activity+json"
)

var fzNow = fixedNow.Add(time.Minute)

// fzCavageInput is one input of FuzzVerifyCavage.
type fzCavageInput struct{ target, date, digest, sig string }

// fzCavageOutgoing is the request as the sender builds it before signing.
func fzCavageOutgoing(t testing.TB) *http.Request {
	t.Helper()
	r, err := http.NewRequest("POST", "https://"+fzHost+fzTarget, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", fzContentType)
	return r
}

// fzCavageGenuine returns requests genuinely signed by the fixed test key,
// named for the corpus files: both SignWith outputs and hand-assembled
// hs2019 forms (created/expires, PSS, reordered parameters) that SignWith
// never produces but peers do send.
func fzCavageGenuine(t testing.TB) map[string]fzCavageInput {
	t.Helper()
	key, _ := testKeys(t)
	date := fixedNow.Format(http.TimeFormat)
	digest := DigestHeader(noteBody)
	out := map[string]fzCavageInput{}

	for name, o := range map[string]SignOptions{
		"signwith":              {Now: fixedNow},
		"signwith-content-type": {Now: fixedNow, Headers: []string{"Content-Type"}},
	} {
		r := fzCavageOutgoing(t)
		if err := SignWith(r, keyID, key, Cavage, noteBody, o); err != nil {
			t.Fatal(err)
		}
		out[name] = fzCavageInput{fzTarget, r.Header.Get("Date"), r.Header.Get("Digest"), r.Header.Get("Signature")}
	}

	// handSigned signs the cavage signing string of the outgoing request
	// for the given headers, PKCS#1 v1.5 or PSS.
	handSigned := func(headers []string, created, expires string, pss bool) string {
		r := fzCavageOutgoing(t)
		r.Header.Set("Date", date)
		r.Header.Set("Digest", digest)
		ss, err := cavageSigningString(r, headers, created, expires)
		if err != nil {
			t.Fatal(err)
		}
		var sig []byte
		if pss {
			sig, err = rsa.SignPSS(rand.Reader, key, crypto.SHA512, sha512Sum([]byte(ss)), nil)
		} else {
			sig, err = signPKCS1(key, ss)
		}
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(sig)
	}
	created := fmt.Sprint(fixedNow.Unix())
	expires := fmt.Sprint(fixedNow.Add(5*time.Minute).Unix()) + ".5" // fractional, as the draft allows
	withTimes := []string{"(request-target)", "(created)", "(expires)", "host", "digest"}
	out["hs2019-created-expires"] = fzCavageInput{fzTarget, date, digest, fmt.Sprintf(
		`keyId="%s",algorithm="hs2019",created=%s,expires=%s,headers="%s",signature="%s"`,
		keyID, created, expires, strings.Join(withTimes, " "), handSigned(withTimes, created, expires, false))}
	plain := []string{"(request-target)", "host", "date", "digest"}
	out["hs2019-pss"] = fzCavageInput{fzTarget, date, digest, fmt.Sprintf(
		`keyId="%s",algorithm="hs2019",headers="%s",signature="%s"`,
		keyID, strings.Join(plain, " "), handSigned(plain, "", "", true))}
	// Same signed content as "signwith", written differently: parameter
	// order, spacing, name case and no algorithm are all unsigned.
	out["reordered-no-algorithm"] = fzCavageInput{fzTarget, date, digest, fmt.Sprintf(
		` signature="%s" ,	headers="(request-target) Host DATE digest",KeyId="%s"`,
		handSigned(plain, "", "", false), keyID)}
	return out
}

// fzCavageMalformed returns edge cases around the genuine request: broken
// Signature syntax, bad timestamps, and one-byte changes in covered
// components that must not verify.
func fzCavageMalformed(t testing.TB, genuine map[string]fzCavageInput) map[string]fzCavageInput {
	t.Helper()
	g := genuine["signwith"]
	sigB64 := g.sig[strings.LastIndex(g.sig, `signature="`)+len(`signature="`) : len(g.sig)-1]
	withSig := func(s string) fzCavageInput { return fzCavageInput{g.target, g.date, g.digest, s} }
	hdrs := `headers="(request-target) host date digest"`
	sigParam := `signature="` + sigB64 + `"`
	k := `keyId="` + keyID + `"`
	out := map[string]fzCavageInput{
		"empty":                 withSig(""),
		"huge":                  withSig(strings.Repeat("keyId=", DefaultMaxHeaderBytes/6+1)),
		"huge-keyid-under-cap":  withSig(`keyId="` + strings.Repeat("k", DefaultMaxHeaderBytes-600) + `",` + hdrs + "," + sigParam),
		"unbalanced-quote":      withSig(`keyId="` + keyID + `,` + hdrs + "," + sigParam),
		"unterminated":          withSig(k + "," + hdrs + `,signature="` + sigB64),
		"trailing-backslash":    withSig(k + "," + hdrs + `,signature="\`),
		"escaped-quote-keyid":   withSig(`keyId="a\"b\\",` + hdrs + "," + sigParam),
		"duplicate-keyid":       withSig(k + `,KEYID="https://evil.example/k",` + hdrs + "," + sigParam),
		"duplicate-headers":     withSig(k + "," + hdrs + `,headers="(request-target) host date",` + sigParam),
		"duplicate-component":   withSig(k + `,headers="(request-target) host date digest host",` + sigParam),
		"non-ascii":             withSig(`keyId="https://bé.example/ключ",headers="(request-target) hoſt date digest",` + sigParam),
		"kelvin-sign-header":    withSig(k + ",headers=\"(request-target) host date digest \u212a\"," + sigParam),
		"empty-headers":         withSig(k + `,headers="",` + sigParam),
		"tabs-in-headers":       withSig(k + `,headers="(request-target)	host	date	digest",` + sigParam),
		"bad-base64":            withSig(k + "," + hdrs + `,signature="!!!"`),
		"unsupported-alg":       withSig(k + `,algorithm="ed25519",` + hdrs + "," + sigParam),
		"created-negative":      withSig(k + `,algorithm="hs2019",created=-1,` + hdrs + "," + sigParam),
		"created-negative-quot": withSig(k + `,algorithm="hs2019",created="-1",` + hdrs + "," + sigParam),
		"created-overflow":      withSig(k + `,algorithm="hs2019",created=99999999999999999999999999,` + hdrs + "," + sigParam),
		"created-nan":           withSig(k + `,algorithm="hs2019",created="NaN",headers="(request-target) (created) host digest",` + sigParam),
		"created-hexfloat":      withSig(k + `,algorithm="hs2019",created="0x1.98cp30",headers="(request-target) (created) host digest",` + sigParam),
		"expires-inf":           withSig(k + `,algorithm="hs2019",expires="1e400",` + hdrs + "," + sigParam),
		"expires-two-dots":      withSig(k + `,algorithm="hs2019",expires=1.2.3,` + hdrs + "," + sigParam),
		"expires-past":          withSig(k + `,algorithm="hs2019",expires=0,` + hdrs + "," + sigParam),
		"created-missing-value": withSig(k + `,algorithm="hs2019",headers="(request-target) (created) host digest",` + sigParam),
		"trailing-comma":        withSig(g.sig + ","),
		"two-lines":             withSig(g.sig + "\n" + g.sig),
		"only-equals":           withSig("="),
		"rfc9421-value":         withSig("sig1=:" + sigB64 + ":"),

		"target-absolute-form":   {"https://" + fzHost + fzTarget, g.date, g.digest, g.sig},
		"target-authority-case":  {"https://B.Example:443" + fzTarget, g.date, g.digest, g.sig},
		"target-one-byte":        {strings.Replace(fzTarget, "page=1", "page=2", 1), g.date, g.digest, g.sig},
		"target-empty-query":     {"/users/bob/inbox?", g.date, g.digest, g.sig},
		"target-asterisk":        {"*", g.date, g.digest, g.sig},
		"target-non-ascii":       {"/users/bob/inbox?page=é", g.date, g.digest, g.sig},
		"date-one-byte":          {g.target, strings.Replace(g.date, "12:00:00", "12:00:01", 1), g.digest, g.sig},
		"date-two-lines":         {g.target, g.date + "\n" + g.date, g.digest, g.sig},
		"date-far-future":        {g.target, "Fri, 31 Dec 9999 23:59:59 GMT", g.digest, g.sig},
		"date-non-ascii":         {g.target, "Wed, 01 Mai 2024 12:00:00 GMT\u00a0", g.digest, g.sig},
		"date-absent":            {g.target, "", g.digest, g.sig},
		"digest-one-byte":        {g.target, g.date, strings.Replace(g.digest, "SHA-256=", "SHA-257=", 1), g.sig},
		"digest-lower-case-alg":  {g.target, g.date, strings.Replace(g.digest, "SHA-256=", "sha-256=", 1), g.sig},
		"digest-unknown-alg":     {g.target, g.date, "MD5=" + g.digest[len("SHA-256="):], g.sig},
		"digest-extra-line":      {g.target, g.date, g.digest + "\nSHA-512=" + base64.StdEncoding.EncodeToString(sha512Sum(noteBody)), g.sig},
		"digest-no-equals":       {g.target, g.date, "SHA-256", g.sig},
		"digest-absent":          {g.target, g.date, "", g.sig},
		"all-empty":              {"", "", "", ""},
		"control-bytes-in-value": {g.target, g.date + "\x00", g.digest + "\x0b", g.sig},
	}
	return out
}

// FuzzVerifyCavage fuzzes the request target, Date, Digest and Signature of
// a POST. Verify must not panic; every error must wrap exactly one sentinel;
// a Result must never verify with a key other than the signer's; and when
// it verifies with the signer's key, each covered component must still have
// its signed value (for header values a server would deliver, as HTTP field
// values; for any value, at least never one byte away from the signed one).
func FuzzVerifyCavage(f *testing.F) {
	key, _ := testKeys(f)
	right := &key.PublicKey
	genuine := fzCavageGenuine(f)
	genuineName := map[fzCavageInput]string{}
	for name, in := range genuine {
		genuineName[in] = name
		f.Add(in.target, in.date, in.digest, in.sig)
	}
	for _, in := range fzCavageMalformed(f, genuine) {
		f.Add(in.target, in.date, in.digest, in.sig)
	}
	// And the RFC 9421 seeds' Signature values, which a confused peer
	// might send without Signature-Input.
	for _, in := range fz9421Genuine(f) {
		f.Add(fzTarget, fixedNow.Format(http.TimeFormat), DigestHeader(noteBody), in.sig)
	}
	wantDate := fixedNow.Format(http.TimeFormat)
	wantDigest := DigestHeader(noteBody)

	f.Fuzz(func(t *testing.T, target, date, digest, sig string) {
		in := fzCavageInput{target, date, digest, sig}
		r, ok := fzRequest("POST", target, fzHost, []fzField{
			{"Content-Type", fzContentType},
			{"Date", date},
			{"Digest", digest},
			{"Signature", sig},
		})
		if !ok {
			return // refused by net/http before reaching Verify
		}
		res, err := Verify(r, noteBody, VerifyOptions{Now: at(fzNow)})
		if err != nil {
			if name, ok := genuineName[in]; ok {
				t.Fatalf("genuine request %q refused: %v", name, err)
			}
			fzCheckFailed(t, res, err, right)
			return
		}
		if res.Scheme != Cavage {
			t.Fatalf("Scheme = %v for a request without Signature-Input", res.Scheme)
		}
		if err := fzCheckKeys(t, res, right); err != nil {
			if name, ok := genuineName[in]; ok {
				t.Fatalf("genuine request %q does not verify: %v", name, err)
			}
			return
		}

		// It verified with the signer's key, so the signed content is one
		// of the genuine requests. Every covered part of this request
		// must therefore still hold its genuine value.
		deliverable := fzDeliverable(date, digest, sig)
		sameField := func(name, got, want string) {
			if deliverable && fzFieldValue(got) != fzFieldValue(want) {
				t.Fatalf("covered %s %q differs from the signed %q (as HTTP field values, stripped of SP/HTAB only: %q vs %q), yet the signature verifies",
					name, got, want, fzFieldValue(got), fzFieldValue(want))
			}
			if fzHamming1(got, want) {
				t.Fatalf("covered %s %q is the signed %q with one byte changed, yet the signature verifies", name, got, want)
			}
		}
		for _, c := range res.Covered {
			switch c {
			case "(request-target)":
				if got := fzEffectiveTarget(r); got != fzTarget || r.Method != "POST" {
					t.Fatalf("covered request target %s %q (request line %q) differs from the signed POST %q, yet the signature verifies", r.Method, got, target, fzTarget)
				}
			case "host":
				if r.Host != fzHost {
					t.Fatalf("covered host %q differs from the signed %q, yet the signature verifies", r.Host, fzHost)
				}
			case "date":
				sameField("Date", date, wantDate)
			case "digest":
				sameField("Digest", digest, wantDigest)
			case "(created)":
				if res.Created.Unix() != fixedNow.Unix() {
					t.Fatalf("Created = %v, but the signed (created) is %v", res.Created, fixedNow)
				}
			case "(expires)":
				if want := fixedNow.Add(5 * time.Minute).Unix(); res.Expires.Unix() != want {
					t.Fatalf("Expires = %v, but the signed (expires) is %v", res.Expires, time.Unix(want, 0))
				}
			}
		}
	})
}
