package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"weft/internal/media/storage"
	"weft/internal/model"
	"weft/internal/store"
)

// mediaTouchEvery: how stale a cached file's "last viewed" may get before a
// view writes it again; eviction order needs no finer grain, and a popular
// file must not cost a write per view.
const mediaTouchEvery = time.Hour

// MediaFile is a file to serve: open (Object), or elsewhere (Redirect).
type MediaFile struct {
	Object   storage.Object
	Redirect string
}

// OpenMediaFile opens the file at a media URL's key ("/media/KEY"). Files
// of this server's members are served straight from storage. Cached files
// of other servers are looked up by their token: a view is recorded for
// eviction, and a file that was evicted is fetched again now, so the URLs
// shown never break while the origin has the file. "proxy/TOKEN/original"
// and "proxy/TOKEN/small" name another server's file before it is fetched
// (Mastodon's media proxy): apps are never sent to the origin, which would
// learn who looks at what.
func (s *Service) OpenMediaFile(ctx context.Context, key string) (*MediaFile, error) {
	ms, err := s.mediaStore()
	if err != nil {
		return nil, err
	}
	if storage.ValidKey(key) != nil {
		return nil, model.NotFound("file")
	}
	if rest, ok := strings.CutPrefix(key, "proxy/"); ok {
		token, variant, _ := strings.Cut(rest, "/")
		m, err := s.prepareCachedFile(ctx, token)
		if err != nil {
			return nil, err
		}
		switch {
		case variant == "original":
			key = m.FileKey
		case variant == "small" && m.ThumbKey != "":
			key = m.ThumbKey
		case variant == "small":
			key = m.FileKey // video and audio have no thumbnail
		default:
			return nil, model.NotFound("file")
		}
	} else if rest, ok := strings.CutPrefix(key, "cache/"); ok {
		token, _, _ := strings.Cut(rest, "/")
		if _, err := s.prepareCachedFile(ctx, token); err != nil {
			return nil, err
		}
	}
	if u, err := ms.RedirectURL(ctx, key, time.Hour); err != nil {
		return nil, fmt.Errorf("media redirect: %w", err)
	} else if u != "" {
		return &MediaFile{Redirect: u}, nil
	}
	obj, err := ms.Open(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, model.NotFound("file")
	}
	if err != nil {
		return nil, fmt.Errorf("open media: %w", err)
	}
	return &MediaFile{Object: obj}, nil
}

// proxyURL is where another server's file is served before weft has it
// (variant "original" or "small").
func proxyURL(m *model.Media, variant string) string {
	return MediaURL("proxy/" + m.Token + "/" + variant)
}

// prepareCachedFile makes sure a remote file is in the cache, records the
// view, and returns its row.
func (s *Service) prepareCachedFile(ctx context.Context, token string) (*model.Media, error) {
	m, err := s.st.Read().MediaByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if !m.Remote() || m.Kind == model.MediaUnknown {
		return nil, model.NotFound("file")
	}
	if !m.Cached {
		// Many requests for one file that is not here (a popular post
		// after eviction) make one download, which they all wait for; a
		// download that failed is not tried again on request for a minute,
		// so asking cannot make weft hammer another server.
		key := strconv.FormatInt(m.ID, 10)
		v, err, _ := s.mediaFetches.Do(key, func() (any, error) {
			if s.mediaFailures.recent(m.ID, s.clock()) {
				return nil, model.Errorf(model.ErrUpstream, "", "the file's server did not give it a moment ago")
			}
			got, err := s.cacheRemoteMedia(ctx, m, false)
			if err != nil {
				s.mediaFailures.record(m.ID, s.clock())
				if errors.Is(err, model.ErrUpstream) {
					// The other server's trouble, answered 502; told at
					// most once a minute per file, at info.
					s.log.Info("remote media could not be fetched", "url", m.RemoteURL, "err", err)
				}
			}
			return got, err
		})
		if err != nil {
			if errors.Is(err, model.ErrInvalid) || errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrNotFound) {
				return nil, model.NotFound("file")
			}
			return nil, err
		}
		return v.(*model.Media), nil
	}
	now := s.clock()
	if now.Sub(m.ViewedAt) >= mediaTouchEvery {
		if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.TouchMedia(ctx, m.ID, now) }); err != nil {
			s.log.Warn("record media view", "id", m.ID, "err", err)
		}
	}
	return m, nil
}

// MediaCleanupArgs runs the media clean-up (hourly, and `weft admin media
// prune`).
type MediaCleanupArgs struct {
	// EvictViewedBefore, when set (unix ms), also evicts cached remote
	// files not viewed since then.
	EvictViewedBefore int64 `json:"evict_viewed_before,string,omitempty"`
}

func (MediaCleanupArgs) Kind() string { return "media_cleanup" }

// Batches of the clean-up: bounded work per transaction and per run.
const (
	mediaCleanupBatch  = 200
	mediaCleanupRounds = 50
	unattachedLifetime = 24 * time.Hour
	// replacedImageGrace keeps a replaced avatar or header a while: pages
	// and apps still show the old URL until they reload.
	replacedImageGrace = time.Hour
)

// MediaCleanupResult says what a clean-up removed.
type MediaCleanupResult struct {
	Removed int // rows and their files
	Evicted int // cached remote files
}

// RunMediaCleanup is the periodic job.
func (s *Service) RunMediaCleanup(ctx context.Context, args MediaCleanupArgs) error {
	_, err := s.CleanUpMedia(ctx, args)
	return err
}

// CleanUpMedia removes uploads nobody attached within a day, the media of
// deleted posts, replaced avatars and headers, and keeps the remote cache
// within its budget.
func (s *Service) CleanUpMedia(ctx context.Context, args MediaCleanupArgs) (MediaCleanupResult, error) {
	var res MediaCleanupResult
	now := s.clock()
	q := s.st.Read()
	sources := []func() ([]*model.Media, error){
		func() ([]*model.Media, error) {
			return q.UnattachedMediaBefore(ctx, now.Add(-unattachedLifetime), mediaCleanupBatch)
		},
		func() ([]*model.Media, error) { return q.MediaOfGoneStatuses(ctx, mediaCleanupBatch) },
		func() ([]*model.Media, error) {
			return q.ReplacedProfileMedia(ctx, now.Add(-replacedImageGrace), mediaCleanupBatch)
		},
	}
	for _, next := range sources {
		for range mediaCleanupRounds {
			list, err := next()
			if err != nil {
				return res, err
			}
			if len(list) == 0 {
				break
			}
			ids := make([]int64, len(list))
			for i, m := range list {
				ids[i] = m.ID
			}
			if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteMedia(ctx, ids) }); err != nil {
				return res, err
			}
			for _, m := range list {
				s.removeMediaFiles(ctx, m)
			}
			res.Removed += len(list)
		}
	}
	if args.EvictViewedBefore != 0 {
		before := time.UnixMilli(args.EvictViewedBefore)
		for range mediaCleanupRounds {
			list, err := q.LeastViewedCachedMedia(ctx, mediaCleanupBatch)
			if err != nil {
				return res, err
			}
			n := 0
			for _, m := range list {
				if !m.ViewedAt.Before(before) {
					break
				}
				if err := s.evictMedia(ctx, m); err != nil {
					return res, err
				}
				n++
			}
			res.Evicted += n
			if n < len(list) || len(list) == 0 {
				break
			}
		}
	}
	n, err := s.enforceMediaBudget(ctx)
	res.Evicted += n
	return res, err
}

// MediaUsage is what media take: the rows' sums, and what the storage
// holds (which also counts files whose rows are gone).
type MediaUsage struct {
	store.MediaUsage
	StoredFiles, StoredBytes int64
	CacheBudget              int64
}

// MediaUsage reports the space media take (`weft admin media usage`).
func (s *Service) MediaUsage(ctx context.Context) (*MediaUsage, error) {
	ms, err := s.mediaStore()
	if err != nil {
		return nil, err
	}
	u, err := s.st.Read().MediaUsage(ctx)
	if err != nil {
		return nil, err
	}
	files, bytes, err := ms.Usage(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("storage usage: %w", err)
	}
	return &MediaUsage{MediaUsage: u, StoredFiles: files, StoredBytes: bytes, CacheBudget: s.cfg.Media.RemoteCacheBytes}, nil
}

// failures remembers which remote files could not be fetched lately
// (bounded: forgotten all at once when it grows large).
type failures struct {
	mu sync.Mutex
	at map[int64]time.Time
}

const failureMemory = time.Minute

func (f *failures) recent(id int64, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, ok := f.at[id]
	return ok && now.Sub(at) < failureMemory
}

func (f *failures) record(id int64, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.at == nil || len(f.at) > 10_000 {
		f.at = map[int64]time.Time{}
	}
	f.at[id] = now
}
