package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"weft/internal/federation/transport"
	"weft/internal/model"
)

// FetchMedia downloads another server's media file for the cache (the
// service's MediaFetcher): the same checks as every fetch (blocked
// servers, no downgrade to http, the outgoing client's address rules),
// signed as the instance actor for servers that refuse unsigned GETs.
//
// Errors say what the origin did: ErrNotFound when it has no such file
// (404, 410), ErrForbidden when weft does not fetch from there (a blocked
// server, an address it may not reach), ErrUpstream when it failed or
// refused otherwise — so that the media proxy answers 404 or 502, not 500.
func (f *Federation) FetchMedia(ctx context.Context, url string, maxBytes int64) ([]byte, error) {
	if err := f.checkRemote(ctx, url); err != nil {
		if errors.Is(err, errBlocked) || errors.Is(err, transport.ErrBadURL) {
			return nil, model.Errorf(model.ErrForbidden, "", "media from %s are not fetched: %v", url, err)
		}
		return nil, err
	}
	signer, err := f.instanceSigner(ctx)
	if err != nil {
		return nil, err
	}
	data, err := f.client.GetMedia(ctx, url, maxBytes, signer)
	var se *transport.StatusError
	switch {
	case err == nil:
		return data, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone):
		return nil, fmt.Errorf("fetch media %s: %w", url, model.NotFound("file"))
	case errors.Is(err, transport.ErrForbiddenAddress) || errors.Is(err, transport.ErrBadURL):
		return nil, model.Errorf(model.ErrForbidden, "", "media from %s are not fetched: %v", url, err)
	}
	return nil, fmt.Errorf("fetch media: %w: %w", model.ErrUpstream, err)
}
