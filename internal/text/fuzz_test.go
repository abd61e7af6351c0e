package text

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"",
	"hello @alice @bob@example.com @carol@localhost:8080 #tag #café #123",
	"<script>alert('x')</script> & \"quoted\"",
	"https://en.wikipedia.org/wiki/Foo_(bar)) https://example.com/?q=<b>&r=\"x\"",
	"a\n\nb\r\nc\r\r\n\n",
	"#日本https://example.com 日本語#タグ ##a#b",
	"@a@b@c @josé me@example.com @@x",
	"https://www.example.com/" + strings.Repeat("long/", 20),
	"\xff\xfe@\xff#\xffhttps://\xff",
	"https://example.com/a_((b)) (https://x.example/(a(b)c)d)",
}

// fuzzOpts resolves only local mentions, so the visible text of the output
// must be exactly the source; the URLs it returns are hostile to check that
// attribute values are escaped.
var fuzzOpts = RenderOptions{
	MentionURL: func(m Mention) (string, bool) {
		return `"'><img src=x onerror=alert(1)>&` + m.Username, m.Domain == ""
	},
	TagURL: func(name string) string { return `javascript:"<x>` + name },
}

// fixedTags are all the tags Render emits apart from <a>, whose href varies.
var fixedTags = []string{
	`<span class="h-card" translate="no">`,
	`<span class="invisible">`,
	`<span class="ellipsis">`,
	`<span class="">`,
	`<span>`,
	`</span>`,
	`</a>`,
	`<br />`,
	`<p>`,
	`</p>`,
}

var anchorRE = regexp.MustCompile(`^<a href="([^"<>']*)"(?: target="_blank" rel="nofollow noopener" translate="no"| class="u-url mention"| class="mention hashtag" rel="tag")>`)

var charRefRE = regexp.MustCompile(`^&(?:amp|lt|gt|quot|#39);`)

// checkSafeHTML verifies that out consists only of the tags Render emits,
// properly nested, with every '&' starting one of the references escapeTo
// writes and no raw quote or '>' in text, and returns its text content.
func checkSafeHTML(t *testing.T, out string) string {
	t.Helper()
	var text strings.Builder
	var stack []string
	push := func(tag string) { stack = append(stack, tag) }
	pop := func(tag string) {
		if len(stack) == 0 || stack[len(stack)-1] != tag {
			t.Fatalf("unbalanced </%s> (open %v) in %q", tag, stack, out)
		}
		stack = stack[:len(stack)-1]
	}
	checkRefs := func(s string) {
		for i := strings.IndexByte(s, '&'); i >= 0; i = strings.IndexByte(s, '&') {
			if !charRefRE.MatchString(s[i:]) {
				t.Fatalf("bare '&' in %q", out)
			}
			s = s[i+1:]
		}
	}
	for rest := out; rest != ""; {
		if rest[0] != '<' {
			i := strings.IndexByte(rest, '<')
			if i < 0 {
				i = len(rest)
			}
			chunk := rest[:i]
			if strings.ContainsAny(chunk, `>"'`) {
				t.Fatalf("raw markup character in text %q of %q", chunk, out)
			}
			if len(stack) == 0 {
				t.Fatalf("text outside <p> in %q", out)
			}
			checkRefs(chunk)
			text.WriteString(html.UnescapeString(chunk))
			rest = rest[i:]
			continue
		}
		if m := anchorRE.FindStringSubmatch(rest); m != nil {
			checkRefs(m[1])
			for _, open := range stack {
				if open == "a" {
					t.Fatalf("nested <a> in %q", out)
				}
			}
			push("a")
			rest = rest[len(m[0]):]
			continue
		}
		tag := ""
		for _, ft := range fixedTags {
			if strings.HasPrefix(rest, ft) {
				tag = ft
				break
			}
		}
		switch {
		case tag == "":
			t.Fatalf("unexpected markup at %q in %q", rest[:min(len(rest), 20)], out)
		case tag == "<p>":
			if len(stack) != 0 {
				t.Fatalf("nested <p> in %q", out)
			}
			push("p")
		case tag == "<br />":
			if len(stack) != 1 {
				t.Fatalf("<br /> outside paragraph text in %q", out)
			}
		case strings.HasPrefix(tag, "</"):
			pop(strings.TrimSuffix(tag[2:], ">"))
		default:
			if len(stack) == 0 {
				t.Fatalf("%s outside <p> in %q", tag, out)
			}
			push("span")
		}
		rest = rest[len(tag):]
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed %v in %q", stack, out)
	}
	return text.String()
}

func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := Render(src, fuzzOpts)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 output %q", out)
		}
		if out == "" {
			if !isBlank(src) {
				t.Fatalf("Render(%q) = \"\" for non-blank input", src)
			}
			return
		}
		got := checkSafeHTML(t, out)
		// Every source character must come back, except line breaks, which
		// became markup.
		want := strings.NewReplacer("\r", "", "\n", "").Replace(string([]rune(src)))
		if got != want {
			t.Fatalf("text of Render(%q) = %q, want %q\n%s", src, got, want, out)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p := Parse(src)
		keys := map[string]bool{}
		for _, tag := range p.Tags {
			if !ValidTagName(tag) {
				t.Fatalf("Parse(%q) gave invalid tag %q", src, tag)
			}
			if keys[TagKey(tag)] {
				t.Fatalf("Parse(%q) gave duplicate tag %q", src, tag)
			}
			keys[TagKey(tag)] = true
			if k := TagKey(tag); TagKey(k) != k {
				t.Fatalf("TagKey not idempotent on %q", tag)
			}
		}
		for _, l := range p.Links {
			if schemeLen(l) == 0 || !strings.Contains(src, l) || strings.ContainsAny(l, " \n<>") {
				t.Fatalf("Parse(%q) gave bad link %q", src, l)
			}
		}
		accts := map[string]bool{}
		for _, m := range p.Mentions {
			a := strings.ToLower(m.Acct())
			if m.Username == "" || accts[a] || !strings.Contains(strings.ToLower(src), "@"+a) {
				t.Fatalf("Parse(%q) gave bad mention %#v", src, m)
			}
			accts[a] = true
		}
		n := Length(src)
		if n < 0 || (n == 0) != isBlank(src) {
			t.Fatalf("Length(%q) = %d", src, n)
		}
		ValidTagName(src)
		TagKey(src)
	})
}
