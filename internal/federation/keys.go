package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"

	"weft/internal/ap"
	"weft/internal/model"
)

// keyOwner returns the account a key id belongs to and its public key:
// from storage, or fetched (signed) when unknown or when refresh is set
// (a signature that fails with the stored key may have been made after a
// key rotation).
func (f *Federation) keyOwner(ctx context.Context, keyID string, refresh bool) (*model.Account, *rsa.PublicKey, error) {
	if !refresh {
		if r, err := f.svc.RemoteActorByKeyID(ctx, keyID); err == nil && r.PublicKeyPEM != "" {
			acc, err := f.svc.AccountByID(ctx, r.AccountID)
			if err != nil {
				return nil, nil, err
			}
			pub, err := publicKey(r.PublicKeyPEM)
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
	pub, err := publicKey(r.PublicKeyPEM)
	return acc, pub, err
}
