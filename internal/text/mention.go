package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mention is one @mention in the source, in order of first appearance,
// deduplicated case-insensitively on (Username, Domain).
type Mention struct {
	Username string // as written, without '@'
	Domain   string // "" for a local mention (@user); "host" or "host:port" for @user@host or @user@host:port (lowercased)
}

// Acct is the WebFinger-style account name: "user" or "user@domain".
func (m Mention) Acct() string {
	if m.Domain == "" {
		return m.Username
	}
	return m.Username + "@" + m.Domain
}

// maxMentionDomain is Mastodon's Extractor::MAX_DOMAIN_LENGTH: longer hosts
// cannot be real, so such text is left alone rather than looked up.
const maxMentionDomain = 253

// latinAccents is twitter-text's LATIN_ACCENTS. A mention running straight
// into one of these ("@josé") was cut short by the ASCII-only username
// pattern, so Mastodon drops it instead of mentioning the wrong account.
var latinAccents = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x00C0, Hi: 0x00D6, Stride: 1},
		{Lo: 0x00D8, Hi: 0x00F6, Stride: 1},
		{Lo: 0x00F8, Hi: 0x024F, Stride: 1},
		{Lo: 0x0253, Hi: 0x0254, Stride: 1},
		{Lo: 0x0256, Hi: 0x0257, Stride: 1},
		{Lo: 0x0259, Hi: 0x025B, Stride: 2},
		{Lo: 0x0263, Hi: 0x0263, Stride: 1},
		{Lo: 0x0268, Hi: 0x0268, Stride: 1},
		{Lo: 0x026F, Hi: 0x026F, Stride: 1},
		{Lo: 0x0272, Hi: 0x0272, Stride: 1},
		{Lo: 0x0289, Hi: 0x0289, Stride: 1},
		{Lo: 0x028B, Hi: 0x028B, Stride: 1},
		{Lo: 0x02BB, Hi: 0x02BB, Stride: 1},
		{Lo: 0x0300, Hi: 0x036F, Stride: 1},
		{Lo: 0x1E00, Hi: 0x1EFF, Stride: 1},
	},
	LatinOffset: 2,
}

// scanMentions follows Ruby's String#scan over Account::MENTION_RE: after a
// match, even one later rejected, scanning resumes at its end, so
// "@a@b@c" yields nothing rather than "@b@c".
func scanMentions(s string) []entity {
	var out []entity
	pos := 0
	for pos < len(s) {
		i := strings.IndexByte(s[pos:], '@')
		if i < 0 {
			break
		}
		at := pos + i
		// (?<![=/[:word:]]): keeps e-mail addresses and URL paths out.
		if r := prevRune(s, at); r == '=' || r == '/' || (r >= 0 && isWord(r)) {
			pos = at + 1
			continue
		}
		m, end, ok := matchMention(s, at)
		if !ok {
			pos = at + 1
			continue
		}
		pos = end
		if rejectsMention(s[end:]) {
			continue
		}
		if host, _, _ := strings.Cut(m.Domain, ":"); utf8.RuneCountInString(host) > maxMentionDomain {
			continue
		}
		out = append(out, entity{kind: entMention, start: at, end: end, mention: m})
	}
	return out
}

// matchMention matches "@user", "@user@host" or "@user@host:port" at s[at].
func matchMention(s string, at int) (Mention, int, bool) {
	uEnd := dottedRun(s, at+1, isASCIIWord)
	if uEnd == at+1 {
		return Mention{}, 0, false
	}
	m := Mention{Username: s[at+1 : uEnd]}
	end := uEnd
	if end < len(s) && s[end] == '@' {
		if dEnd := dottedRun(s, end+1, isWord); dEnd > end+1 {
			dStart := end + 1
			end = portEnd(s, dEnd)
			m.Domain = strings.ToLower(s[dStart:end])
		}
	}
	return m, end, true
}

// dottedRun returns the end of the longest run at s[i:] that starts and ends
// with a word rune and has only word runes, '.' and '-' between: the shape
// of both USERNAME_RE and the domain part of MENTION_RE. It returns i when
// there is none.
func dottedRun(s string, i int, word func(rune) bool) int {
	end := i
	for j := i; j < len(s); {
		r, n, ok := decode(s[j:])
		switch {
		case ok && word(r):
			j += n
			end = j
		case (r == '.' || r == '-') && j > i:
			j += n
		default:
			return end
		}
	}
	return end
}

// portEnd extends a mention host by ":port" (1-5 digits), which Mastodon
// lacks but development instances on localhost need. A longer digit run or
// one glued to letters is not a port, so the host alone is kept.
func portEnd(s string, i int) int {
	if i >= len(s) || s[i] != ':' {
		return i
	}
	j := i + 1
	for j < len(s) && isASCIIDigit(s[j]) {
		j++
	}
	if j == i+1 || j-i-1 > 5 {
		return i
	}
	if r, _, ok := decode(s[j:]); ok && isWord(r) {
		return i
	}
	return j
}

// rejectsMention is twitter-text's end_mention_match: text directly after a
// mention that shows it was not really one (another '@', an accented letter,
// or "://" as in "@https://…").
func rejectsMention(after string) bool {
	if strings.HasPrefix(after, "@") || strings.HasPrefix(after, "＠") || strings.HasPrefix(after, "://") {
		return true
	}
	r, _, ok := decode(after)
	return ok && unicode.Is(latinAccents, r)
}
