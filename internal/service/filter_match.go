package service

import (
	"context"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"weft/internal/model"
)

// FilterVerdicts is what a viewer's filters say of some statuses in one
// context.
type FilterVerdicts struct {
	// Hidden holds the IDs of the statuses as listed (a boost's own ID)
	// that a hide filter matches: they are left out.
	Hidden map[int64]bool
	// Results holds the matching filters by status ID: a boost's results
	// are under its own ID and under the boosted post's.
	Results map[int64][]model.FilterResult
}

// ApplyFilters matches the viewer's active filters for context fc against
// statuses, loading the filters once for all of them. A post matches a
// filter through one of its keywords (in its text or content warning,
// whatever the case; whole_word ones only at word boundaries) or by being
// one of the filter's posts; a boost matches as the boosted post does, or
// by its own ID. The viewer's own posts are never filtered, as on
// Mastodon. Anonymous viewers have no filters.
func (s *Service) ApplyFilters(ctx context.Context, viewer int64, fc model.FilterContext, statuses []*StatusView) (FilterVerdicts, error) {
	var out FilterVerdicts
	if viewer == 0 || len(statuses) == 0 {
		return out, nil
	}
	q := s.st.Read()
	active, err := q.ActiveFiltersOf(ctx, viewer, s.clock())
	if err != nil {
		return out, err
	}
	var filters []*compiledFilter
	var filterIDs []int64
	for _, f := range active {
		if f.Applies(fc) {
			filters = append(filters, compileFilter(f))
			filterIDs = append(filterIDs, f.ID)
		}
	}
	if len(filters) == 0 {
		return out, nil
	}
	statusIDs := make([]int64, 0, len(statuses)*2)
	for _, v := range statuses {
		statusIDs = append(statusIDs, v.Status.ID)
		if v.Reblog != nil {
			statusIDs = append(statusIDs, v.Reblog.Status.ID)
		}
	}
	named, err := q.FilterStatusMatches(ctx, filterIDs, statusIDs)
	if err != nil {
		return out, err
	}
	namedBy := map[int64]map[int64]bool{} // filter → status IDs it names
	for _, fs := range named {
		if namedBy[fs.FilterID] == nil {
			namedBy[fs.FilterID] = map[int64]bool{}
		}
		namedBy[fs.FilterID][fs.StatusID] = true
	}
	out.Hidden, out.Results = map[int64]bool{}, map[int64][]model.FilterResult{}
	for _, v := range statuses {
		proper := v
		if v.Reblog != nil {
			proper = v.Reblog
		}
		if proper.Status.AccountID == viewer {
			continue
		}
		ids := []int64{v.Status.ID}
		if v.Reblog != nil {
			ids = append(ids, v.Reblog.Status.ID)
		}
		var text string // lower-cased on first need
		var results []model.FilterResult
		for _, f := range filters {
			var r model.FilterResult
			if len(f.keywords) > 0 {
				if text == "" {
					text = filterableText(proper.Status)
				}
				r.KeywordMatches = f.match(text)
			}
			for _, id := range ids {
				if namedBy[f.filter.ID][id] {
					r.StatusMatches = append(r.StatusMatches, id)
				}
			}
			if len(r.KeywordMatches) == 0 && len(r.StatusMatches) == 0 {
				continue
			}
			r.Filter = f.filter
			results = append(results, r)
			if f.filter.Action == model.FilterHide {
				out.Hidden[v.Status.ID] = true
			}
		}
		if len(results) > 0 {
			for _, id := range ids {
				out.Results[id] = results
			}
		}
	}
	return out, nil
}

// compiledFilter is a filter with its keywords lower-cased once.
type compiledFilter struct {
	filter   *model.Filter
	keywords []compiledKeyword
}

type compiledKeyword struct {
	keyword string // as the owner wrote it, for keyword_matches
	lower   string
	// Check the characters before and after a match (whole_word, on the
	// sides where the keyword itself starts or ends with a word character).
	checkStart, checkEnd bool
}

func compileFilter(f *model.Filter) *compiledFilter {
	c := &compiledFilter{filter: f}
	for _, k := range f.Keywords {
		lower := strings.ToLower(k.Keyword)
		if lower == "" {
			continue
		}
		ck := compiledKeyword{keyword: k.Keyword, lower: lower}
		if k.WholeWord {
			first, _ := utf8.DecodeRuneInString(lower)
			last, _ := utf8.DecodeLastRuneInString(lower)
			ck.checkStart, ck.checkEnd = isWordChar(first), isWordChar(last)
		}
		c.keywords = append(c.keywords, ck)
	}
	return c
}

// match returns the keywords found in text (lower case already).
func (c *compiledFilter) match(text string) []string {
	var out []string
	for _, k := range c.keywords {
		if k.in(text) {
			out = append(out, k.keyword)
		}
	}
	return out
}

// in reports whether the keyword occurs in text, at word boundaries where
// it has to.
func (k compiledKeyword) in(text string) bool {
	if !k.checkStart && !k.checkEnd {
		return strings.Contains(text, k.lower)
	}
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], k.lower)
		if i < 0 {
			return false
		}
		start := from + i
		end := start + len(k.lower)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !(k.checkStart && start > 0 && isWordChar(before)) && !(k.checkEnd && end < len(text) && isWordChar(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		from = start + size
	}
	return false
}

// isWordChar is Ruby's [[:word:]], which Mastodon's whole_word uses:
// letters, marks, decimal digits and connector punctuation (the underscore).
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

// filterableText is what keywords are matched against: the content
// warning and the text (the source of a local post, the content without
// its markup for a remote one), lower-cased.
func filterableText(st *model.Status) string {
	body := st.Text
	if !st.Local || body == "" {
		body = plainText(st.ContentHTML)
	}
	return strings.ToLower(st.SpoilerText + "\n\n" + body)
}

// plainText drops the markup of a post's HTML: line breaks and paragraph
// ends become new lines, other tags go, entities are decoded.
func plainText(h string) string {
	if !strings.ContainsAny(h, "<&") {
		return h
	}
	var b strings.Builder
	b.Grow(len(h))
	for len(h) > 0 {
		lt := strings.IndexByte(h, '<')
		if lt < 0 {
			b.WriteString(html.UnescapeString(h))
			break
		}
		b.WriteString(html.UnescapeString(h[:lt]))
		gt := strings.IndexByte(h[lt:], '>')
		if gt < 0 {
			break // an unclosed tag: nothing readable follows
		}
		tag := strings.ToLower(h[lt+1 : lt+gt])
		switch {
		case strings.HasPrefix(tag, "br"):
			b.WriteByte('\n')
		case tag == "/p":
			b.WriteString("\n\n")
		}
		h = h[lt+gt+1:]
	}
	return b.String()
}
