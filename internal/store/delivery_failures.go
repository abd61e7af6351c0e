package store

import (
	"context"
	"fmt"
	"time"
)

// RecordDeliveryFailure counts a failed delivery to host; the host becomes
// unavailable once its failures have lasted longer than after.
func (q Queries) RecordDeliveryFailure(ctx context.Context, host string, at time.Time, after time.Duration) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO delivery_failures (host, first_failure_at, last_failure_at, failures, unavailable)
		VALUES ($1, $2, $2, 1, FALSE)
		ON CONFLICT (host) DO UPDATE SET last_failure_at = $2, failures = delivery_failures.failures + 1,
			unavailable = ($2 - delivery_failures.first_failure_at > $3)`, host, ms(at), after.Milliseconds())
	if err != nil {
		return fmt.Errorf("record delivery failure to %s: %w", host, err)
	}
	return nil
}

// ClearDeliveryFailures forgets a host's failures: it answered.
func (q Queries) ClearDeliveryFailures(ctx context.Context, host string) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM delivery_failures WHERE host = $1`, host); err != nil {
		return fmt.Errorf("clear delivery failures of %s: %w", host, err)
	}
	return nil
}

// UnavailableHosts lists the hosts marked unavailable.
func (q Queries) UnavailableHosts(ctx context.Context) ([]string, error) {
	out, err := q.texts(ctx, `SELECT host FROM delivery_failures WHERE unavailable ORDER BY host`)
	if err != nil {
		return nil, fmt.Errorf("list unavailable hosts: %w", err)
	}
	return out, nil
}
