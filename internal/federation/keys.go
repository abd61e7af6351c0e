package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"weft/internal/httpsig"

	"weft/internal/ap"
	"weft/internal/model"
)

// errBadDocument: a remote server served a document that cannot be what
// was asked for (a key that names no owner, an actor without an inbox, an
// id on another server). It is the sender's doing, so a delivery signed
// with such a key is refused for good (401), unlike a fetch that failed on
// the way, which the sender should retry.
var errBadDocument = errors.New("unusable document")

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
		return nil, nil, fmt.Errorf("%w: key id %q is not a URL", errBadDocument, keyID)
	}
	u.Fragment = ""
	*fetched = true
	obj, err := f.fetch(ctx, u.String())
	if err != nil {
		return nil, nil, err
	}
	acc, err := f.keyDocumentOwner(ctx, keyID, obj)
	if err != nil {
		return nil, nil, err
	}
	r, err := f.svc.RemoteActorOf(ctx, acc.ID)
	if err != nil {
		return nil, nil, err
	}
	if r.KeyID != keyID || r.PublicKeyPEM == "" {
		return nil, nil, fmt.Errorf("%w: key %s: actor %s publishes key %q instead", errBadDocument, keyID, acc.URI, r.KeyID)
	}
	pub, err := f.publicKey(r.PublicKeyPEM)
	return acc, pub, err
}

// keyDocumentOwner stores and returns the actor a fetched key document
// belongs to. Servers publish keys in three shapes:
//   - the actor itself, the key id being the actor's id with a fragment
//     (Mastodon, Misskey, Pleroma: actor#main-key);
//   - a key document naming its owner (type Key or CryptographicKey);
//   - the actor in a minimal form at the key's own path (GoToSocial serves
//     id, type, preferredUsername and publicKey at actor/main-key, so that
//     keys can be fetched without a signature): no inbox, no followers, so
//     not an account. Its full document is fetched from its id.
func (f *Federation) keyDocumentOwner(ctx context.Context, keyID string, obj *ap.Object) (*model.Account, error) {
	switch {
	case obj.IsActor() && (isWebURL(obj.Inbox) || stripFragment(obj.ID) == stripFragment(keyID)):
		return f.saveActor(ctx, obj)
	case obj.IsActor():
		if obj.PublicKey == nil || obj.PublicKey.ID != keyID || ap.Origin(obj.ID) != ap.Origin(keyID) {
			return nil, fmt.Errorf("%w: key %s: the actor document served for it does not publish it", errBadDocument, keyID)
		}
		return f.fetchActor(ctx, obj.ID)
	case obj.PublicKey != nil && obj.PublicKey.Owner != "" && ap.Origin(obj.PublicKey.Owner) == ap.Origin(keyID):
		// A key document (…/main-key style): its owner is the actor.
		return f.fetchActor(ctx, obj.PublicKey.Owner)
	}
	return nil, fmt.Errorf("%w: key %s: the document names no key owner", errBadDocument, keyID)
}

func stripFragment(iri string) string {
	before, _, _ := strings.Cut(iri, "#")
	return before
}
