package text

import (
	"reflect"
	"testing"
)

func TestParseLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"bare", "https://example.com", []string{"https://example.com"}},
		{"http", "see http://example.com/a", []string{"http://example.com/a"}},
		{"upper case scheme", "HTTPS://EXAMPLE.COM/X", []string{"HTTPS://EXAMPLE.COM/X"}},
		{"full stop", "Visit https://example.com.", []string{"https://example.com"}},
		{"host full stop then space", "https://example.com. Next", []string{"https://example.com"}},
		{"path punctuation", "https://example.com/a, https://example.com/b; https://example.com/c!", []string{"https://example.com/a", "https://example.com/b", "https://example.com/c"}},
		{"question and colon", "https://example.com/a? https://example.com/b:", []string{"https://example.com/a", "https://example.com/b"}},
		{"quotes", `"https://example.com/q" 'https://example.com/r'`, []string{"https://example.com/q", "https://example.com/r"}},
		{"query", "https://example.com/s?q=1&r=two.", []string{"https://example.com/s?q=1&r=two"}},
		{"query without path", "https://example.com?q=1", []string{"https://example.com?q=1"}},
		{"bare question mark", "is it https://example.com?", []string{"https://example.com"}},
		{"fragment", "https://example.com/page#part.", []string{"https://example.com/page#part"}},
		{"unbalanced paren", "(see https://example.com/foo)", []string{"https://example.com/foo"}},
		{"balanced parens", "https://en.wikipedia.org/wiki/Foo_(bar)", []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
		{"balanced inside unbalanced", "(https://en.wikipedia.org/wiki/Foo_(bar)).", []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
		{"nested parens", "https://example.com/a_((b))", []string{"https://example.com/a_((b))"}},
		{"square bracket", "[https://example.com/a]", []string{"https://example.com/a"}},
		{"port", "http://localhost:3000/path", []string{"http://localhost:3000/path"}},
		{"idn", "https://例え.jp/パス", []string{"https://例え.jp/パス"}},
		{"html stops it", "https://example.com/foo<script>", []string{"https://example.com/foo"}},
		{"mention and tag inside", "https://example.com/@alice/1#top", []string{"https://example.com/@alice/1#top"}},
		{"duplicates", "https://a.example https://b.example https://a.example", []string{"https://a.example", "https://b.example"}},
		{"glued to word", "xhttps://example.com @https://example.com", nil},
		{"other schemes", "ftp://example.com javascript:alert(1) mailto:a@b.c example.com", nil},
		{"no host", "https:// https://. https://-x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.src).Links
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q).Links = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestParseMixed(t *testing.T) {
	src := "Hey @alice@example.com, read https://example.com/@bob#top about #Go and #go! cc @carol"
	want := Parsed{
		Mentions: []Mention{{"alice", "example.com"}, {"carol", ""}},
		Tags:     []string{"Go"},
		Links:    []string{"https://example.com/@bob#top"},
	}
	if got := Parse(src); !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(%q) = %#v, want %#v", src, got, want)
	}
	if got := Parse(""); !reflect.DeepEqual(got, Parsed{}) {
		t.Errorf("Parse(\"\") = %#v, want zero", got)
	}
}
