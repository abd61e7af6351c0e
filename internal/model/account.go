package model

import "time"

// MaxProfileFields is how many name/value pairs a profile may show, as on Mastodon.
const MaxProfileFields = 4

// Account is a person or bot, local (Domain == "") or remote.
type Account struct {
	ID           int64
	Rev          int64  // goes up with every change to the row (see Status.Rev)
	Username     string // as chosen; unique case-insensitively per domain
	Domain       string // "" for local accounts, "host[:port]" for remote ones
	DisplayName  string
	Note         string // bio source: plain text for local accounts
	NoteHTML     string // bio rendered to safe HTML
	Fields       []Field
	Locked       bool // approves followers by hand
	Bot          bool
	Discoverable bool
	// FediverseSharing: whether this member shares posts with the fediverse
	// over ActivityPub. Local accounts only; the federation layer enforces it.
	FediverseSharing bool
	// FediverseSince is when sharing was last turned on: only posts made
	// since then are shared. nil while not sharing.
	FediverseSince *time.Time
	// HideCollections: others see only the counts of whom the member
	// follows and who follows them.
	HideCollections bool

	// Avatar and header: the media rows and the URLs shown, a path on this
	// server ("/media/…") once the file is here, else the remote address;
	// "" when there is none.
	AvatarMediaID   int64
	AvatarURL       string
	AvatarStaticURL string
	HeaderMediaID   int64
	HeaderURL       string
	HeaderStaticURL string

	// Remote accounts: their ActivityPub id and profile page. Empty for local.
	URI string
	URL string

	FollowersCount int64
	FollowingCount int64
	StatusesCount  int64
	LastStatusAt   *time.Time

	SuspendedAt *time.Time
	DeletedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Field is one profile metadata pair.
type Field struct {
	Name       string     `json:"name"`
	Value      string     `json:"value"`      // source text
	ValueHTML  string     `json:"value_html"` // rendered
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

// Local reports whether the account lives on this server.
func (a *Account) Local() bool { return a.Domain == "" }

// Acct is the Mastodon "acct": "user" for local accounts, "user@domain" for remote ones.
func (a *Account) Acct() string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

// Gone reports whether the account is suspended or deleted: its content is
// hidden from everyone and it may not act.
func (a *Account) Gone() bool { return a.SuspendedAt != nil || a.DeletedAt != nil }

// User is the sign-in side of a local account.
type User struct {
	AccountID    int64
	Email        string
	PasswordHash string
	Admin        bool
	Locale       string
	CreatedAt    time.Time
	// Approved is false for a sign-up waiting for an admin (registrations
	// "approval"); Reason is what the person wrote about why they join.
	Approved bool
	Reason   string
}

// SharesPostsFrom reports whether a local member's post made at t is
// shared with the fediverse (remote accounts' posts are theirs to share).
func (a *Account) SharesPostsFrom(t time.Time) bool {
	if !a.Local() {
		return true
	}
	return a.FediverseSharing && a.FediverseSince != nil && !t.Before(*a.FediverseSince)
}
