package model

import "time"

// Follow is an accepted follow. ShowReblogs and Notify are the follower's options.
type Follow struct {
	ID              int64
	AccountID       int64 // the follower
	TargetAccountID int64
	ShowReblogs     bool
	Notify          bool
	URI             string
	CreatedAt       time.Time
}

// FollowRequest waits for a locked account to authorize or reject it.
type FollowRequest struct {
	ID              int64
	AccountID       int64
	TargetAccountID int64
	ShowReblogs     bool
	Notify          bool
	URI             string
	CreatedAt       time.Time
}

// Mute hides an account's posts (and optionally notifications) from the muter.
type Mute struct {
	ID                int64
	AccountID         int64
	TargetAccountID   int64
	HideNotifications bool
	ExpiresAt         *time.Time
	CreatedAt         time.Time
}

// Relationship is what one account is to another, from the first one's side,
// shaped like Mastodon's Relationship entity.
type Relationship struct {
	ID                  int64 // the other account
	Following           bool
	ShowingReblogs      bool
	Notifying           bool
	FollowedBy          bool
	Blocking            bool
	BlockedBy           bool
	Muting              bool
	MutingNotifications bool
	MuteExpiresAt       *time.Time
	Requested           bool // we asked to follow them
	RequestedBy         bool // they asked to follow us
	Endorsed            bool
}
