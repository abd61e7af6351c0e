package web

import "testing"

// A feed page, newest first: a reply to a reply to a post, all on the page,
// reads as one conversation under the post, oldest reply first; a boost of
// the post stays on its own; a reply whose parent is not on the page too.
func TestThreadedFeed(t *testing.T) {
	boosted := accountItem{Name: "b"}
	feed := []postItem{
		{ID: "5", InReplyToID: "1"},    // a second reply to the post
		{ID: "4", InReplyToID: "2"},    // a reply to the first reply
		{ID: "3", BoostedBy: &boosted}, // a boost
		{ID: "2", InReplyToID: "1"},    // the first reply
		{ID: "9", InReplyToID: "8"},    // its parent is not on the page
		{ID: "1"},                      // the post
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

func ids(list []postItem) []string {
	var out []string
	for _, p := range list {
		out = append(out, p.ID)
	}
	return out
}
