package service

import (
	"context"
	"errors"
	"time"

	"weft/internal/store"
)

// idempotencyWindow is how long an Idempotency-Key is remembered, as on Mastodon.
const idempotencyWindow = time.Hour

// errKeyUsed ends a post's transaction when its Idempotency-Key already
// created a post.
var errKeyUsed = errors.New("idempotency key used")

// claimKey claims an Idempotency-Key for a new post inside its transaction.
func (s *Service) claimKey(ctx context.Context, tx *store.Tx, authorID int64, key string, statusID int64) error {
	if key == "" {
		return nil
	}
	now := s.clock()
	claimed, err := tx.ClaimIdempotencyKey(ctx, authorID, hashSecret(key), statusID, now, now.Add(-idempotencyWindow))
	if err != nil {
		return err
	}
	if !claimed {
		return errKeyUsed
	}
	return nil
}

// postForKey returns the post an Idempotency-Key created.
func (s *Service) postForKey(ctx context.Context, authorID int64, key string) (*StatusView, error) {
	id, err := s.st.Read().IdempotentStatus(ctx, authorID, hashSecret(key), s.clock().Add(-idempotencyWindow))
	if err != nil {
		return nil, err
	}
	return s.Status(ctx, authorID, id)
}
