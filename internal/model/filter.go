package model

import (
	"slices"
	"strings"
	"time"
)

// FilterContext is where a filter applies, with Mastodon's names.
type FilterContext string

const (
	FilterHome          FilterContext = "home"          // the home timeline and lists
	FilterNotifications FilterContext = "notifications" // the notifications
	FilterPublic        FilterContext = "public"        // the public and hashtag timelines
	FilterThread        FilterContext = "thread"        // a post's thread (its context)
	FilterAccount       FilterContext = "account"       // an account's posts (a profile)
)

// FilterContexts lists every context, in Mastodon's order.
var FilterContexts = []FilterContext{FilterHome, FilterNotifications, FilterPublic, FilterThread, FilterAccount}

// ParseFilterContexts checks the contexts a client gave: at least one, each
// known; repeats are dropped.
func ParseFilterContexts(names []string) ([]FilterContext, error) {
	if len(names) == 0 {
		return nil, Invalid("context", "can't be blank")
	}
	var out []FilterContext
	for _, n := range names {
		c := FilterContext(strings.TrimSpace(n))
		if !slices.Contains(FilterContexts, c) {
			return nil, Invalid("context", "none or invalid context supplied")
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// FilterAction is what a matching filter does to a post.
type FilterAction string

const (
	FilterWarn FilterAction = "warn" // show it behind a warning naming the filter
	FilterHide FilterAction = "hide" // leave it out
	FilterBlur FilterAction = "blur" // show it with its media hidden behind a warning (clients do it)
)

// ParseFilterAction checks a filter action given by a client.
func ParseFilterAction(s string) (FilterAction, error) {
	switch a := FilterAction(strings.TrimSpace(s)); a {
	case FilterWarn, FilterHide, FilterBlur:
		return a, nil
	}
	return "", Invalid("filter_action", "must be one of warn, hide, blur")
}

// Limits of filters. Mastodon sets none but the title's; these keep the
// work of applying one viewer's filters to a page bounded.
const (
	MaxFilters         = 100 // per account
	MaxFilterKeywords  = 100 // per filter
	MaxFilterStatuses  = 1000
	MaxFilterTitle     = 256 // characters
	MaxFilterKeyword   = 512 // characters
	MaxFilterExpiresIn = 100 * 365 * 24 * time.Hour
)

// Filter is a named group of keywords and posts the owner does not want to
// see (or wants to see behind a warning) in some contexts, until it expires.
type Filter struct {
	ID        int64
	AccountID int64 // the owner
	Title     string
	Context   []FilterContext
	Action    FilterAction
	ExpiresAt *time.Time // nil: never
	CreatedAt time.Time
	Keywords  []*FilterKeyword
	Statuses  []*FilterStatus
}

// Active reports whether the filter has not expired at now.
func (f *Filter) Active(now time.Time) bool { return f.ExpiresAt == nil || f.ExpiresAt.After(now) }

// Applies reports whether the filter is meant for context c.
func (f *Filter) Applies(c FilterContext) bool { return slices.Contains(f.Context, c) }

// FilterKeyword is a phrase of a filter. WholeWord: it matches only where
// it does not continue a word on either side.
type FilterKeyword struct {
	ID        int64
	FilterID  int64
	Keyword   string
	WholeWord bool
	CreatedAt time.Time
}

// FilterStatus is one post a filter names.
type FilterStatus struct {
	ID        int64
	FilterID  int64
	StatusID  int64
	CreatedAt time.Time
}

// FilterResult is one filter matching one post: through which keywords and
// which of the post's IDs (the post, or the post a boost boosts).
type FilterResult struct {
	Filter         *Filter
	KeywordMatches []string
	StatusMatches  []int64
}
