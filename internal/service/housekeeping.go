package service

import (
	"context"
	"time"

	"weft/internal/store"
)

// RunHousekeeping removes what has run out: mutes whose time is up,
// authorization codes past their ten minutes, Idempotency-Keys older than
// their hour, inbox activity ids older than a week (senders stop retrying
// within two days).
func (s *Service) RunHousekeeping(ctx context.Context, _ HousekeepingArgs) error {
	now := s.clock()
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.DeleteExpiredMutes(ctx, now); err != nil {
			return err
		}
		if err := tx.DeleteExpiredAuthCodes(ctx, now); err != nil {
			return err
		}
		if err := tx.DeleteStaleSessions(ctx, now.Add(-SessionLifetime)); err != nil {
			return err
		}
		if _, err := tx.ForgetInboxSeen(ctx, now.Add(-7*24*time.Hour)); err != nil {
			return err
		}
		return tx.DeleteOldIdempotencyKeys(ctx, now.Add(-idempotencyWindow))
	})
}
