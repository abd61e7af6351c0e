package model

import "time"

// Visibility says who may see a post.
type Visibility string

const (
	Public   Visibility = "public"   // everyone, listed in public timelines
	Unlisted Visibility = "unlisted" // everyone, but not in public timelines or hashtags
	Private  Visibility = "private"  // followers (and mentioned accounts) only
	Direct   Visibility = "direct"   // mentioned accounts only
)

// ParseVisibility checks a visibility given by a client.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(s); v {
	case Public, Unlisted, Private, Direct:
		return v, nil
	}
	return "", Invalid("visibility", "must be one of public, unlisted, private, direct")
}

// Status is a post, or a boost of one (ReblogOfID != 0; a boost carries no text).
type Status struct {
	ID        int64
	AccountID int64
	// Rev goes up with every change to the row: an in-memory copy, or JSON
	// rendered from one, is current while its Rev equals the database's.
	Rev int64

	Text        string // source as written (local posts)
	ContentHTML string // safe HTML
	SpoilerText string // content warning
	Sensitive   bool
	Language    string
	Visibility  Visibility

	InReplyToID        int64 // 0 when not a reply
	InReplyToAccountID int64
	ThreadID           int64 // the root post of the thread (own ID for a root)
	ConversationID     int64 // groups a conversation; equals ThreadID for local threads

	ReblogOfID int64 // the boosted post when this is a boost

	Local bool
	URI   string // ActivityPub id (remote posts)
	URL   string // public page (remote posts)

	RepliesCount    int64
	ReblogsCount    int64
	FavouritesCount int64

	CreatedAt time.Time
	EditedAt  *time.Time
	DeletedAt *time.Time

	// Filled by the store when reading: who is mentioned and which tags are used.
	Mentions []int64  // mentioned account IDs
	Tags     []string // tag names as written
	Media    []Media  // attachments in order
}

// IsReblog reports whether the status is a boost.
func (s *Status) IsReblog() bool { return s.ReblogOfID != 0 }

// Mentioned reports whether accountID is mentioned in the status.
func (s *Status) Mentioned(accountID int64) bool {
	for _, m := range s.Mentions {
		if m == accountID {
			return true
		}
	}
	return false
}

// StatusEdit is one version of a post in its edit history.
type StatusEdit struct {
	ID          int64
	StatusID    int64
	AccountID   int64
	Text        string
	ContentHTML string
	SpoilerText string
	Sensitive   bool
	CreatedAt   time.Time
}

// MaxPins is how many posts an account may pin to its profile.
const MaxPins = 5
