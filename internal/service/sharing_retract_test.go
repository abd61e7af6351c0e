package service

import (
	"slices"
	"testing"
)

// Retraction is per server, not per inbox: a server with no shared inbox
// (GoToSocial, Threads) known through several accounts is one retraction,
// at the first of its inboxes listed (a follower's), with its other ones
// as fallbacks; a server is taken once, by the batch its first inbox
// falls in.
func TestRetractionsByServer(t *testing.T) {
	inboxes := []string{
		"https://gts.example/users/rita/inbox", // a follower's, first
		"https://masto.example/inbox",
		"https://gts.example/users/quinn/inbox",
		"https://threads.example/ap/users/1/inbox/",
		"https://gts.example/users/rita/inbox", // twice: once is enough
		"https://THREADS.example/ap/users/2/inbox/",
	}
	got := retractionsByServer(inboxes, 0, len(inboxes))
	want := []RetractArgs{
		{Inbox: "https://gts.example/users/rita/inbox", Others: []string{"https://gts.example/users/quinn/inbox"}},
		{Inbox: "https://masto.example/inbox"},
		{Inbox: "https://threads.example/ap/users/1/inbox/", Others: []string{"https://THREADS.example/ap/users/2/inbox/"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Inbox != want[i].Inbox || !slices.Equal(got[i].Others, want[i].Others) {
			t.Errorf("server %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// In batches of two: gts and masto in the first, threads in the
	// second (its first inbox is the fourth), gts never again.
	first, second, third := retractionsByServer(inboxes, 0, 2), retractionsByServer(inboxes, 2, 4), retractionsByServer(inboxes, 4, 6)
	if len(first) != 2 || len(second) != 1 || second[0].Inbox != want[2].Inbox || len(third) != 0 {
		t.Fatalf("batches: %+v / %+v / %+v", first, second, third)
	}
}
