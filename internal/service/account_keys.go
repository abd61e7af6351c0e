package service

import (
	"context"
	"errors"
	"fmt"

	"weft/internal/httpsig"
	"weft/internal/model"
	"weft/internal/store"
)

// ActorKey returns the account's key pair, making it the first time the
// account is needed on the fediverse (its actor fetched, an activity
// signed). RSA-2048 takes tens of milliseconds to generate, which is why
// members who never share get none; and it is generated outside any
// transaction, so the single SQLite writer is not held meanwhile.
func (s *Service) ActorKey(ctx context.Context, accountID int64) (store.AccountKey, error) {
	k, err := s.st.Read().AccountKeyOf(ctx, accountID)
	if err == nil || !errors.Is(err, model.ErrNotFound) {
		return k, err
	}
	priv, err := httpsig.GenerateKey()
	if err != nil {
		return k, fmt.Errorf("generate key: %w", err)
	}
	privPEM, err := httpsig.EncodePrivateKeyPEM(priv)
	if err != nil {
		return k, err
	}
	pubPEM, err := httpsig.EncodePublicKeyPEM(&priv.PublicKey)
	if err != nil {
		return k, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertAccountKey(ctx, accountID, store.AccountKey{PublicPEM: string(pubPEM), PrivatePEM: string(privPEM)}, s.clock())
		return err
	})
	if err != nil {
		return k, err
	}
	// Read back: when two first uses raced, the key that was stored first
	// is the account's key for good.
	return s.st.Read().AccountKeyOf(ctx, accountID)
}
