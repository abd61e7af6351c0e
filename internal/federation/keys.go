package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"
	"time"

	"weft/internal/httpsig"

	"weft/internal/ap"
	"weft/internal/model"
)

// keyOwner returns the account a key id belongs to and its public key:
// from storage, or fetched (signed) when unknown or when refresh is set
// (a signature that fails with the stored key may have been made after a
// key rotation). fetched tells whether the key was fetched just now.
func (f *Federation) keyOwner(ctx context.Context, keyID string, refresh bool) (acc *model.Account, pub *rsa.PublicKey, fetched bool, err error) {
	acc, pub, err = f.storedOrFetchedKey(ctx, keyID, refresh, &fetched)
	return acc, pub, fetched, err
}

// verifyWithKey checks a signature with the key's owner's key, fetching
// the key again once when the stored one fails (a rotation) — but not when
// it was fetched for this very request, nor more than once a minute per
// key, so forged requests cannot make weft fetch without end.
func (f *Federation) verifyWithKey(ctx context.Context, res httpsig.Result) (*model.Account, error) {
	signer, pub, fetched, err := f.keyOwner(ctx, res.KeyID, false)
	if err != nil {
		return nil, err
	}
	if err := res.Verify(pub); err == nil {
		return signer, nil
	} else if fetched || !f.refetch.Due(res.KeyID, time.Now(), time.Minute) {
		return nil, err
	}
	if signer, pub, _, err = f.keyOwner(ctx, res.KeyID, true); err != nil {
		return nil, err
	}
	if err := res.Verify(pub); err != nil {
		return nil, err
	}
	return signer, nil
}

func (f *Federation) storedOrFetchedKey(ctx context.Context, keyID string, refresh bool, fetched *bool) (*model.Account, *rsa.PublicKey, error) {
	if !refresh {
		if r, err := f.svc.RemoteActorByKeyID(ctx, keyID); err == nil && r.PublicKeyPEM != "" {
			acc, err := f.svc.AccountByID(ctx, r.AccountID)
			if err != nil {
				return nil, nil, err
			}
			pub, err := f.publicKey(r.PublicKeyPEM)
			return acc, pub, err
		} else if err != nil && !errors.Is(err, model.ErrNotFound) {
			return nil, nil, err
		}
	}
	u, err := url.Parse(keyID)
	if err != nil || u.Host == "" {
		return nil, nil, fmt.Errorf("key id %q is not a URL", keyID)
	}
	u.Fragment = ""
	*fetched = true
	obj, err := f.fetch(ctx, u.String())
	if err != nil {
		return nil, nil, err
	}
	var acc *model.Account
	switch {
	case obj.IsActor():
		acc, err = f.saveActor(ctx, obj)
	case obj.PublicKey != nil && obj.PublicKey.Owner != "" && ap.Origin(obj.PublicKey.Owner) == ap.Origin(keyID):
		// A key document (…/main-key style): its owner is the actor.
		acc, err = f.fetchActor(ctx, obj.PublicKey.Owner)
	default:
		return nil, nil, fmt.Errorf("key %s: the document names no key owner", keyID)
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := f.svc.RemoteActorOf(ctx, acc.ID)
	if err != nil {
		return nil, nil, err
	}
	if r.KeyID != keyID || r.PublicKeyPEM == "" {
		return nil, nil, fmt.Errorf("key %s: actor %s publishes key %q instead", keyID, acc.URI, r.KeyID)
	}
	pub, err := f.publicKey(r.PublicKeyPEM)
	return acc, pub, err
}
