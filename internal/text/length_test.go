package text

import "testing"

func TestLength(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"", 0},
		{" \n\t", 0},
		{"hello", 5},
		{"héllo wörld", 11},
		{"日本語", 3},
		{"😀", 1},
		{"a\nb", 3},
		{"https://example.com/a/very/long/url/that/goes/on/and/on/forever", 23},
		{"see https://x.com", 4 + 23},
		{"https://a.example https://b.example", 23 + 1 + 23},
		{"https://example.com/page.", 23 + 1},
		{"@alice", 6},
		{"@alice@example.com", 6},
		{"@alice@localhost:8080 hi", 9},
		{"@alice@example.com @bob@example.org", 6 + 1 + 4},
		{"me@example.com", 14},
		{"#hashtag", 8},
		{"https://example.com/@alice@example.com", 23},
		{"hi @alice@example.com, see https://example.com/x #tag", 3 + 6 + 6 + 23 + 5},
	}
	for _, tt := range tests {
		if got := Length(tt.src); got != tt.want {
			t.Errorf("Length(%q) = %d, want %d", tt.src, got, tt.want)
		}
	}
}
