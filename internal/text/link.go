package text

import (
	"strings"
	"unicode"
)

// scanLinks finds http(s) URLs the way Mastodon's twitter-text overrides
// (config/initializers/twitter_regex.rb) do, except that any host name is
// accepted rather than only those with a known top-level domain, so that
// "http://localhost:3000/" links on a development instance.
func scanLinks(s string) []entity {
	var out []entity
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != 'h' {
			continue
		}
		n := schemeLen(s[i:])
		if n == 0 || !linkMayStart(s, i) {
			continue
		}
		end := linkEnd(s, i+n)
		if end == i+n {
			continue
		}
		out = append(out, entity{kind: entLink, start: i, end: end, value: s[i:end]})
		i = end - 1
	}
	return out
}

// schemeLen is the length of a leading "http://" or "https://" in any case.
func schemeLen(s string) int {
	for _, p := range []string{"http://", "https://"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// linkMayStart is twitter-text's valid_url_preceding_chars: a URL glued to a
// letter, digit, '@', '$' or '#' is part of some other word.
func linkMayStart(s string, i int) bool {
	switch r := prevRune(s, i); r {
	case -1:
		return true
	case '@', '＠', '$', '#', '＃', '\uFFFE', '\uFEFF', '\uFFFF':
		return false
	default:
		return !isASCIIAlnum(r)
	}
}

// linkEnd returns the end of the URL whose host starts at s[p], or p when
// there is no host.
func linkEnd(s string, p int) int {
	end := hostEnd(s, p)
	if end == p {
		return p
	}
	if end < len(s) && s[end] == ':' {
		j := end + 1
		for j < len(s) && isASCIIDigit(s[j]) {
			j++
		}
		if j > end+1 {
			end = j
		}
	}
	if end < len(s) && s[end] == '/' {
		end = pathEnd(s, end+1)
	}
	if end < len(s) && s[end] == '?' {
		end = queryEnd(s, end)
	}
	return end
}

func isHostAlnum(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// hostEnd matches dot-separated labels, each starting and ending with a
// letter or digit (IDN letters included), so that a sentence's full stop or
// a trailing hyphen is not taken as part of the host.
func hostEnd(s string, p int) int {
	end := p
	for i := p; ; {
		le := i
		for j := i; j < len(s); {
			r, n, ok := decode(s[j:])
			if ok && isHostAlnum(r) {
				j += n
				le = j
			} else if (r == '-' || r == '_') && j > i {
				j += n
			} else {
				break
			}
		}
		if le == i {
			return end
		}
		end = le
		if le >= len(s) || s[le] != '.' {
			return end
		}
		i = le + 1
	}
}

// isPathChar is Mastodon's valid_general_url_path_chars, less control
// characters and invalid bytes, which no real URL contains.
func isPathChar(r rune, ok bool) bool {
	if !ok || unicode.IsControl(r) || unicode.Is(unicode.White_Space, r) {
		return false
	}
	switch r {
	case '<', '>', '(', ')', '?':
		return false
	}
	return true
}

// isPathEnding is Mastodon's valid_url_path_ending_chars: punctuation that
// usually belongs to the surrounding sentence rather than the URL.
func isPathEnding(r rune) bool {
	return !strings.ContainsRune(`!*"'「」<>;:=,.$%[]~&|@`, r)
}

// pathEnd returns the end of a path starting after its first '/' at s[p].
// The path is a run of path characters and balanced parenthesised groups,
// cut back to its last ending character or group so that trailing
// punctuation and an unmatched ')' stay outside.
func pathEnd(s string, p int) int {
	good := p
	for i := p; i < len(s); {
		if s[i] == '(' {
			e := balancedEnd(s, i)
			if e == i {
				break
			}
			i, good = e, e
			continue
		}
		r, n, ok := decode(s[i:])
		if !isPathChar(r, ok) {
			break
		}
		i += n
		if isPathEnding(r) {
			good = i
		}
	}
	return good
}

// balancedEnd matches valid_url_balanced_parens at s[i] == '(': a non-empty
// group with at most one nested level, as in "/wiki/Foo_(bar)". It returns
// i when there is no such group.
func balancedEnd(s string, i int) int {
	j := pathRun(s, i+1)
	if j < len(s) && s[j] == ')' && j > i+1 {
		return j + 1
	}
	if j < len(s) && s[j] == '(' {
		k := pathRun(s, j+1)
		if k > j+1 && k < len(s) && s[k] == ')' {
			m := pathRun(s, k+1)
			if m < len(s) && s[m] == ')' {
				return m + 1
			}
		}
	}
	return i
}

func pathRun(s string, i int) int {
	for i < len(s) {
		r, n, ok := decode(s[i:])
		if !isPathChar(r, ok) {
			break
		}
		i += n
	}
	return i
}

// queryEnd returns the end of a query string whose '?' is at s[q], or q
// when nothing after the '?' can end a query (then the '?' is the
// sentence's).
func queryEnd(s string, q int) int {
	good := q
	for i := q + 1; i < len(s); {
		r, n, ok := decode(s[i:])
		if !ok || !isQueryChar(r) {
			break
		}
		i += n
		if isQueryEnding(r) {
			good = i
		}
	}
	return good
}

// isQueryChar is valid_url_query_chars; unlike Mastodon it refuses Unicode
// spaces such as U+3000, which would otherwise pull the next word in.
func isQueryChar(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune("!?*'();:&=+$/%#[]-_.,~|@^", r) || isURLUChar(r)
}

func isQueryEnding(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune("_&=#/-", r) || isURLUChar(r)
}

// isURLUChar is the ucschar/iprivate set of RFC 3987 that Mastodon admits
// in query strings.
func isURLUChar(r rune) bool {
	if r < 0xA0 || unicode.Is(unicode.White_Space, r) {
		return false
	}
	if r >= 0x10000 {
		plane := r >> 16
		return r&0xFFFF <= 0xFFFD && !(plane == 0xE && r < 0xE1000)
	}
	return r <= 0xD7FF || r >= 0xE000 && r <= 0xF8FF || r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFEF
}
