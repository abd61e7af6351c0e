package httpsig

import (
	"crypto/rand"
	"crypto/sha512"
)

func sha512Sum(b []byte) []byte { s := sha512.Sum512(b); return s[:] }

type randReader struct{}

func (randReader) Read(p []byte) (int, error) { return rand.Read(p) }
