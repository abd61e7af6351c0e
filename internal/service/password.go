package service

import (
	"fmt"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"weft/internal/model"
)

// Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 thread):
// strong enough, and light enough for a 2-core server signing people in.
var argonParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

const (
	minPasswordLen = 8
	maxPasswordLen = 256 // bounds the hashing work a request can cause
)

func validatePassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < minPasswordLen {
		return model.Invalid("password", "is too short (minimum is %d characters)", minPasswordLen)
	}
	if len(p) > maxPasswordLen {
		return model.Invalid("password", "is too long (maximum is %d bytes)", maxPasswordLen)
	}
	return nil
}

func hashPassword(p string) (string, error) {
	h, err := argon2id.CreateHash(p, argonParams)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

func checkPassword(p, hash string) bool {
	if len(p) > maxPasswordLen {
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(p, hash)
	return err == nil && ok
}
