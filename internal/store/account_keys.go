package store

import (
	"context"
	"fmt"
	"time"
)

// AccountKey is an account's key pair, PEM-encoded.
type AccountKey struct {
	PublicPEM  string
	PrivatePEM string
}

// AccountKeyOf returns the account's key pair, or ErrNotFound.
func (q Queries) AccountKeyOf(ctx context.Context, accountID int64) (AccountKey, error) {
	var k AccountKey
	err := q.db.QueryRowContext(ctx, `SELECT public_key_pem, private_key_pem FROM account_keys WHERE account_id = $1`,
		accountID).Scan(&k.PublicPEM, &k.PrivatePEM)
	if err != nil {
		return k, notFound(err, "key")
	}
	return k, nil
}

// InsertAccountKey stores a key pair unless the account has one already
// (false then: two first uses raced, and the other one's key stays).
func (q Queries) InsertAccountKey(ctx context.Context, accountID int64, k AccountKey, now time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO account_keys (account_id, public_key_pem, private_key_pem, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO NOTHING`, accountID, k.PublicPEM, k.PrivatePEM, ms(now))
	if err != nil {
		return false, fmt.Errorf("insert key of account %d: %w", accountID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// InstanceKey returns the instance actor's key pair, or ErrNotFound.
func (q Queries) InstanceKey(ctx context.Context) (AccountKey, error) {
	var k AccountKey
	err := q.db.QueryRowContext(ctx, `SELECT public_key_pem, private_key_pem FROM instance_keys WHERE id = 1`).
		Scan(&k.PublicPEM, &k.PrivatePEM)
	if err != nil {
		return k, notFound(err, "key")
	}
	return k, nil
}

// InsertInstanceKey stores the instance key unless there is one already.
func (q Queries) InsertInstanceKey(ctx context.Context, k AccountKey, now time.Time) error {
	if _, err := q.db.ExecContext(ctx, `INSERT INTO instance_keys (id, public_key_pem, private_key_pem, created_at)
		VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`, k.PublicPEM, k.PrivatePEM, ms(now)); err != nil {
		return fmt.Errorf("insert instance key: %w", err)
	}
	return nil
}
