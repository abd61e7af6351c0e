package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

// A member's thread (replies to their own posts) reads as one column, as
// on Threads: the parts under the first in order, without "Replying to",
// never as a staircase; others' replies come under the part they answer.
func TestThreadReadsAsOneColumn(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	alice := signUp(t, a, "alice")
	me, err := a.Service.LocalAccountByUsername(ctx, "alice")
	testkit.Must(t, err, "alice")
	bob := a.QuickAccount(t, "bob")
	var ids []int64
	var parent int64
	for _, text := range []string{"part one of the story", "part two of the story", "part three of the story"} {
		v, err := a.Service.CreatePost(ctx, me.ID, service.PostInput{Text: text, InReplyToID: parent})
		testkit.Must(t, err, "part")
		ids = append(ids, v.Status.ID)
		parent = v.Status.ID
	}
	_, err = a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "@alice what happened next?", InReplyToID: ids[1]})
	testkit.Must(t, err, "reply")

	first := alice.get("/@alice/"+strconv.FormatInt(ids[0], 10)).want(t, 200)
	rest := section(t, first.body, `aria-label="The rest of the thread"`)
	if !strings.Contains(rest, "part two of the story") || !strings.Contains(rest, "part three of the story") ||
		strings.Index(rest, "part two") > strings.Index(rest, "part three") {
		t.Fatalf("the thread's parts are not one column in order:\n%s", rest)
	}
	if strings.Contains(rest, "Replying to") {
		t.Fatal("a part of the member's own thread says Replying to")
	}
	if strings.Contains(rest, "what happened next") {
		t.Fatal("bob's reply is in the thread's column")
	}
	replies := section(t, first.body, `aria-label="Replies"`)
	if !strings.Contains(replies, "On part 2: part two of the story") || !strings.Contains(replies, "what happened next?") {
		t.Fatalf("bob's reply is not under the part it answers:\n%s", replies)
	}

	last := alice.get("/@alice/"+strconv.FormatInt(ids[2], 10)).want(t, 200).has(t, "part one of the story", "part two of the story")
	if strings.Contains(last.body, "Replying to") {
		t.Fatal("the parts above the last one say Replying to")
	}
}

// section is the HTML of the element that opens with attr, up to its end.
func section(t *testing.T, body, attr string) string {
	t.Helper()
	return between(t, body, attr, "</section>")
}

// On the member's profile a thread reads top to bottom too: its parts in
// the order they were written, the later ones joined to the one above.
func TestProfileShowsThreadsInOrder(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	alice := signUp(t, a, "alice")
	me, err := a.Service.LocalAccountByUsername(ctx, "alice")
	testkit.Must(t, err, "alice")
	_, err = a.Service.CreatePost(ctx, me.ID, service.PostInput{Text: "a post of its own, earlier"})
	testkit.Must(t, err, "post")
	var parent int64
	for _, text := range []string{"story, part one", "story, part two", "story, part three"} {
		v, err := a.Service.CreatePost(ctx, me.ID, service.PostInput{Text: text, InReplyToID: parent})
		testkit.Must(t, err, "part")
		parent = v.Status.ID
	}
	p := alice.get("/@alice").want(t, 200)
	one, two, three, alone := strings.Index(p.body, "story, part one"), strings.Index(p.body, "story, part two"),
		strings.Index(p.body, "story, part three"), strings.Index(p.body, "a post of its own")
	if !(one < two && two < three && three < alone) {
		t.Fatalf("profile order: one %d, two %d, three %d, the earlier post %d", one, two, three, alone)
	}
	if n := strings.Count(p.body, `class="post continues"`); n != 2 {
		t.Fatalf("%d parts marked as continuing, want 2", n)
	}
	if strings.Contains(p.body, "Replying to") {
		t.Fatal("a part of the thread says Replying to on the profile")
	}
}
