package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"weft/internal/ap"
	"weft/internal/federation/transport"
	"weft/internal/httpsig"
	"weft/internal/model"
)

// MaxInboxBody bounds an inbox POST; activities are small, and a bigger
// body is refused before it is read whole.
const MaxInboxBody = 1 << 20

// Refusal is why an inbox POST is turned away, with its HTTP status: 401
// for anything about the signature (senders such as Fedify retry with the
// other signature scheme only after a 4xx), 400 for a malformed activity,
// 503 when the sender's key could not be had for now (see keyRefusal).
type Refusal struct {
	Status int
	Reason string
	Err    error // detail for logs
}

func (r *Refusal) Error() string {
	if r.Err != nil {
		return r.Reason + ": " + r.Err.Error()
	}
	return r.Reason
}

func (r *Refusal) Unwrap() error { return r.Err }

func refuse(status int, reason string, err error) *Refusal {
	return &Refusal{Status: status, Reason: reason, Err: err}
}

// Receive checks one inbox POST and, when it holds, records the activity
// for a job to apply: the body parses as an activity with an actor; the
// HTTP signature is valid, fresh and covers the body; the key belongs to
// the activity's actor (same server, same actor). Nothing is stored before
// all of that holds. inboxOf is the local account whose personal inbox was
// posted to (0 for the shared inbox).
func (f *Federation) Receive(ctx context.Context, r *http.Request, body []byte, inboxOf int64) error {
	act, err := ap.Parse(body)
	if err != nil {
		return refuse(http.StatusBadRequest, "the body is not an ActivityStreams document", err)
	}
	if act.Type == "" || act.Actor == "" {
		return refuse(http.StatusBadRequest, "an activity needs a type and an actor", nil)
	}
	if act.ID != "" && ap.Origin(act.ID) != ap.Origin(act.Actor) {
		return refuse(http.StatusBadRequest, "the activity's id is not on its actor's server", nil)
	}
	if u, err := url.Parse(act.Actor); err != nil || u.Host == "" {
		return refuse(http.StatusBadRequest, "the activity's actor is not a URL", err)
	} else if blocked, err := f.svc.DomainSuspended(ctx, u.Host); err != nil {
		return err
	} else if blocked {
		return nil // a server this instance blocks: acknowledged, so it stops retrying, and dropped
	}
	res, err := httpsig.Verify(r, body, httpsig.VerifyOptions{Scheme: f.cfg.Protocol})
	if err != nil {
		return refuse(http.StatusUnauthorized, "the request's HTTP signature is missing or invalid", err)
	}
	keyOrigin, err := httpsig.KeyIDOrigin(res.KeyID)
	if err != nil || keyOrigin != ap.Origin(act.Actor) {
		return refuse(http.StatusUnauthorized, "the signing key is not on the actor's server", err)
	}
	signer, err := f.verifyWithKey(ctx, res)
	if err != nil {
		if selfDelete(act) && gone(err) {
			// A deleted account's last Delete: its key is gone with it,
			// and there is nothing of it to keep. Acknowledge and drop.
			return nil
		}
		return keyRefusal(err)
	}
	if signer.URI != act.Actor {
		return refuse(http.StatusUnauthorized, "the request is signed by another actor than the activity's", nil)
	}
	if signer.Gone() && !selfDelete(act) {
		return nil // a suspended or deleted account: nothing it says is applied
	}
	// Stored for the job without the NUL character, which the database
	// cannot keep (the signature was checked on the body as sent).
	if body, err = ap.WithoutNUL(body); err != nil {
		return refuse(http.StatusBadRequest, "the body is not an ActivityStreams document", err)
	}
	id := act.ID
	switch {
	case id == "":
		// Transient activities without ids exist; dedupe them by content.
		sum := sha256.Sum256(body)
		id = "sha256:" + hex.EncodeToString(sum[:])
	case act.Type == "Update":
		// GoToSocial gives every edit of a post the same Update id
		// (note/activity#Update): an Update is a redelivery only when
		// its body is the same too.
		sum := sha256.Sum256(body)
		id += " sha256:" + hex.EncodeToString(sum[:12])
	}
	if _, err := f.svc.AcceptInboxActivity(ctx, id, body, signer.ID, inboxOf); err != nil {
		return fmt.Errorf("accept activity %s: %w", id, err)
	}
	if u, err := url.Parse(act.Actor); err == nil {
		f.answered(ctx, u.Host) // a server that talks to us is up
	}
	return nil
}

// selfDelete: an actor's Delete of itself.
func selfDelete(act *ap.Object) bool {
	return act.Type == "Delete" && act.Object != nil && act.Object.ID == act.Actor
}

// gone: the remote server says the document no longer exists.
func gone(err error) bool {
	var se *transport.StatusError
	return errors.As(err, &se) && (se.Code == http.StatusGone || se.Code == http.StatusNotFound) ||
		errors.Is(err, model.ErrNotFound)
}

// keyRefusal says what a failed key look-up means for the sender. A
// signature that does not verify, or a key that does not exist or is not
// the actor's, is refused for good (401). A fetch that failed on the way
// (the sender's server slow, down, rate limiting, or refusing our own
// signed fetch for now) or a failure here is answered 503, so that the
// sender tries again: GoToSocial, for one, retries only 5xx and 429 and
// drops an activity for good after any other 4xx.
func keyRefusal(err error) *Refusal {
	if errors.Is(err, httpsig.ErrBadSignature) {
		return refuse(http.StatusUnauthorized, "the signature does not verify", err)
	}
	if keyMissing(err) {
		return refuse(http.StatusUnauthorized, "the signing key could not be found", err)
	}
	return refuse(http.StatusServiceUnavailable, "the signing key could not be fetched now; try again later", err)
}

// keyMissing: the key's server answered, and there is no usable key of
// the actor there (gone, not found, not a key, on a server this instance
// does not reach or blocks).
func keyMissing(err error) bool {
	var se *transport.StatusError
	if errors.As(err, &se) {
		// 401 and 403 say the server would not serve us (its view of
		// our own signature), not that the key is missing.
		return se.Permanent() && se.Code != http.StatusUnauthorized && se.Code != http.StatusForbidden
	}
	for _, e := range []error{errBadDocument, errNotActor, errBlocked, transport.ErrBadURL, transport.ErrForbiddenAddress,
		transport.ErrNotJSON, transport.ErrTooLarge, model.ErrInvalid, model.ErrNotFound} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
