package model

import "time"

// RepliesPolicy says which replies by a list's members reach the list's
// timeline, with Mastodon's names.
type RepliesPolicy string

const (
	RepliesFollowed RepliesPolicy = "followed" // replies to anyone the owner follows
	RepliesList     RepliesPolicy = "list"     // replies to other members of the list
	RepliesNone     RepliesPolicy = "none"     // no replies (except to the owner)
)

// ParseRepliesPolicy checks a replies policy given by a client.
func ParseRepliesPolicy(s string) (RepliesPolicy, error) {
	switch p := RepliesPolicy(s); p {
	case RepliesFollowed, RepliesList, RepliesNone:
		return p, nil
	}
	return "", Invalid("replies_policy", "must be one of followed, list, none")
}

// MaxLists is how many lists an account may have, as on Mastodon.
const MaxLists = 50

// MaxListTitle bounds a list's title, in characters.
const MaxListTitle = 256

// List is a named group of followed accounts with its own timeline.
type List struct {
	ID            int64
	AccountID     int64 // the owner
	Title         string
	RepliesPolicy RepliesPolicy
	// Exclusive: the members' posts stay out of the owner's home timeline.
	Exclusive bool
	CreatedAt time.Time
}

// Tag is a hashtag as stored.
type Tag struct {
	ID   int64
	Name string // as first written
}

// TagDay is a hashtag's use on one day (UTC).
type TagDay struct {
	Day      time.Time // midnight UTC
	Uses     int64     // posts
	Accounts int64     // distinct authors
}
