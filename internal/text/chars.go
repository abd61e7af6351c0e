// Package text parses the plain text of local posts for mentions, hashtags
// and links, and renders it to the safe HTML that Mastodon clients expect.
//
// The rules follow Mastodon (Account::MENTION_RE, Tag::HASHTAG_RE, its
// twitter-text URL overrides, TextFormatter and StatusLengthValidator) so
// that a post looks and counts the same here as on a Mastodon server. The
// scanners are hand-written rather than regexp-based because Go's RE2 has no
// lookbehind and Mastodon's patterns lean on it and on Ruby's scan
// semantics (where a match consumes the character before a hashtag).
package text

import (
	"unicode"
	"unicode/utf8"
)

// isWord is Onigmo's Unicode [[:word:]], which Mastodon uses for mention
// domains and hashtag names; Ruby's \w, by contrast, is ASCII-only (see
// isASCIIWord).
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Pc, r)
}

// isAlpha is Onigmo's [[:alpha:]] (the Alphabetic property).
func isAlpha(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_Alphabetic, r)
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func isASCIIWord(r rune) bool { return r == '_' || isASCIIAlnum(r) }

func isASCIIDigit(b byte) bool { return b >= '0' && b <= '9' }

// decode is utf8.DecodeRuneInString, but reports whether the rune really was
// in the input: a lone invalid byte must never count as U+FFFD text that
// could end up inside a URL or a name.
func decode(s string) (r rune, size int, ok bool) {
	r, size = utf8.DecodeRuneInString(s)
	return r, size, !(r == utf8.RuneError && size <= 1)
}

// prevRune is the rune ending at byte i, or -1 at the start of s.
func prevRune(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// isBlank mirrors ActiveSupport's String#blank?, which TextFormatter and the
// length validator check before doing anything else.
func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
