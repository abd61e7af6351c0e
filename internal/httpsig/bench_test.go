package httpsig

import (
	"testing"
)

func benchVerify(b *testing.B, scheme Scheme) {
	key, _ := testKeys(b)
	r := signReceived(b, scheme, "POST", noteBody, SignOptions{})
	o := VerifyOptions{Now: at(fixedNow)}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Verify(r, noteBody, o)
		if err != nil {
			b.Fatal(err)
		}
		if err := res.Verify(&key.PublicKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCavage(b *testing.B)  { benchVerify(b, Cavage) }
func BenchmarkVerifyRFC9421(b *testing.B) { benchVerify(b, RFC9421) }

func BenchmarkSignCavage(b *testing.B) {
	key, _ := testKeys(b)
	for b.Loop() {
		r := outgoing(b, "POST", noteBody)
		if err := Sign(r, keyID, key, Cavage, noteBody); err != nil {
			b.Fatal(err)
		}
	}
}
