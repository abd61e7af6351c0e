package federation

import (
	"context"
	"fmt"
)

// FetchMedia downloads another server's media file for the cache (the
// service's MediaFetcher): the same checks as every fetch (blocked
// servers, no downgrade to http, the outgoing client's address rules),
// signed as the instance actor for servers that refuse unsigned GETs.
func (f *Federation) FetchMedia(ctx context.Context, url string, maxBytes int64) ([]byte, error) {
	if err := f.checkRemote(ctx, url); err != nil {
		return nil, err
	}
	signer, err := f.instanceSigner(ctx)
	if err != nil {
		return nil, err
	}
	data, err := f.client.GetMedia(ctx, url, maxBytes, signer)
	if err != nil {
		return nil, fmt.Errorf("fetch media: %w", err)
	}
	return data, nil
}
