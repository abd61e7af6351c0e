package model

import "time"

// NotificationType names what happened, with Mastodon's names.
type NotificationType string

const (
	NotifyMention       NotificationType = "mention"
	NotifyStatus        NotificationType = "status" // a followed account with notify on posted
	NotifyFollow        NotificationType = "follow"
	NotifyFollowRequest NotificationType = "follow_request"
	NotifyFavourite     NotificationType = "favourite"
	NotifyReblog        NotificationType = "reblog"
	NotifyUpdate        NotificationType = "update" // a post you boosted or liked was edited
)

// NotificationTypes lists every type, for validating client filters.
var NotificationTypes = []NotificationType{NotifyMention, NotifyStatus, NotifyFollow, NotifyFollowRequest, NotifyFavourite, NotifyReblog, NotifyUpdate}

// ValidNotificationType reports whether t is a type weft knows.
func ValidNotificationType(t string) bool {
	for _, k := range NotificationTypes {
		if string(k) == t {
			return true
		}
	}
	return false
}

// Notification tells AccountID that FromAccountID did something, about StatusID when set.
type Notification struct {
	ID            int64
	AccountID     int64
	Type          NotificationType
	FromAccountID int64
	StatusID      int64
	CreatedAt     time.Time
	// GroupKey is shared by notifications that grouped notifications show
	// as one (likes and boosts of one post, follows, close in time); ""
	// for the others, each a group of its own.
	GroupKey string
}

// Marker is a read position in a timeline ("home" or "notifications").
type Marker struct {
	Timeline   string
	LastReadID int64
	Version    int64
	UpdatedAt  time.Time
}
