package service

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// What a search may look for (Search.Type).
const (
	SearchTypeAccounts = "accounts"
	SearchTypeHashtags = "hashtags"
	SearchTypeStatuses = "statuses"
)

// Bounds of a search (GET /api/v2/search).
const (
	MaxSearchText      = 400 // runes of a query: room for a long URL
	maxSearchTerms     = 16  // words of a post search
	defaultSearchLimit = 20  // results per type, as Mastodon
	// A hashtag search ranks at most searchTagCandidates tags (the first
	// by name), counting up to searchTagUses public posts of each.
	searchTagCandidates = 200
	searchTagUses       = 1000
)

// Search is a search of accounts, hashtags and posts (GET /api/v2/search).
type Search struct {
	Query string
	Type  string // "" = all three, or one of the SearchType… constants
	// Resolve asks to look a URL up (and, for accounts, an unknown
	// user@domain on its server). Signed-in viewers only.
	Resolve   bool
	Following bool  // accounts: only those the viewer follows
	AccountID int64 // posts: only this account's
	// ExcludeUnreviewed asks for reviewed hashtags only. weft has no
	// review of hashtags (its trends take every one), so it changes nothing.
	ExcludeUnreviewed bool
	Limit             int // per type, 1 to MaxSearchLimit; 0 = 20
	// Offset skips results, with a Type only (as Mastodon); signed-in
	// viewers only.
	Offset       int
	MaxID, MinID int64 // posts: IDs below MaxID, the page right above MinID
}

// SearchResults is what a search found, each list in its own order.
type SearchResults struct {
	Accounts []*model.Account
	Statuses []*StatusView
	Hashtags []*TagView
}

// Search finds accounts, hashtags and posts for the viewer (0 =
// anonymous), as Mastodon's search does:
//   - a URL, with Resolve, is looked up and nothing else is searched;
//   - accounts by the start of their username or display name, or
//     user@domain exactly (SearchAccounts);
//   - hashtags by the start of their name, the exact one first, then by
//     how many public posts use them;
//   - posts, for signed-in viewers only, by every word of the query (the
//     last may be the start of a word), newest first, among the posts the
//     viewer may find (store.StatusSearch) and may see (the visibility
//     policy, blocks and mutes).
//
// Like Mastodon, a query that starts with '#' finds no accounts, and one
// with '@' no hashtags; one that starts with '#' or has an '@' finds no
// posts unless it has several words.
func (s *Service) Search(ctx context.Context, viewer int64, in Search) (*SearchResults, error) {
	query := strings.TrimSpace(in.Query)
	if err := checkSearch(query, &in); err != nil {
		return nil, err
	}
	if viewer == 0 && in.Offset > 0 {
		return nil, model.Errorf(model.ErrUnauthorized, "", "Search queries pagination is not supported without authentication")
	}
	if viewer == 0 && in.Resolve {
		return nil, model.Errorf(model.ErrUnauthorized, "", "Search queries that resolve remote resources are not supported without authentication")
	}
	wants := func(t string) bool { return in.Type == "" || in.Type == t }
	out := &SearchResults{}
	q := s.st.Read()
	if in.Resolve && isHTTPURL(query) {
		err := s.resolveURL(ctx, q, viewer, query, in, out)
		return out, err
	}
	hashtag := strings.HasPrefix(query, "#")
	handle := strings.Contains(query, "@")
	words := strings.ContainsFunc(query, unicode.IsSpace)
	var terms []string
	if viewer != 0 && wants(SearchTypeStatuses) && (words || !(hashtag || handle)) {
		if terms = store.SearchTerms(query); len(terms) > maxSearchTerms {
			return nil, model.Invalid("q", "has too many words (at most %d)", maxSearchTerms)
		}
	}
	var err error
	if wants(SearchTypeAccounts) && !hashtag && !(handle && words) {
		out.Accounts, err = s.SearchAccounts(ctx, viewer, AccountSearch{Query: query, Limit: in.Limit, Offset: in.Offset,
			Following: in.Following, Resolve: in.Resolve})
		if err != nil {
			return nil, err
		}
	}
	if len(terms) > 0 {
		// Typing a word, its end may still be missing: the last word is a
		// prefix unless the query ends after it.
		last, _ := utf8.DecodeLastRuneInString(query)
		list, err := q.SearchStatuses(ctx, store.StatusSearch{Terms: terms, Viewer: viewer, AccountID: in.AccountID,
			Prefix: unicode.IsLetter(last) || unicode.IsNumber(last),
			Page:   model.Page{MaxID: in.MaxID, MinID: in.MinID, Limit: in.Limit}, Offset: in.Offset}, s.clock())
		if err != nil {
			return nil, err
		}
		if out.Statuses, err = s.hydrate(ctx, q, viewer, list, filter{mutes: true}); err != nil {
			return nil, err
		}
	}
	if wants(SearchTypeHashtags) && !handle {
		if out.Hashtags, err = s.searchHashtags(ctx, q, viewer, query, in.Limit, in.Offset); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkSearch refuses what cannot be a search and settles the defaults.
func checkSearch(query string, in *Search) error {
	switch {
	case query == "":
		return model.Errorf(model.ErrInvalid, "", "param is missing or the value is empty: q") // Mastodon's words
	case !utf8.ValidString(query) || strings.ContainsRune(query, 0):
		return model.Invalid("q", "is not valid text")
	case utf8.RuneCountInString(query) > MaxSearchText:
		return model.Invalid("q", "is too long (at most %d characters)", MaxSearchText)
	}
	switch in.Type {
	case "", SearchTypeAccounts, SearchTypeHashtags, SearchTypeStatuses:
	default:
		return model.Invalid("type", "must be accounts, hashtags or statuses")
	}
	if in.Offset < 0 || in.Offset > MaxSearchOffset {
		return model.Invalid("offset", "must be from 0 to %d", MaxSearchOffset)
	}
	if in.Type == "" {
		in.Offset = 0 // Mastodon pages a search of one type only
	}
	if in.Limit <= 0 {
		in.Limit = defaultSearchLimit
	}
	in.Limit = min(in.Limit, MaxSearchLimit)
	return nil
}

// searchHashtags finds hashtags by the start of their name ('#' or not):
// the hashtag named exactly first — even one no post used yet, when the
// query is a valid name, so the viewer can open or follow it — then the
// others that public posts use, the most used first. Hashtags only
// private posts use are not listed: their names are not the viewer's to
// learn.
func (s *Service) searchHashtags(ctx context.Context, q store.Queries, viewer int64, query string, limit, offset int) ([]*TagView, error) {
	name := strings.TrimPrefix(query, "#")
	if name == "" || strings.ContainsFunc(name, unicode.IsSpace) {
		return nil, nil
	}
	key := text.TagKey(name)
	matches, err := q.SearchTags(ctx, key, searchTagCandidates, searchTagUses)
	if err != nil {
		return nil, err
	}
	var tags []model.Tag
	if i := slices.IndexFunc(matches, func(m store.TagMatch) bool { return m.Key == key }); i >= 0 {
		tags = append(tags, matches[i].Tag)
		matches = slices.Delete(matches, i, i+1)
	} else if text.ValidTagName(name) {
		tags = append(tags, model.Tag{Name: name})
	}
	matches = slices.DeleteFunc(matches, func(m store.TagMatch) bool { return m.Uses == 0 })
	slices.SortStableFunc(matches, func(a, b store.TagMatch) int { return cmp.Compare(b.Uses, a.Uses) }) // name order among equals
	for _, m := range matches {
		tags = append(tags, m.Tag)
	}
	if offset >= len(tags) {
		return nil, nil
	}
	return s.tagViews(ctx, q, viewer, tags[offset:min(len(tags), offset+limit)])
}
