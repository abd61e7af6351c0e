package text

import (
	"net/url"
	"testing"
)

// testOpts resolves every mention except those of "nobody", the way a
// server that knows some accounts would.
var testOpts = RenderOptions{
	MentionURL: func(m Mention) (string, bool) {
		if m.Username == "nobody" {
			return "", false
		}
		if m.Domain == "" {
			return "https://example.com/@" + m.Username, true
		}
		return "https://" + m.Domain + "/@" + m.Username, true
	},
	TagURL: func(name string) string { return "https://example.com/tags/" + url.PathEscape(name) },
}

const (
	linkOpen  = `" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">`
	linkShort = `</span><span class="">`
	linkLong  = `</span><span class="ellipsis">`
	linkTail  = `</span><span class="invisible">`
	linkClose = `</span></a>`
)

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"empty", "", ""},
		{"whitespace only", " \n\t\r\n\u3000", ""},
		{"plain", "Hello world", "<p>Hello world</p>"},
		{
			"escaping",
			`<script>alert("x")</script> & 'q' <b>`,
			`<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;b&gt;</p>`,
		},
		{"entities stay text", "&amp; &lt;", "<p>&amp;amp; &amp;lt;</p>"},
		{"line break", "one\ntwo", "<p>one<br />two</p>"},
		{"paragraphs", "one\ntwo\n\nthree", "<p>one<br />two</p><p>three</p>"},
		{"crlf", "one\r\ntwo\r\n\r\n\r\nthree\r\n", "<p>one<br />two</p><p>three</p>"},
		{"bare cr", "one\rtwo\r\rthree", "<p>one<br />two</p><p>three</p>"},
		{"leading and trailing newlines", "\n\n\nhi\n\n", "<p>hi</p>"},
		{"single leading newline", "\nhi", "<p>hi</p>"},
		{
			"short link",
			"see https://example.com/short.",
			`<p>see <a href="https://example.com/short` + linkOpen + `https://` + linkShort + `example.com/short` + linkTail + linkClose + `.</p>`,
		},
		{
			"www hidden",
			"http://www.example.com/",
			`<p><a href="http://www.example.com/` + linkOpen + `http://www.` + linkShort + `example.com/` + linkTail + linkClose + `</p>`,
		},
		{
			"31 characters are not cut",
			"https://example.com/abcdefghijklmnopqrs",
			`<p><a href="https://example.com/abcdefghijklmnopqrs` + linkOpen + `https://` + linkShort + `example.com/abcdefghijklmnopqrs` + linkTail + linkClose + `</p>`,
		},
		{
			"32 characters are cut after 30",
			"https://example.com/abcdefghijklmnopqrst",
			`<p><a href="https://example.com/abcdefghijklmnopqrst` + linkOpen + `https://` + linkLong + `example.com/abcdefghijklmnopqr` + linkTail + `st` + linkClose + `</p>`,
		},
		{
			"long link with query",
			"https://www.example.com/this/is/a/very/long/path/indeed?yes=1&no=2",
			`<p><a href="https://www.example.com/this/is/a/very/long/path/indeed?yes=1&amp;no=2` + linkOpen + `https://www.` + linkLong +
				`example.com/this/is/a/very/lon` + linkTail + `g/path/indeed?yes=1&amp;no=2` + linkClose + `</p>`,
		},
		{
			"cut counts characters not bytes",
			"https://例え.jp/ああああああああああああああああああああああああああああ",
			`<p><a href="https://例え.jp/ああああああああああああああああああああああああああああ` + linkOpen + `https://` + linkLong +
				`例え.jp/ああああああああああああああああああああああああ` + linkTail + `ああああ` + linkClose + `</p>`,
		},
		{
			"quote in path is escaped",
			`https://example.com/a"b`,
			`<p><a href="https://example.com/a&quot;b` + linkOpen + `https://` + linkShort + `example.com/a&quot;b` + linkTail + linkClose + `</p>`,
		},
		{
			"balanced parens",
			"(https://en.wikipedia.org/wiki/Foo_(bar))",
			`<p>(<a href="https://en.wikipedia.org/wiki/Foo_(bar)` + linkOpen + `https://` + linkShort + `en.wikipedia.org/wiki/Foo_(bar)` + linkTail + linkClose + `)</p>`,
		},
		{
			"local mention",
			"hi @alice!",
			`<p>hi <span class="h-card" translate="no"><a href="https://example.com/@alice" class="u-url mention">@<span>alice</span></a></span>!</p>`,
		},
		{
			"remote mention shows username only",
			"@Bob@Remote.example, hi",
			`<p><span class="h-card" translate="no"><a href="https://remote.example/@Bob" class="u-url mention">@<span>Bob</span></a></span>, hi</p>`,
		},
		{
			"mention with port",
			"@carol@localhost:8080",
			`<p><span class="h-card" translate="no"><a href="https://localhost:8080/@carol" class="u-url mention">@<span>carol</span></a></span></p>`,
		},
		{"unresolved mention stays text", "@nobody@example.org hi", "<p>@nobody@example.org hi</p>"},
		{"email stays text", "me@example.com", "<p>me@example.com</p>"},
		{
			"hashtag",
			"I like #Cats.",
			`<p>I like <a href="https://example.com/tags/Cats" class="mention hashtag" rel="tag">#<span>Cats</span></a>.</p>`,
		},
		{
			"unicode hashtag",
			"#café",
			`<p><a href="https://example.com/tags/caf%C3%A9" class="mention hashtag" rel="tag">#<span>café</span></a></p>`,
		},
		{"digit hashtag stays text", "#123", "<p>#123</p>"},
		{
			"everything in a link stays in the link",
			"https://example.com/@alice#tag",
			`<p><a href="https://example.com/@alice#tag` + linkOpen + `https://` + linkShort + `example.com/@alice#tag` + linkTail + linkClose + `</p>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.src, testOpts); got != tt.want {
				t.Errorf("Render(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestRenderOptionCallbacks(t *testing.T) {
	src := "#tag @alice"
	if got, want := Render(src, RenderOptions{}), "<p>#tag @alice</p>"; got != want {
		t.Errorf("nil callbacks: got %s, want %s", got, want)
	}
	hostile := RenderOptions{
		MentionURL: func(Mention) (string, bool) { return `"><script>x</script>`, true },
		TagURL:     func(string) string { return `javascript:"'<>&` },
	}
	want := `<p><a href="javascript:&quot;&#39;&lt;&gt;&amp;" class="mention hashtag" rel="tag">#<span>tag</span></a> ` +
		`<span class="h-card" translate="no"><a href="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" class="u-url mention">@<span>alice</span></a></span></p>`
	if got := Render(src, hostile); got != want {
		t.Errorf("hostile callbacks:\n got %s\nwant %s", got, want)
	}
}

func TestRenderInvalidUTF8(t *testing.T) {
	if got, want := Render("a\xffb", testOpts), "<p>a\uFFFDb</p>"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
