package mastodon

import (
	"fmt"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// MediaAttachment is Mastodon's MediaAttachment entity.
type MediaAttachment struct {
	ID               string     `json:"id"`
	Type             string     `json:"type"`
	URL              *string    `json:"url"`
	PreviewURL       *string    `json:"preview_url"`
	RemoteURL        *string    `json:"remote_url"`
	PreviewRemoteURL *string    `json:"preview_remote_url"`
	TextURL          *string    `json:"text_url"`
	Meta             *MediaMeta `json:"meta"`
	Description      *string    `json:"description"`
	Blurhash         *string    `json:"blurhash"`
}

// MediaMeta holds the sizes of the original and the thumbnail and the
// focal point.
type MediaMeta struct {
	Original *MediaSize  `json:"original,omitempty"`
	Small    *MediaSize  `json:"small,omitempty"`
	Focus    *MediaFocus `json:"focus,omitempty"`
}

// MediaSize is one file's dimensions, as Mastodon writes them.
type MediaSize struct {
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Size   string  `json:"size"`
	Aspect float64 `json:"aspect"`
}

// MediaFocus is the focal point, each coordinate from -1 to 1.
type MediaFocus struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

func mediaSize(w, h int) *MediaSize {
	if w <= 0 || h <= 0 {
		return nil
	}
	return &MediaSize{Width: w, Height: h, Size: fmt.Sprintf("%dx%d", w, h), Aspect: float64(w) / float64(h)}
}

// mediaAttachment renders a media row. Files stored here are served from
// here, another server's file not fetched yet through the media proxy, and
// one weft does not keep (rejected media, unknown types) by its address.
func (a *API) mediaAttachment(m *model.Media) MediaAttachment {
	out := MediaAttachment{ID: idStr(m.ID), Type: string(m.Kind), Meta: &MediaMeta{}}
	switch {
	case m.FileKey != "":
		out.URL = strPtr(a.cfg.BaseURL + service.MediaURL(m.FileKey))
		if m.ThumbKey != "" {
			out.PreviewURL = strPtr(a.cfg.BaseURL + service.MediaURL(m.ThumbKey))
		}
	case m.Kind == model.MediaUnknown:
		out.URL = strPtr(m.RemoteURL) // a file weft does not keep: a link to it
	case m.Remote():
		// Not fetched yet: through the media proxy, which fetches it when
		// asked (the URLs change to the cached files' once it has them).
		out.URL = strPtr(a.cfg.BaseURL + service.MediaURL("proxy/"+m.Token+"/original"))
		out.PreviewURL = strPtr(a.cfg.BaseURL + service.MediaURL("proxy/"+m.Token+"/small"))
	}
	if m.Remote() {
		out.RemoteURL = strPtr(m.RemoteURL)
	}
	if m.Description != "" {
		out.Description = strPtr(m.Description)
	}
	if m.Blurhash != "" {
		out.Blurhash = strPtr(m.Blurhash)
	}
	out.Meta.Original = mediaSize(m.Width, m.Height)
	out.Meta.Small = mediaSize(m.ThumbWidth, m.ThumbHeight)
	if m.Kind == model.MediaImage || m.Kind == model.MediaGifv || m.Kind == model.MediaVideo {
		out.Meta.Focus = &MediaFocus{X: m.FocusX, Y: m.FocusY}
	}
	return out
}

func (a *API) mediaAttachments(list []model.Media) []MediaAttachment {
	out := make([]MediaAttachment, len(list))
	for i := range list {
		out[i] = a.mediaAttachment(&list[i])
	}
	return out
}

func strPtr(s string) *string { return &s }

// mediaIDs reads media_ids[] (form) or media_ids (a JSON array of strings).
func mediaIDs(values []string) ([]int64, error) {
	var ids []int64
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, model.Invalid("media_ids", "%q is not a media ID", v)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
