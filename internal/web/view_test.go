package web

import (
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
)

// A feed page, newest first: a reply to a reply to a post, all on the page,
// reads as one conversation under the post, oldest reply first; a boost of
// the post stays on its own; a reply whose parent is not on the page too.
func TestThreadedFeed(t *testing.T) {
	boosted := accountItem{Name: "b"}
	ann, ben, cat := accountItem{ID: "10"}, accountItem{ID: "20"}, accountItem{ID: "30"}
	feed := []postItem{
		{ID: "5", InReplyToID: "1", Author: cat},    // a second reply to the post
		{ID: "4", InReplyToID: "2", Author: ann},    // a reply to the first reply
		{ID: "3", BoostedBy: &boosted, Author: ann}, // a boost
		{ID: "2", InReplyToID: "1", Author: ben},    // the first reply
		{ID: "9", InReplyToID: "8", Author: cat},    // its parent is not on the page
		{ID: "1", Author: ann},                      // the post
	}
	got := threaded(feed)
	if len(got) != 3 || got[0].ID != "3" || got[1].ID != "9" || got[2].ID != "1" {
		t.Fatalf("top level: %v", ids(got))
	}
	post := got[2]
	if len(post.Thread) != 2 || post.Thread[0].ID != "2" || post.Thread[1].ID != "5" {
		t.Fatalf("replies under the post: %v", ids(post.Thread))
	}
	if len(post.Thread[0].Thread) != 1 || post.Thread[0].Thread[0].ID != "4" {
		t.Fatalf("replies under the first reply: %v", ids(post.Thread[0].Thread))
	}
}

// An author's replies to themselves (a thread) follow the post in one
// column, in order, not nested step by step; others' replies to a part
// stay under that part.
func TestThreadedFeedSelfThread(t *testing.T) {
	ann, ben := accountItem{ID: "10"}, accountItem{ID: "20"}
	feed := []postItem{
		{ID: "4", InReplyToID: "2", Author: ben, ReplyTo: "@ann"}, // ben answers part two
		{ID: "3", InReplyToID: "2", Author: ann, ReplyTo: "@ann"}, // part three
		{ID: "2", InReplyToID: "1", Author: ann, ReplyTo: "@ann"}, // part two
		{ID: "1", Author: ann}, // part one
	}
	got := threaded(feed)
	if len(got) != 1 || got[0].ID != "1" {
		t.Fatalf("top level: %v", ids(got))
	}
	parts := got[0].Parts
	if len(parts) != 2 || parts[0].ID != "2" || parts[1].ID != "3" || !parts[0].Continues || parts[0].ReplyTo != "" {
		t.Fatalf("the thread's parts: %+v", parts)
	}
	if len(got[0].Thread) != 0 || len(parts[0].Thread) != 1 || parts[0].Thread[0].ID != "4" {
		t.Fatalf("ben's reply should be under part two: %v / %v", ids(got[0].Thread), ids(parts[0].Thread))
	}
}

func ids(list []postItem) []string {
	var out []string
	for _, p := range list {
		out = append(out, p.ID)
	}
	return out
}

// A remote post's mention and hashtag links lead to pages here; other
// links, and the text around them, stay as they were.
func TestLocalLinks(t *testing.T) {
	rita := &model.Account{ID: 7, Username: "rita", Domain: "remote.example", URL: "https://remote.example/@rita",
		URI: "https://remote.example/users/rita"}
	v := &service.StatusView{Status: &model.Status{Tags: []string{"Weft"}}, Mentions: []*model.Account{rita}}
	in := `<p><span class="h-card"><a href="https://remote.example/@rita" class="u-url mention">@<span>rita</span></a></span> ` +
		`Tom &amp; Jerry <a href="https://remote.example/tags/weft" class="mention hashtag" rel="tag">#<span>weft</span></a> ` +
		`<a href="https://remote.example/tags/other" rel="tag">#other</a> <a href="https://example.com/a?b=1&amp;c=2">a link</a></p>`
	got := string(localLinks(in, v))
	for _, want := range []string{`href="/@rita@remote.example"`, `href="/tags/Weft"`, `href="https://remote.example/tags/other"`,
		`href="https://example.com/a?b=1&amp;c=2"`, `Tom &amp; Jerry`} {
		if !strings.Contains(got, want) {
			t.Errorf("%q missing from\n%s", want, got)
		}
	}
}

// The toggle forms are written in Go (for speed): every value is escaped.
func TestToggleHTMLEscapes(t *testing.T) {
	got := string(toggleItem{Action: `/statuses/1/like"><script>`, CSRF: `a"b`, ReturnTo: `/?q=<x>&y`, Label: `<b>Like</b>`,
		Kind: "like", Icon: iconHTML("heart"), IconOnly: true, Counted: true, Count: 3, On: true}.HTML())
	want := `<form method="post" action="/statuses/1/like&#34;&gt;&lt;script&gt;" data-toggle="like">` +
		`<input type="hidden" name="authenticity_token" value="a&#34;b"><input type="hidden" name="return_to" value="/?q=&lt;x&gt;&amp;y">` + "\n" +
		`<button type="submit" aria-pressed="true"><svg class="icon" aria-hidden="true"><use href="#i-heart"/></svg>` +
		`<span class="label sr-only">&lt;b&gt;Like&lt;/b&gt;</span> <span class="count">3</span></button></form>`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
