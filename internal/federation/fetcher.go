package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"weft/internal/httpsig"
	"weft/internal/model"
)

// VerifyFetch identifies who is fetching an ActivityPub document: the
// remote account whose key signed the GET, or nil for an anonymous one.
//
// With authorized fetch on, every request must be signed, a signature that
// does not hold is refused (401), and so is a server this instance blocks
// (403). With it off, a signature is checked only when the answer depends
// on who asks (need: a post that may be followers-only), and one that does
// not hold just makes the request anonymous — so that signed GETs of public
// documents cost no key look-ups, and cannot make weft fetch keys from
// wherever a forged keyId points.
func (f *Federation) VerifyFetch(ctx context.Context, r *http.Request, authorized, need bool) (*model.Account, error) {
	if !authorized {
		if !need {
			return nil, nil
		}
		signer, err := f.verifyFetch(ctx, r, false)
		if err != nil {
			var ref *Refusal
			if errors.As(err, &ref) && ref.Status != http.StatusForbidden {
				return nil, nil
			}
		}
		return signer, err
	}
	return f.verifyFetch(ctx, r, true)
}

func (f *Federation) verifyFetch(ctx context.Context, r *http.Request, authorized bool) (*model.Account, error) {
	if r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "" {
		if authorized {
			return nil, refuse(http.StatusUnauthorized, "this server serves ActivityPub documents to signed requests only", nil)
		}
		return nil, nil
	}
	res, err := httpsig.Verify(r, nil, httpsig.VerifyOptions{Scheme: f.cfg.Protocol})
	if err != nil {
		return nil, refuse(http.StatusUnauthorized, "the request's HTTP signature is invalid", err)
	}
	if u, err := url.Parse(res.KeyID); err == nil && u.Host != "" {
		if blocked, err := f.svc.DomainSuspended(ctx, u.Host); err != nil {
			return nil, err
		} else if blocked {
			return nil, refuse(http.StatusForbidden, "this server does not serve yours", nil)
		}
	}
	signer, err := f.verifyWithKey(ctx, res)
	if err != nil {
		return nil, keyRefusal(err)
	}
	if signer.Gone() {
		return nil, refuse(http.StatusForbidden, "the signing account is suspended here", nil)
	}
	return signer, nil
}
