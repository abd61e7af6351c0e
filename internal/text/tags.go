package text

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// isTagSep is Mastodon's HASHTAG_SEPARATORS: characters that may join the
// words of a hashtag (as in "#Ich·bin" or Japanese "#ポケモン・GO") but
// cannot end one. The ZWNJ is needed to spell Persian words.
func isTagSep(r rune) bool {
	return r == '_' || r == '\u00B7' || r == '\u30FB' || r == '\u200C'
}

// TagKey normalises a hashtag name for matching: Unicode NFKC, then
// lower-cased. Two tags are the same tag iff their keys are equal.
//
// NFKC folds full-width and other compatibility forms (common in CJK
// input) onto the ordinary letters people search for.
func TagKey(name string) string {
	return strings.ToLower(norm.NFKC.String(name))
}

// ValidTagName reports whether name (without '#') is a valid hashtag name by
// the same rule Parse uses.
func ValidTagName(name string) bool {
	return name != "" && tagNameEnd(name, 0) == len(name)
}

// tagNameEnd matches Mastodon's HASHTAG_NAME_PAT at s[i:] and returns the
// end of the name, or i when there is none. The pattern is an alternation
// tried in order:
//
//	FIRST: word (word|sep)* (alpha|sep) (word|sep)* word
//	LAST:  word* alpha word*
//
// so separators may appear inside a name, and a name of digits alone
// ("#123", usually a number or an issue reference) is not a tag.
func tagNameEnd(s string, i int) int {
	var (
		idx       int  // rune index within the name
		lastWord  = -1 // rune index of the last word rune
		lastEnd   = i  // byte end of the last word rune
		firstMid  = -1 // first rune index >= 1 that is alpha or a separator
		wordEnd   = i  // byte end of the leading all-word run (LAST)
		wordAlpha bool // whether that run has an alphabetic rune
		inWords   = true
	)
	for j := i; j < len(s); idx++ {
		r, n, ok := decode(s[j:])
		if !ok {
			break
		}
		word := isWord(r)
		if !word && !isTagSep(r) || idx == 0 && !word {
			break
		}
		j += n
		if word {
			lastWord, lastEnd = idx, j
		}
		if idx >= 1 && firstMid < 0 && (isAlpha(r) || isTagSep(r)) {
			firstMid = idx
		}
		if inWords && word {
			wordEnd = j
			wordAlpha = wordAlpha || isAlpha(r)
		} else {
			inWords = false
		}
	}
	switch {
	case firstMid >= 1 && firstMid < lastWord:
		return lastEnd
	case wordAlpha:
		return wordEnd
	}
	return i
}

// scanTags follows Ruby's String#scan over
// %r{(?:^|[^/)\w])#(HASHTAG_NAME_PAT)}i. The character before '#' is
// consumed by the match, so it cannot be the end of the previous tag
// ("#a#b" has one tag), and \w is ASCII-only in Ruby, so "日本語#タグ" does
// have a tag. '/' and ')' keep URL fragments and "(1)#2" out.
func scanTags(s string) []entity {
	var out []entity
	consumed := 0
	for from := 0; from < len(s); {
		k := strings.IndexByte(s[from:], '#')
		if k < 0 {
			break
		}
		h := from + k
		from = h + 1
		if h > 0 {
			if h == consumed {
				continue
			}
			if r := prevRune(s, h); r == '/' || r == ')' || isASCIIWord(r) {
				continue
			}
		}
		end := tagNameEnd(s, h+1)
		if end == h+1 {
			continue
		}
		consumed, from = end, end
		name := s[h+1 : end]
		if strings.HasPrefix(s[end:], "://") {
			// "#日本https://…": Mastodon gives the scheme back to the URL.
			name = trimScheme(name)
			if !ValidTagName(name) {
				continue
			}
		}
		out = append(out, entity{kind: entTag, start: h, end: h + 1 + len(name), value: name})
	}
	return out
}

// trimScheme removes a trailing "http" or "https" that has something before
// it, as Mastodon's /(.+)(https?\Z)/ does.
func trimScheme(name string) string {
	for _, sfx := range []string{"https", "http"} {
		if len(name) > len(sfx) && strings.HasSuffix(name, sfx) {
			return name[:len(name)-len(sfx)]
		}
	}
	return name
}
