package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"weft/internal/media/imaging"
	"weft/internal/media/storage"
	"weft/internal/model"
	"weft/internal/store"
)

// MediaSettings bound what members upload and what the remote cache keeps.
type MediaSettings struct {
	MaxImageBytes    int64
	MaxVideoBytes    int64
	MaxImagePixels   int64
	RemoteCacheBytes int64 // 0: no limit
}

// Upload is a file a member sends, with its alt text and focal point.
type Upload struct {
	File        io.ReadSeeker // its size is checked against the limit of its kind before it is read
	Description string
	Focus       string // "x,y", each in -1…1; "" for the centre
}

// Image sizes: the stored original's longest side, the thumbnail's, and
// Mastodon's sizes for avatars (400×400) and headers (1500×500).
const (
	maxOriginalSide = 3840
	thumbSide       = 640
	avatarSide      = 400
	headerSide      = 1500
)

// mediaStore is where files go: a service built without one (Deps.Media
// nil) cannot take files.
func (s *Service) mediaStore() (storage.Store, error) {
	if s.media == nil {
		return nil, errors.New("media: no storage configured")
	}
	return s.media, nil
}

// newMediaToken is the random part of a media file's URL: 80 bits, in the
// lower-case letters and digits storage keys allow.
func newMediaToken() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the platform is broken; nothing sane to do
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// UploadMedia stores a member's upload, unattached until a post uses it.
// Images are processed here, in the request: a file that is not what it
// claims, or whose header promises too many pixels, is refused with 422
// before anything is decoded or stored.
func (s *Service) UploadMedia(ctx context.Context, accountID int64, up Upload) (*model.Media, error) {
	if _, err := s.activeLocalAccount(ctx, s.st.Read(), accountID); err != nil {
		return nil, err
	}
	desc, err := cleanDescription(up.Description)
	if err != nil {
		return nil, err
	}
	fx, fy, err := parseFocus(up.Focus)
	if err != nil {
		return nil, err
	}
	m, err := s.storeUpload(ctx, accountID, up.File, model.PurposeAttachment)
	if err != nil {
		return nil, err
	}
	m.Description, m.FocusX, m.FocusY = desc, fx, fy
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.InsertMedia(ctx, m) }); err != nil {
		s.removeMediaFiles(ctx, m)
		return nil, err
	}
	return m, nil
}

// storeUpload checks, reads, processes and stores an uploaded file, and
// returns its (not yet inserted) row. The size is known before anything is
// read (uploads arrive as files: multipart parts spill to disk).
func (s *Service) storeUpload(ctx context.Context, accountID int64, r io.ReadSeeker, purpose model.MediaPurpose) (*model.Media, error) {
	ms, err := s.mediaStore()
	if err != nil {
		return nil, err
	}
	size, err := r.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = r.Seek(0, io.SeekStart)
	}
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if size == 0 {
		return nil, model.Invalid("file", "is empty")
	}
	head := make([]byte, min(size, 512))
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	now := s.clock()
	m := &model.Media{ID: s.newID(), AccountID: accountID, Purpose: purpose, Token: newMediaToken(),
		ViewedAt: now, CreatedAt: now, UpdatedAt: now}
	if _, isImage := imaging.Sniff(head); isImage {
		if size > s.cfg.Media.MaxImageBytes {
			return nil, model.Invalid("file", "is too large (%d bytes; images may have at most %d)", size, s.cfg.Media.MaxImageBytes)
		}
		data := make([]byte, size)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("read upload: %w", err)
		}
		res, err := s.processImage(ctx, data, s.imageOptions(purpose))
		if err != nil {
			return nil, err
		}
		if err := s.putImage(ctx, ms, m, "", res); err != nil {
			return nil, err
		}
		return m, nil
	}
	if purpose != model.PurposeAttachment {
		return nil, model.Invalid("file", "must be a JPEG, PNG, GIF or WebP image")
	}
	kind, ctype, ext := sniffAV(head)
	if kind == "" {
		return nil, model.Invalid("file", "is of a type this server does not take (images: JPEG, PNG, GIF, WebP; video: MP4, WebM, MOV; audio: MP3, Ogg, WAV, FLAC, M4A)")
	}
	if size > s.cfg.Media.MaxVideoBytes {
		return nil, model.Invalid("file", "is too large (%d bytes; video and audio may have at most %d)", size, s.cfg.Media.MaxVideoBytes)
	}
	// Video and audio are kept as sent: streamed to storage, never whole
	// in memory.
	m.Kind, m.ContentType, m.FileSize = kind, ctype, size
	m.FileKey = m.Token + "/original" + ext
	if err := ms.Put(ctx, m.FileKey, r, size, ctype); err != nil {
		return nil, fmt.Errorf("store upload: %w", err)
	}
	return m, nil
}

func (s *Service) imageOptions(purpose model.MediaPurpose) imaging.Options {
	o := imaging.Options{MaxPixels: s.cfg.Media.MaxImagePixels, MaxSide: maxOriginalSide, ThumbSide: thumbSide}
	switch purpose {
	case model.PurposeAvatar:
		o.MaxSide, o.ThumbSide = avatarSide, avatarSide
	case model.PurposeHeader:
		o.MaxSide, o.ThumbSide = headerSide, headerSide
	}
	return o
}

// putImage stores a processed image's two files under prefix and fills the
// row from them.
func (s *Service) putImage(ctx context.Context, ms storage.Store, m *model.Media, prefix string, res *imaging.Result) error {
	m.Kind = model.MediaImage
	m.ContentType, m.Width, m.Height = res.Original.ContentType, res.Original.Width, res.Original.Height
	m.FileSize = int64(len(res.Original.Data))
	m.FileKey = prefix + m.Token + "/original" + res.Original.Ext
	m.ThumbType, m.ThumbWidth, m.ThumbHeight = res.Small.ContentType, res.Small.Width, res.Small.Height
	m.ThumbSize = int64(len(res.Small.Data))
	m.ThumbKey = prefix + m.Token + "/small" + res.Small.Ext
	m.Blurhash = res.Blurhash
	if err := ms.Put(ctx, m.FileKey, bytes.NewReader(res.Original.Data), m.FileSize, m.ContentType); err != nil {
		return fmt.Errorf("store image: %w", err)
	}
	if err := ms.Put(ctx, m.ThumbKey, bytes.NewReader(res.Small.Data), m.ThumbSize, m.ThumbType); err != nil {
		_ = ms.Delete(ctx, m.FileKey)
		return fmt.Errorf("store thumbnail: %w", err)
	}
	return nil
}

// imageError turns the image checks' refusals into 422s that say why.
func imageError(err error) error {
	switch {
	case errors.Is(err, imaging.ErrTooLarge), errors.Is(err, imaging.ErrUnsupported), errors.Is(err, imaging.ErrCorrupt):
		return model.Invalid("file", "%s", err.Error())
	}
	return fmt.Errorf("process image: %w", err)
}

// sniffAV recognises video and audio by content (never by file name).
func sniffAV(data []byte) (kind model.MediaKind, ctype, ext string) {
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		brand := string(data[8:12])
		switch {
		case brand == "qt  ":
			return model.MediaVideo, "video/quicktime", ".mov"
		case strings.HasPrefix(brand, "M4A"):
			return model.MediaAudio, "audio/mp4", ".m4a"
		}
		return model.MediaVideo, "video/mp4", ".mp4"
	}
	switch ct := http.DetectContentType(data); {
	case ct == "video/webm":
		return model.MediaVideo, "video/webm", ".webm"
	case ct == "audio/mpeg":
		return model.MediaAudio, "audio/mpeg", ".mp3"
	case ct == "application/ogg":
		return model.MediaAudio, "audio/ogg", ".ogg"
	case ct == "audio/wave":
		return model.MediaAudio, "audio/wav", ".wav"
	}
	if len(data) >= 4 && string(data[:4]) == "fLaC" {
		return model.MediaAudio, "audio/flac", ".flac"
	}
	if len(data) >= 3 && data[0] == 0xFF && data[1]&0xE0 == 0xE0 && data[1]&0x06 != 0 {
		return model.MediaAudio, "audio/mpeg", ".mp3" // an MPEG audio frame without an ID3 tag
	}
	return "", "", ""
}

func cleanDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if !utf8.ValidString(d) {
		return "", model.Invalid("description", "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(d); n > model.MaxMediaDescription {
		return "", model.Invalid("description", "is too long (%d characters, maximum is %d)", n, model.MaxMediaDescription)
	}
	return d, nil
}

// parseFocus reads Mastodon's focal point "x,y", each from -1 to 1.
func parseFocus(f string) (x, y float64, err error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return 0, 0, nil
	}
	xs, ys, ok := strings.Cut(f, ",")
	if ok {
		x, err = strconv.ParseFloat(strings.TrimSpace(xs), 64)
	}
	if ok && err == nil {
		y, err = strconv.ParseFloat(strings.TrimSpace(ys), 64)
	}
	if !ok || err != nil || math.IsNaN(x) || math.IsNaN(y) || x < -1 || x > 1 || y < -1 || y > 1 {
		return 0, 0, model.Invalid("focus", "must be two numbers from -1 to 1, as \"x,y\"")
	}
	return x, y, nil
}

// OwnMedia returns one of the member's uploads.
func (s *Service) OwnMedia(ctx context.Context, accountID, mediaID int64) (*model.Media, error) {
	m, err := s.st.Read().MediaByID(ctx, mediaID)
	if err != nil {
		return nil, err
	}
	if m.AccountID != accountID || m.Purpose != model.PurposeAttachment {
		return nil, model.NotFound("media")
	}
	return m, nil
}

// MediaUpdate changes alt text or focal point; nil leaves it as it is.
type MediaUpdate struct {
	Description *string
	Focus       *string
}

// UpdateMedia changes an upload's alt text or focal point. As on Mastodon,
// only while it is unattached: a post's media change with an edit of the post.
func (s *Service) UpdateMedia(ctx context.Context, accountID, mediaID int64, in MediaUpdate) (*model.Media, error) {
	var m *model.Media
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = tx.MediaByID(ctx, mediaID); err != nil {
			return err
		}
		if m.AccountID != accountID || m.Purpose != model.PurposeAttachment || m.StatusID != 0 {
			return model.NotFound("media")
		}
		if err := applyMediaUpdate(m, in); err != nil {
			return err
		}
		m.UpdatedAt = s.clock()
		return tx.UpdateMediaMeta(ctx, m)
	})
	return m, err
}

func applyMediaUpdate(m *model.Media, in MediaUpdate) error {
	if in.Description != nil {
		d, err := cleanDescription(*in.Description)
		if err != nil {
			return err
		}
		m.Description = d
	}
	if in.Focus != nil {
		x, y, err := parseFocus(*in.Focus)
		if err != nil {
			return err
		}
		m.FocusX, m.FocusY = x, y
	}
	return nil
}

// DeleteMedia removes an unattached upload and its files.
func (s *Service) DeleteMedia(ctx context.Context, accountID, mediaID int64) (*model.Media, error) {
	var m *model.Media
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = tx.MediaByID(ctx, mediaID); err != nil {
			return err
		}
		if m.AccountID != accountID || m.Purpose != model.PurposeAttachment {
			return model.NotFound("media")
		}
		if m.StatusID != 0 {
			return model.Invalid("id", "the media is attached to a post; delete or edit the post instead")
		}
		return tx.DeleteMedia(ctx, []int64{m.ID})
	})
	if err != nil {
		return nil, err
	}
	s.removeMediaFiles(ctx, m)
	return m, nil
}

// removeMediaFiles deletes a media row's files; a failure is logged (the
// row is gone, the file is only space).
func (s *Service) removeMediaFiles(ctx context.Context, m *model.Media) {
	if s.media == nil {
		return
	}
	for _, key := range []string{m.FileKey, m.ThumbKey} {
		if key == "" {
			continue
		}
		if err := s.media.Delete(ctx, key); err != nil {
			s.log.Warn("remove media file", "key", key, "err", err)
		}
	}
}

// attachableMedia checks the media a member attaches to a post: at most
// four, each theirs, an upload, and free (or already on this post).
func attachableMedia(ctx context.Context, q store.Queries, accountID, statusID int64, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > model.MaxMediaPerPost {
		return nil, model.Invalid("media_ids", "a post can carry at most %d attachments", model.MaxMediaPerPost)
	}
	found, err := q.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		m := found[id]
		if m == nil || m.AccountID != accountID || m.Purpose != model.PurposeAttachment ||
			(m.StatusID != 0 && m.StatusID != statusID) || m.Remote() {
			return nil, model.Invalid("media_ids", "media %d is not an upload of yours that a post can use", id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// MediaURL is where a stored file is served: a path on this server.
func MediaURL(key string) string {
	if key == "" {
		return ""
	}
	return "/media/" + key
}

// mediaFetchTimeout bounds one download of another server's file.
const mediaFetchTimeout = 60 * time.Second

// imageWait is the longest an image waits for its turn at decoding.
const imageWait = 30 * time.Second

// processImage decodes, orients, resizes and re-encodes an image in its
// turn: decoding holds several bytes of memory per pixel (a 5700×5700 PNG
// took 270 MB), so the images being processed at once may hold at most
// media_max_image_pixels pixels together — one image of the largest size,
// or several smaller ones — and the others wait (at most imageWait, then
// 429). Eight such uploads at once took 1.6 GB before.
func (s *Service) processImage(ctx context.Context, data []byte, o imaging.Options) (*imaging.Result, error) {
	pixels, err := imaging.Pixels(data)
	if err != nil {
		return nil, imageError(err)
	}
	if pixels > o.MaxPixels && o.MaxPixels > 0 {
		// Refused by Process without decoding; it needs no turn.
		_, err := imaging.Process(data, o)
		return nil, imageError(err)
	}
	weight := min(pixels, s.imageBudget)
	wait, cancel := context.WithTimeout(ctx, imageWait)
	defer cancel()
	if err := s.imageSlots.Acquire(wait, weight); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &model.Throttle{After: 10 * time.Second, Msg: "The server is busy processing images. Try again in a few seconds."}
	}
	defer s.imageSlots.Release(weight)
	res, err := imaging.Process(data, o)
	if err != nil {
		return nil, imageError(err)
	}
	return res, nil
}
