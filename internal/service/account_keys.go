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
	k, err = newKeyPair()
	if err != nil {
		return k, err
	}
	kp := k
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertAccountKey(ctx, accountID, kp, s.clock())
		return err
	})
	if err != nil {
		return k, err
	}
	// Read back: when two first uses raced, the key that was stored first
	// is the account's key for good.
	return s.st.Read().AccountKeyOf(ctx, accountID)
}

// InstanceKey returns the instance actor's key pair, made on first use
// like an account's.
func (s *Service) InstanceKey(ctx context.Context) (store.AccountKey, error) {
	k, err := s.st.Read().InstanceKey(ctx)
	if err == nil || !errors.Is(err, model.ErrNotFound) {
		return k, err
	}
	if k, err = newKeyPair(); err != nil {
		return k, err
	}
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.InsertInstanceKey(ctx, k, s.clock()) }); err != nil {
		return k, err
	}
	return s.st.Read().InstanceKey(ctx)
}

// newKeyPair generates an RSA-2048 key pair, PEM-encoded.
func newKeyPair() (store.AccountKey, error) {
	priv, err := httpsig.GenerateKey()
	if err != nil {
		return store.AccountKey{}, fmt.Errorf("generate key: %w", err)
	}
	privPEM, err := httpsig.EncodePrivateKeyPEM(priv)
	if err != nil {
		return store.AccountKey{}, err
	}
	pubPEM, err := httpsig.EncodePublicKeyPEM(&priv.PublicKey)
	if err != nil {
		return store.AccountKey{}, err
	}
	return store.AccountKey{PublicPEM: string(pubPEM), PrivatePEM: string(privPEM)}, nil
}
