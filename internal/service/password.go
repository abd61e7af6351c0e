package service

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"weft/internal/model"
)

// DefaultPasswordHashMemory is Argon2id's memory with OWASP's recommended
// minimum (19 MiB, 2 passes, 1 thread): strong enough, and light enough for
// a 2-core server signing people in. The password_hash_memory setting
// changes it for new hashes; a hash keeps the parameters it was made with.
const DefaultPasswordHashMemory = 19 << 20

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

// hashPassword hashes a new password, in its turn at the hashing slots.
func (s *Service) hashPassword(ctx context.Context, p string) (string, error) {
	release, err := s.hashTurn(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	h, err := argon2id.CreateHash(p, s.argon)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// checkPassword compares a password with a hash, in its turn at the
// hashing slots.
func (s *Service) checkPassword(ctx context.Context, p, hash string) (bool, error) {
	if len(p) > maxPasswordLen {
		return false, nil
	}
	release, err := s.hashTurn(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	ok, err := argon2id.ComparePasswordAndHash(p, hash)
	return err == nil && ok, nil
}
