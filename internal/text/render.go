package text

import (
	"strings"
	"unicode/utf8"
)

// RenderOptions supplies the URLs that rendering links mentions and
// hashtags to; the package itself knows nothing of accounts or routes.
type RenderOptions struct {
	// MentionURL returns the profile URL for a mention; ok=false leaves the mention as plain (escaped) text.
	MentionURL func(m Mention) (url string, ok bool)
	// TagURL returns the URL of a hashtag's page (e.g. https://example.com/tags/foo).
	// The name is passed as written, so the URL should percent-encode it;
	// Render only HTML-escapes what it is given. When nil, hashtags are left
	// as plain text.
	TagURL func(name string) string
}

// displayURLChars is how much of a URL (after its scheme and "www.")
// Mastodon shows before the ellipsis.
const displayURLChars = 30

// Render turns plain source text into safe HTML like Mastodon's
// TextFormatter: everything is escaped, links, hashtags and mentions become
// anchors, blank lines separate <p> paragraphs and single newlines become
// <br />. Empty or whitespace-only input gives "". Mastodon strips a post's
// leading and trailing whitespace before saving it; callers should too, so
// that the stored source and HTML agree.
func Render(src string, opts RenderOptions) string {
	if isBlank(src) {
		return ""
	}
	var b strings.Builder
	b.Grow(len(src) + len(src)/4)
	last := 0
	for _, e := range extract(src, true) {
		escapeTo(&b, src[last:e.start])
		last = e.end
		switch e.kind {
		case entLink:
			writeLink(&b, e.value)
		case entTag:
			if opts.TagURL == nil {
				escapeTo(&b, src[e.start:e.end])
				continue
			}
			b.WriteString(`<a href="`)
			escapeTo(&b, opts.TagURL(e.value))
			b.WriteString(`" class="mention hashtag" rel="tag">#<span>`)
			escapeTo(&b, e.value)
			b.WriteString(`</span></a>`)
		case entMention:
			var url string
			ok := false
			if opts.MentionURL != nil {
				url, ok = opts.MentionURL(e.mention)
			}
			if !ok {
				escapeTo(&b, src[e.start:e.end])
				continue
			}
			b.WriteString(`<span class="h-card" translate="no"><a href="`)
			escapeTo(&b, url)
			b.WriteString(`" class="u-url mention">@<span>`)
			escapeTo(&b, e.mention.Username)
			b.WriteString(`</span></a></span>`)
		}
	}
	escapeTo(&b, src[last:])
	return paragraphs(b.String())
}

// writeLink renders Mastodon's shortened link: the scheme and "www." are
// hidden, and so is everything after the first 30 characters, which CSS then
// marks with an ellipsis. Copying the link text still yields the whole URL.
func writeLink(b *strings.Builder, url string) {
	prefix := url[:schemeLen(url)]
	if rest := url[len(prefix):]; len(rest) >= 4 && strings.EqualFold(rest[:4], "www.") {
		prefix = url[:len(prefix)+4]
	}
	display, suffix := url[len(prefix):], ""
	cut := false
	// Cutting off a single character would save nothing once the ellipsis
	// is drawn, so Mastodon then shows the whole thing.
	if utf8.RuneCountInString(display) > displayURLChars+1 {
		i := 0
		for n := 0; n < displayURLChars; n++ {
			_, size := utf8.DecodeRuneInString(display[i:])
			i += size
		}
		display, suffix, cut = display[:i], display[i:], true
	}
	b.WriteString(`<a href="`)
	escapeTo(b, url)
	b.WriteString(`" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">`)
	escapeTo(b, prefix)
	if cut {
		b.WriteString(`</span><span class="ellipsis">`)
	} else {
		b.WriteString(`</span><span class="">`)
	}
	escapeTo(b, display)
	b.WriteString(`</span><span class="invisible">`)
	escapeTo(b, suffix)
	b.WriteString(`</span></a>`)
}

// escapeTo writes s HTML-escaped as Ruby's ERB::Util.html_escape does, and
// replaces each invalid UTF-8 byte with U+FFFD so the output is always
// valid UTF-8 (PostgreSQL rejects anything else).
func escapeTo(b *strings.Builder, s string) {
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] < utf8.RuneSelf && !needsEscape(s[i]) {
			i++
		}
		b.WriteString(s[:i])
		s = s[i:]
		if len(s) == 0 {
			return
		}
		if s[0] < utf8.RuneSelf {
			b.WriteString(escapes[s[0]])
			s = s[1:]
			continue
		}
		r, n, ok := decode(s)
		if ok {
			b.WriteString(s[:n])
		} else {
			b.WriteRune(r)
		}
		s = s[n:]
	}
}

func needsEscape(c byte) bool { return escapes[c] != "" }

var escapes = [utf8.RuneSelf]string{
	'&':  "&amp;",
	'<':  "&lt;",
	'>':  "&gt;",
	'"':  "&quot;",
	'\'': "&#39;",
}

// paragraphs is Rails' simple_format followed by Mastodon's deletion of the
// remaining newlines: \r\n and \r count as \n, runs of two or more newlines
// separate paragraphs, and a newline inside a paragraph becomes <br />
// unless it is at the paragraph's edge. Unlike Rails, an empty paragraph
// (from leading blank lines, which Mastodon strips before saving) is
// dropped rather than rendered as <p></p>.
func paragraphs(html string) string {
	html = strings.ReplaceAll(html, "\r\n", "\n")
	html = strings.ReplaceAll(html, "\r", "\n")
	var b strings.Builder
	b.Grow(len(html) + 16)
	for len(html) > 0 {
		para := html
		if i := strings.Index(html, "\n\n"); i >= 0 {
			para = html[:i]
			j := i
			for j < len(html) && html[j] == '\n' {
				j++
			}
			html = html[j:]
		} else {
			html = ""
		}
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i := 0; i < len(para); i++ {
			if para[i] != '\n' {
				j := strings.IndexByte(para[i:], '\n')
				if j < 0 {
					j = len(para) - i
				}
				b.WriteString(para[i : i+j])
				i += j - 1
				continue
			}
			if i > 0 && i < len(para)-1 {
				b.WriteString("<br />")
			}
		}
		b.WriteString("</p>")
	}
	return b.String()
}
