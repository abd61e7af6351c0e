package model

// Page selects a window of a newest-first list, with Mastodon's semantics:
// MaxID: only items with an ID below it; SinceID: only items above it, newest
// first; MinID: only items above it, the ones just above it (oldest first in
// the query, returned newest first). Limit is clamped by the service.
type Page struct {
	MaxID   int64
	SinceID int64
	MinID   int64
	Limit   int
}

// DefaultLimit and MaxLimit are Mastodon's for timelines.
const (
	DefaultLimit = 20
	MaxLimit     = 40
)

// Clamp returns the page with Limit within [1, max], DefaultLimit when unset.
func (p Page) Clamp(max int) Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit > max {
		p.Limit = max
	}
	return p
}
