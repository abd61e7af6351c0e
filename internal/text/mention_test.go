package text

import (
	"reflect"
	"testing"
)

func TestParseMentions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Mention
	}{
		{"local", "hi @alice", []Mention{{"alice", ""}}},
		{"remote", "hi @alice@example.com!", []Mention{{"alice", "example.com"}}},
		{"domain lowercased, username as written", "@Alice@Example.COM", []Mention{{"Alice", "example.com"}}},
		{"host and port", "@alice@localhost:8080 hi", []Mention{{"alice", "localhost:8080"}}},
		{"port before comma", "@alice@localhost:3000, hi", []Mention{{"alice", "localhost:3000"}}},
		{"six digits is no port", "@alice@localhost:123456", []Mention{{"alice", "localhost"}}},
		{"colon after host", "cc @alice@example.com: hi", []Mention{{"alice", "example.com"}}},
		{"idn domain", "@alice@Bücher.example", []Mention{{"alice", "bücher.example"}}},
		{"dots and dashes inside", "@b.o-b_x", []Mention{{"b.o-b_x", ""}}},
		{"several in order", "@carol @alice@a.example @bob", []Mention{{"carol", ""}, {"alice", "a.example"}, {"bob", ""}}},
		{
			"duplicates case-insensitive",
			"@alice @Alice @alice@example.com @ALICE@EXAMPLE.com @alice",
			[]Mention{{"alice", ""}, {"alice", "example.com"}},
		},
		{"trailing full stop", "thanks @bob.", []Mention{{"bob", ""}}},
		{"trailing comma after domain", "@bob@example.com, hi", []Mention{{"bob", "example.com"}}},
		{"trailing dash", "@bob- yes", []Mention{{"bob", ""}}},
		{"possessive", "@bob's post", []Mention{{"bob", ""}}},
		{"in parens", "(@bob)", []Mention{{"bob", ""}}},
		{"in corner brackets", "「@bob」", []Mention{{"bob", ""}}},
		{"double at sign", "@@bob", []Mention{{"bob", ""}}},
		{"email is not a mention", "mail me@example.com", nil},
		{"after letter", "日本@bob", nil},
		{"after slash", "see example.com/@bob", nil},
		{"after equals", "?u=@bob", nil},
		{"in url", "https://example.com/@bob", nil},
		{"in url after comma", "https://example.com/a,@bob", nil},
		{"accented letter after", "@josé", nil},
		{"dangling at", "@bob@ hi", nil},
		{"chain of ats", "@a@b@c", nil},
		{"scheme after", "@https://example.com", nil},
		{"no username", "@ @. @-x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.src).Mentions
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q).Mentions = %#v, want %#v", tt.src, got, tt.want)
			}
		})
	}
}

func TestMentionAcct(t *testing.T) {
	for _, tt := range []struct {
		m    Mention
		want string
	}{
		{Mention{"alice", ""}, "alice"},
		{Mention{"alice", "example.com"}, "alice@example.com"},
		{Mention{"alice", "localhost:8080"}, "alice@localhost:8080"},
	} {
		if got := tt.m.Acct(); got != tt.want {
			t.Errorf("%#v.Acct() = %q, want %q", tt.m, got, tt.want)
		}
	}
}
