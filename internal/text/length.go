package text

import "unicode/utf8"

// urlLength is what every URL counts as, whatever its real length, so that
// users are not punished for long links (Mastodon's URL_PLACEHOLDER).
const urlLength = 23

// Length counts characters the way Mastodon's status length validator
// does: Unicode code points, except every http(s) URL counts as exactly 23
// characters, and a remote mention @user@domain counts as just "@user"
// (the domain is not the author's choice). Hashtags count in full.
// Whitespace-only text counts as 0.
//
// Mastodon itself counts grapheme clusters rather than code points, so an
// emoji built of several code points (a flag, a ZWJ family) counts as one
// there and as several here; Go's standard library has no grapheme
// segmentation to match it with.
func Length(src string) int {
	if isBlank(src) {
		return 0
	}
	n, last := 0, 0
	for _, e := range extract(src, false) {
		n += utf8.RuneCountInString(src[last:e.start])
		last = e.end
		if e.kind == entLink {
			n += urlLength
		} else {
			n += 1 + utf8.RuneCountInString(e.mention.Username)
		}
	}
	return n + utf8.RuneCountInString(src[last:])
}
