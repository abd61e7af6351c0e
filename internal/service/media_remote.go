package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"weft/internal/media/imaging"
	"weft/internal/model"
	"weft/internal/store"
)

// RemoteMediaInput is an attachment of another server's post, as its
// Document/Image/Video object describes it.
type RemoteMediaInput struct {
	URL         string
	Type        string // the object's type: Document, Image, Video, Audio
	MediaType   string // its MIME type, when given
	Description string
	Blurhash    string
	Width       int
	Height      int
	FocusX      float64
	FocusY      float64
}

// FetchMediaArgs fetches another server's file into the media cache.
type FetchMediaArgs struct {
	MediaID int64 `json:"media_id,string"`
}

func (FetchMediaArgs) Kind() string { return "fetch_media" }

// Queue: downloads wait on other servers, like deliveries.
func (FetchMediaArgs) Queue() string { return QueueFederation }

// MaxAttempts: a file that cannot be had after a few tries is fetched
// again only when someone asks for it.
func (FetchMediaArgs) MaxAttempts() int { return 5 }

// MediaFetcher downloads another server's file through the federation
// layer's outgoing client (SSRF-checked, signed, size-bounded).
type MediaFetcher interface {
	FetchMedia(ctx context.Context, url string, maxBytes int64) (data []byte, err error)
}

// SetMediaFetcher plugs in the federation layer's downloads (nil: none);
// without one, other servers' media are not fetched.
func (s *Service) SetMediaFetcher(f MediaFetcher) { s.fetcher.Store(&fetcherBox{f}) }

// fetcherBox holds the downloader, so it can be swapped while jobs run.
type fetcherBox struct{ f MediaFetcher }

func (s *Service) mediaFetcher() MediaFetcher {
	if b := s.fetcher.Load(); b != nil {
		return b.f
	}
	return nil
}

// remoteKind maps an attachment's type and MIME type to Mastodon's kinds.
func remoteKind(typ, mediaType string) model.MediaKind {
	mt := strings.ToLower(mediaType)
	switch {
	case strings.HasPrefix(mt, "image/"):
		return model.MediaImage
	case strings.HasPrefix(mt, "video/"):
		return model.MediaVideo
	case strings.HasPrefix(mt, "audio/"):
		return model.MediaAudio
	case mt != "":
		return model.MediaUnknown
	}
	switch typ {
	case "Image":
		return model.MediaImage
	case "Video":
		return model.MediaVideo
	case "Audio":
		return model.MediaAudio
	}
	return model.MediaUnknown
}

// mediaRejected: files from this server are never fetched (a domain block
// with reject-media, or a suspended or not allowed server).
func (s *Service) mediaRejected(ctx context.Context, q store.Queries, rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return true
	}
	if s.outsideAllowlist(u.Host) {
		return true
	}
	b, err := q.InstanceDomainBlockFor(ctx, u.Host)
	if err != nil {
		return false // no block (or it cannot be read: the fetch job asks again)
	}
	return b.RejectMedia || b.Severity == model.DomainSuspend
}

// newRemoteMedia makes the row of one remote attachment (or avatar or
// header). Media from servers whose media are rejected become "unknown":
// shown as a link to where they are, never fetched.
func (s *Service) newRemoteMedia(ctx context.Context, q store.Queries, accountID int64, purpose model.MediaPurpose, in RemoteMediaInput, now time.Time) (*model.Media, bool) {
	desc, _ := cleanDescription(truncateRunes(in.Description, model.MaxMediaDescription))
	m := &model.Media{ID: s.newID(), AccountID: accountID, Purpose: purpose, Token: newMediaToken(),
		Kind: remoteKind(in.Type, in.MediaType), ContentType: in.MediaType, RemoteURL: in.URL, Description: desc,
		Width: max(in.Width, 0), Height: max(in.Height, 0), FocusX: clampFocus(in.FocusX), FocusY: clampFocus(in.FocusY),
		ViewedAt: now, CreatedAt: now, UpdatedAt: now}
	if len(in.Blurhash) <= 100 {
		m.Blurhash = in.Blurhash
	}
	if purpose != model.PurposeAttachment {
		m.Kind = model.MediaImage
	}
	fetch := m.Kind != model.MediaUnknown && s.mediaFetcher() != nil
	if s.mediaRejected(ctx, q, in.URL) {
		m.Kind, fetch = model.MediaUnknown, false
	}
	return m, fetch
}

func clampFocus(f float64) float64 {
	if f != f || f < -1 || f > 1 { // NaN or out of range
		return 0
	}
	return f
}

// insertRemoteMediaTx stores a new remote post's attachments and enqueues
// their downloads in the post's transaction.
func (s *Service) insertRemoteMediaTx(ctx context.Context, tx *store.Tx, st *model.Status, list []RemoteMediaInput, now time.Time) error {
	for i, in := range list {
		m, fetch := s.newRemoteMedia(ctx, tx.Queries, st.AccountID, model.PurposeAttachment, in, now)
		m.StatusID, m.Position = st.ID, i
		if err := tx.InsertMedia(ctx, m); err != nil {
			return err
		}
		st.Media = append(st.Media, *m)
		if fetch {
			if err := s.enqueue(ctx, tx, FetchMediaArgs{MediaID: m.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// replaceRemoteMediaTx applies an edit's attachments: those with the same
// URL stay (with their cached files) and take the new alt text; others
// are removed (returned, for their files to go after the commit) or added.
func (s *Service) replaceRemoteMediaTx(ctx context.Context, tx *store.Tx, st *model.Status, list []RemoteMediaInput, now time.Time) ([]*model.Media, error) {
	current, err := tx.StatusMedia(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	byURL := map[string]*model.Media{}
	for _, m := range current {
		byURL[m.RemoteURL] = m
	}
	var keep []int64
	for _, in := range list {
		if m := byURL[in.URL]; m != nil {
			delete(byURL, in.URL)
			desc, _ := cleanDescription(truncateRunes(in.Description, model.MaxMediaDescription))
			if desc != m.Description || clampFocus(in.FocusX) != m.FocusX || clampFocus(in.FocusY) != m.FocusY {
				m.Description, m.FocusX, m.FocusY, m.UpdatedAt = desc, clampFocus(in.FocusX), clampFocus(in.FocusY), now
				if err := tx.UpdateMediaMeta(ctx, m); err != nil {
					return nil, err
				}
			}
			keep = append(keep, m.ID)
			continue
		}
		m, fetch := s.newRemoteMedia(ctx, tx.Queries, st.AccountID, model.PurposeAttachment, in, now)
		if err := tx.InsertMedia(ctx, m); err != nil {
			return nil, err
		}
		keep = append(keep, m.ID)
		if fetch {
			if err := s.enqueue(ctx, tx, FetchMediaArgs{MediaID: m.ID}); err != nil {
				return nil, err
			}
		}
	}
	var gone []*model.Media
	var goneIDs []int64
	for _, m := range byURL {
		gone = append(gone, m)
		goneIDs = append(goneIDs, m.ID)
	}
	if err := tx.DeleteMedia(ctx, goneIDs); err != nil {
		return nil, err
	}
	if err := tx.AttachMedia(ctx, st.ID, keep, now); err != nil {
		return nil, err
	}
	return gone, nil
}

// setRemoteProfileImageTx points a remote account at a new avatar or
// header URL (rawURL "" removes it); the file is fetched by a job.
func (s *Service) setRemoteProfileImageTx(ctx context.Context, tx *store.Tx, a *model.Account, purpose model.MediaPurpose, rawURL string, now time.Time) error {
	currentID := a.AvatarMediaID
	if purpose == model.PurposeHeader {
		currentID = a.HeaderMediaID
	}
	if currentID != 0 {
		if cur, err := tx.MediaByID(ctx, currentID); err == nil && cur.RemoteURL == rawURL {
			return nil // unchanged
		}
	} else if rawURL == "" {
		return nil
	}
	if rawURL == "" {
		setAccountImage(a, purpose, 0, "", "")
		return tx.SetAccountImage(ctx, a.ID, purpose, 0, "", "", now)
	}
	m, fetch := s.newRemoteMedia(ctx, tx.Queries, a.ID, purpose, RemoteMediaInput{URL: rawURL}, now)
	if err := tx.InsertMedia(ctx, m); err != nil {
		return err
	}
	url, static := profileImageURLs(m)
	if m.Kind == model.MediaUnknown {
		url, static = "", "" // media from this server are rejected: not even linked
	}
	if err := tx.SetAccountImage(ctx, a.ID, purpose, m.ID, url, static, now); err != nil {
		return err
	}
	setAccountImage(a, purpose, m.ID, url, static)
	if fetch {
		return s.enqueue(ctx, tx, FetchMediaArgs{MediaID: m.ID})
	}
	return nil
}

// RunFetchMedia downloads another server's file into the cache.
func (s *Service) RunFetchMedia(ctx context.Context, args FetchMediaArgs) error {
	m, err := s.st.Read().MediaByID(ctx, args.MediaID)
	if isNotFound(err) {
		return nil // the post or profile changed meanwhile
	}
	if err != nil {
		return err
	}
	if !m.Remote() || m.Cached {
		return nil
	}
	_, err = s.cacheRemoteMedia(ctx, m, true)
	if errors.Is(err, model.ErrInvalid) || errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrNotFound) {
		s.log.Debug("remote media not cached", "url", m.RemoteURL, "err", err)
		return nil // not a file weft takes: it stays a link to its server
	}
	return err
}

// cacheRemoteMedia fetches, checks and stores a remote file (processed as
// an upload is: images re-encoded and thumbnailed), then, with
// enforceBudget, keeps the cache within its budget. A file fetched because
// someone asks for it now is served first: the budget is kept by the next
// download or the hourly clean-up.
func (s *Service) cacheRemoteMedia(ctx context.Context, m *model.Media, enforceBudget bool) (*model.Media, error) {
	ms, err := s.mediaStore()
	if err != nil {
		return nil, err
	}
	fetcher := s.mediaFetcher()
	if fetcher == nil {
		return nil, errors.New("media: no federation client to fetch remote files with")
	}
	if s.mediaRejected(ctx, s.st.Read(), m.RemoteURL) {
		return nil, model.Errorf(model.ErrForbidden, "", "media from this server are rejected")
	}
	limit := s.cfg.Media.MaxImageBytes
	if m.Kind == model.MediaVideo || m.Kind == model.MediaAudio {
		limit = s.cfg.Media.MaxVideoBytes
	}
	data, err := fetcher.FetchMedia(ctx, m.RemoteURL, limit)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", m.RemoteURL, err)
	}
	got := *m
	if _, isImage := imaging.Sniff(data); isImage {
		res, err := s.processImage(ctx, data, s.imageOptions(m.Purpose))
		if err != nil {
			return nil, err
		}
		blurhash := got.Blurhash
		if err := s.putImage(ctx, ms, &got, "cache/", res); err != nil {
			return nil, err
		}
		if blurhash != "" && got.Blurhash == "" {
			got.Blurhash = blurhash
		}
	} else {
		kind, ctype, ext := sniffAV(data)
		if kind == "" || m.Purpose != model.PurposeAttachment {
			return nil, model.Invalid("file", "%s is not an image, video or audio file weft takes", m.RemoteURL)
		}
		got.Kind, got.ContentType, got.FileSize = kind, ctype, int64(len(data))
		got.FileKey = "cache/" + got.Token + "/original" + ext
		if err := ms.Put(ctx, got.FileKey, bytes.NewReader(data), got.FileSize, ctype); err != nil {
			return nil, fmt.Errorf("store remote media: %w", err)
		}
	}
	now := s.clock()
	got.Cached, got.ViewedAt, got.UpdatedAt = true, now, now
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetMediaFiles(ctx, &got); err != nil {
			return err
		}
		if got.Purpose != model.PurposeAttachment {
			url, static := profileImageURLs(&got)
			return tx.RefreshAccountImageURLs(ctx, &got, url, static)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if enforceBudget {
		if _, err := s.enforceMediaBudget(ctx); err != nil {
			s.log.Warn("media cache budget", "err", err)
		}
	}
	return &got, nil
}

// enforceMediaBudget evicts the least recently viewed cached files until
// the cache fits its budget again.
func (s *Service) enforceMediaBudget(ctx context.Context) (evicted int, err error) {
	budget := s.cfg.Media.RemoteCacheBytes
	if budget <= 0 {
		return 0, nil
	}
	total, err := s.st.Read().CachedMediaBytes(ctx)
	if err != nil {
		return 0, err
	}
	for rounds := 0; total > budget && rounds < 100; rounds++ {
		list, err := s.st.Read().LeastViewedCachedMedia(ctx, 50)
		if err != nil || len(list) == 0 {
			return evicted, err
		}
		for _, m := range list {
			if total <= budget {
				break
			}
			if err := s.evictMedia(ctx, m); err != nil {
				return evicted, err
			}
			total -= m.FileSize + m.ThumbSize
			evicted++
		}
	}
	return evicted, nil
}

// evictMedia removes a cached remote file; its row and URLs stay, and the
// file is fetched again when someone asks for it.
func (s *Service) evictMedia(ctx context.Context, m *model.Media) error {
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.MarkMediaEvicted(ctx, m.ID, s.clock()) }); err != nil {
		return err
	}
	s.removeMediaFiles(ctx, m)
	return nil
}
