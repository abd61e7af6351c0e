package service

import (
	"slices"
	"testing"

	"weft/internal/model"
)

func TestFilterKeywordMatching(t *testing.T) {
	f := compileFilter(&model.Filter{Keywords: []*model.FilterKeyword{
		{Keyword: "Cat", WholeWord: true},
		{Keyword: "dog", WholeWord: false},
		{Keyword: "#tag", WholeWord: true}, // starts with a non-word character: only its end is checked
		{Keyword: "@twitter.com", WholeWord: true},
		{Keyword: "Straße", WholeWord: true}, // non-ASCII letters count as word characters
		{Keyword: "ÉTÉ", WholeWord: false},
	}})
	cases := []struct {
		text string
		want []string
	}{
		{"my cat", []string{"Cat"}},
		{"CAT!", []string{"Cat"}},
		{"(cat)", []string{"Cat"}},
		{"cats and concatenation", nil},
		{"cats, then a cat", []string{"Cat"}}, // a later occurrence at a boundary counts
		{"cat_food", nil},                     // the underscore is a word character
		{"hotdogs", []string{"dog"}},
		{"see #tag", []string{"#tag"}},
		{"see a#tag", []string{"#tag"}},
		{"see #tags", nil},
		{"via user@twitter.com", []string{"@twitter.com"}},
		{"die straße", []string{"Straße"}},
		{"die straßen", nil},
		{"l'été", []string{"ÉTÉ"}},
		{"nothing", nil},
	}
	for _, c := range cases {
		text := filterableText(&model.Status{Local: true, Text: c.text})
		if got := f.match(text); !slices.Equal(got, c.want) {
			t.Errorf("%q: matched %v, want %v", c.text, got, c.want)
		}
	}
}

func TestFilterableText(t *testing.T) {
	remote := &model.Status{ContentHTML: `<p>Hello <a href="https://x.example/@a"><span class="invisible">https://</span>x.example</a> &amp; you</p><p>line<br>break&#39;s</p>`,
		SpoilerText: "CW here"}
	want := "cw here\n\nhello https://x.example & you\n\nline\nbreak's\n\n"
	if got := filterableText(remote); got != want {
		t.Errorf("remote: %q, want %q", got, want)
	}
	// Markup never matches: a keyword "span" is not in the text.
	f := compileFilter(&model.Filter{Keywords: []*model.FilterKeyword{{Keyword: "span", WholeWord: false}}})
	if got := f.match(filterableText(remote)); got != nil {
		t.Errorf("matched markup: %v", got)
	}
	// A local post is matched on its source.
	local := &model.Status{Local: true, Text: "Source <b>text</b>", ContentHTML: "<p>Source &lt;b&gt;text&lt;/b&gt;</p>"}
	if got := filterableText(local); got != "\n\nsource <b>text</b>" {
		t.Errorf("local: %q", got)
	}
	if got := plainText("a < b and <unclosed"); got != "a " {
		t.Errorf("unclosed tag: %q", got)
	}
}
