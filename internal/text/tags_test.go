package text

import (
	"reflect"
	"testing"
)

func TestParseTags(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"ascii", "hello #world", []string{"world"}},
		{"at start", "#world hello", []string{"world"}},
		{"latin accent", "#café au lait", []string{"café"}},
		{"cjk", "#日本語 テスト", []string{"日本語"}},
		{"cjk without space before", "日本語#タグ", []string{"タグ"}},
		{"digits only", "#123 and #1", nil},
		{"digits then letters", "#123abc", []string{"123abc"}},
		{"underscore", "#foo_bar #foo_", []string{"foo_bar", "foo_"}},
		{"middle dot joins", "#Ich·bin", []string{"Ich·bin"}},
		{"middle dot cannot end", "#tag· x", []string{"tag"}},
		{"trailing full stop", "I like #cats.", []string{"cats"}},
		{"trailing apostrophe", "#cats' toys", []string{"cats"}},
		{"in parens", "(#tag)", []string{"tag"}},
		{"dedup by key keeps first form", "#Café #café #CAFÉ", []string{"Café"}},
		{"dedup fullwidth", "#ｆｕｌｌ #full", []string{"ｆｕｌｌ"}},
		{"after letter", "a#b", nil},
		{"after slash", "foo/#bar", nil},
		{"after paren", "(1)#two", nil},
		{"glued to previous tag", "#a#b", []string{"a"}},
		{"double hash", "##tag", []string{"tag"}},
		{"url fragment after slash", "https://example.com/#foo", nil},
		{"url fragment after path", "https://example.com/page#foo", nil},
		{"url fragment after punctuation", "https://example.com/a.#foo", nil},
		{"scheme split off", "#日本https://example.com", []string{"日本"}},
		{"lone hash", "# #. #!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.src).Tags
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q).Tags = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestValidTagName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"café", true},
		{"日本語", true},
		{"a", true},
		{"1a", true},
		{"foo_", true},
		{"foo·bar", true},
		{"ｆｕｌｌ", true},
		{"", false},
		{"123", false},
		{"_", false},
		{"_123", false},
		{"foo bar", false},
		{"foo-bar", false},
		{"foo·", false},
		{"·foo", false},
		{"#foo", false},
		{"foo.", false},
		{"\xff", false},
	}
	for _, tt := range tests {
		if got := ValidTagName(tt.name); got != tt.want {
			t.Errorf("ValidTagName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTagKey(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"Café", "café", "CAFÉ", "Cafe\u0301"}, "café"},
		{[]string{"ＣＡＦＥ", "ｃａｆｅ", "Cafe", "cafe"}, "cafe"},
		{[]string{"ﬁsh", "Fish"}, "fish"},
		{[]string{"日本語"}, "日本語"},
		{[]string{"Straße"}, "straße"},
	}
	for _, tt := range tests {
		for _, in := range tt.in {
			if got := TagKey(in); got != tt.want {
				t.Errorf("TagKey(%q) = %q, want %q", in, got, tt.want)
			}
		}
	}
	if TagKey("café") == TagKey("cafe") {
		t.Error("TagKey must not strip accents")
	}
}
