package model

import "time"

// MediaKind is Mastodon's attachment type.
type MediaKind string

const (
	MediaImage   MediaKind = "image"
	MediaGifv    MediaKind = "gifv"
	MediaVideo   MediaKind = "video"
	MediaAudio   MediaKind = "audio"
	MediaUnknown MediaKind = "unknown" // a remote file weft does not keep (blocked media, unknown type)
)

// MediaPurpose says what a media row is for.
type MediaPurpose string

const (
	PurposeAttachment MediaPurpose = "attachment"
	PurposeAvatar     MediaPurpose = "avatar"
	PurposeHeader     MediaPurpose = "header"
)

// MaxMediaPerPost is how many attachments a post may carry, as on Mastodon.
const MaxMediaPerPost = 4

// MaxMediaDescription bounds alt text (Mastodon's limit).
const MaxMediaDescription = 1500

// Media is an uploaded or remote file: a post's attachment, an avatar or a
// header.
type Media struct {
	ID        int64
	AccountID int64
	StatusID  int64 // 0 while unattached
	Position  int
	Purpose   MediaPurpose
	Kind      MediaKind
	// Token is random and unguessable: the files' URLs are public, as on
	// Mastodon, and known only to those shown the post.
	Token       string
	ContentType string
	FileKey     string // storage key of the (processed) original; "" until stored
	FileSize    int64
	Width       int
	Height      int
	ThumbKey    string // storage key of the thumbnail; "" when there is none
	ThumbType   string
	ThumbSize   int64
	ThumbWidth  int
	ThumbHeight int
	Blurhash    string
	Description string  // alt text
	FocusX      float64 // -1…1, Mastodon's focal point
	FocusY      float64
	RemoteURL   string // another server's media: where the original is
	Cached      bool   // another server's media: the files are here now
	ViewedAt    time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Remote reports whether the media comes from another server.
func (m *Media) Remote() bool { return m.RemoteURL != "" }
