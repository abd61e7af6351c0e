package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"weft/internal/federation/transport"
	"weft/internal/httpsig"
	"weft/internal/service"
)

// RunDeliver POSTs one activity to one inbox, signed by its actor. It
// knocks twice: draft-cavage first (what most of the fediverse speaks),
// and RFC 9421 when the inbox refuses that with 401 or 403; the scheme an
// inbox's host accepted is remembered for its next deliveries. A 4xx
// other than 408 and 429 is final (ErrNoRetry); anything else is retried
// by the job queue with backoff.
func (f *Federation) RunDeliver(ctx context.Context, args service.DeliverArgs) error {
	return f.deliver(ctx, args)
}

// deliver is one delivery attempt, with what RunDeliver says of errors: a
// *service.SnoozeError to come back soon, ErrNoRetry when retrying cannot
// help, anything else to retry with backoff.
func (f *Federation) deliver(ctx context.Context, args service.DeliverArgs) error {
	if err := f.checkRemote(ctx, args.Inbox); err != nil {
		if errors.Is(err, errBlocked) {
			return nil // blocked after the activity was made: it stays here
		}
		return errors.Join(service.ErrNoRetry, err)
	}
	signer, err := f.accountSigner(ctx, args.SignerID)
	if err != nil {
		return err
	}
	u, _ := url.Parse(args.Inbox)
	host := u.Host
	if f.hostUnavailable(ctx, host) {
		return nil // failed for days: skipped until it is heard from again
	}
	if !f.hosts.acquire(host) {
		// Enough deliveries to this server are running: come back soon
		// rather than hold a worker.
		return &service.SnoozeError{After: 2 * time.Second}
	}
	defer f.hosts.release(host)
	first := httpsig.Cavage
	if v, ok := f.knock.Load(host); ok {
		first = v.(httpsig.Scheme)
	}
	err = f.client.Post(ctx, args.Inbox, args.Activity, signer, first)
	if refusedSignature(err) {
		second := httpsig.RFC9421
		if first == httpsig.RFC9421 {
			second = httpsig.Cavage
		}
		if err2 := f.client.Post(ctx, args.Inbox, args.Activity, signer, second); err2 == nil {
			f.knock.Store(host, second)
			f.answered(ctx, host)
			return nil
		}
	}
	if err == nil {
		f.knock.Store(host, first)
		f.answered(ctx, host)
		return nil
	}
	var se *transport.StatusError
	if errors.As(err, &se) && se.Code == http.StatusTooManyRequests {
		// Rate limited: wait as long as the server asks (within reason),
		// without spending an attempt.
		wait := min(max(se.RetryAfter, time.Second), time.Hour)
		return &service.SnoozeError{After: wait}
	}
	if errors.As(err, &se) && se.Permanent() {
		f.answered(ctx, host) // it answered, if only to refuse
		return errors.Join(service.ErrNoRetry, fmt.Errorf("deliver to %s: %w", args.Inbox, err))
	}
	if !errors.Is(err, context.Canceled) {
		f.failed(ctx, host)
	}
	if errors.Is(err, transport.ErrForbiddenAddress) || errors.Is(err, transport.ErrBadURL) {
		return errors.Join(service.ErrNoRetry, fmt.Errorf("deliver to %s: %w", args.Inbox, err))
	}
	return fmt.Errorf("deliver to %s: %w", args.Inbox, err)
}

func refusedSignature(err error) bool {
	var se *transport.StatusError
	return errors.As(err, &se) && (se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden)
}
