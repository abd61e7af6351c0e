package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

var likedLine = regexp.MustCompile(`>(bob|carol|dave)</a>, <a href="/@(bob|carol|dave)">(bob|carol|dave)</a> and 1 other liked your post`)

// The notifications page reads as Threads' Activity: likes of one post
// grouped into a line with the names ("bob, carol and 1 other liked your
// post") and a line of the post, each entry with its time; a reply shown
// whole to answer it; Follow back for a new follower not followed yet;
// tabs that show one kind only.
func TestNotificationsPage(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	alice := signUp(t, a, "alice")
	me, err := a.Service.LocalAccountByUsername(ctx, "alice")
	testkit.Must(t, err, "alice")
	post, err := a.Service.CreatePost(ctx, me.ID, service.PostInput{Text: "the tide is high this morning"})
	testkit.Must(t, err, "post")
	for _, name := range []string{"bob", "carol", "dave"} {
		acc := a.QuickAccount(t, name)
		_, err := a.Service.Favourite(ctx, acc.ID, post.Status.ID)
		testkit.Must(t, err, "like")
	}
	erin := a.QuickAccount(t, "erin")
	_, err = a.Service.Follow(ctx, erin.ID, me.ID, service.FollowOptions{})
	testkit.Must(t, err, "follow")
	frank := a.QuickAccount(t, "frank")
	_, err = a.Service.CreatePost(ctx, frank.ID, service.PostInput{Text: "@alice it is, bring boots", InReplyToID: post.Status.ID})
	testkit.Must(t, err, "reply")
	a.Settle(t)

	all := alice.get("/notifications").want(t, 200).
		has(t, "and 1 other liked your post", `class="excerpt"`, "the tide is high this morning",
			"followed you", "Follow back erin", "replied to you", "bring boots", `<time class="muted" datetime="`)
	// The notify jobs run side by side: the two names shown are the
	// newest two, in either order.
	if !likedLine.MatchString(all.body) {
		t.Fatalf("no line naming two of the likers:\n%s", all.body)
	}
	if n := strings.Count(all.body, `class="notification favourite"`); n != 1 {
		t.Fatalf("the likes of one post make %d entries, want 1", n)
	}

	likes := alice.get("/notifications?tab=likes").want(t, 200).has(t, "liked your post", `aria-current="page">Likes`)
	if strings.Contains(likes.body, "followed you") || strings.Contains(likes.body, "replied to you") {
		t.Fatal("the Likes tab shows other kinds")
	}
	follows := alice.get("/notifications?tab=follows").want(t, 200).has(t, "followed you", "Follow back erin")
	alice.post("/accounts/"+idOf(erin)+"/follow", url.Values{"authenticity_token": {follows.token(t)}, "return_to": {"/notifications?tab=follows"}}, "").
		want(t, http.StatusSeeOther)
	if p := alice.get("/notifications?tab=follows").want(t, 200); strings.Contains(p.body, "Follow back") {
		t.Fatal("Follow back is still offered after following back")
	}
	alice.get("/notifications?tab=replies").want(t, 200).has(t, "replied to you", "bring boots")
	// A mention that answers nothing of hers is under Mentions, not Replies.
	_, err = a.Service.CreatePost(ctx, frank.ID, service.PostInput{Text: "@alice look at this sunset"})
	testkit.Must(t, err, "mention")
	a.Settle(t)
	mentions := alice.get("/notifications?tab=mentions").want(t, 200).has(t, "mentioned you", "look at this sunset")
	if strings.Contains(mentions.body, "bring boots") {
		t.Fatal("a reply under Mentions")
	}
	if p := alice.get("/notifications?tab=replies").want(t, 200); strings.Contains(p.body, "look at this sunset") {
		t.Fatal("a mention that is no reply under Replies")
	}
	alice.get("/notifications?tab=nonsense").want(t, http.StatusNotFound)
}

// The Activity link carries an unread badge ("2 unread" for screen
// readers) until the member opens their notifications.
func TestUnreadBadge(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	alice := signUp(t, a, "alice")
	me, err := a.Service.LocalAccountByUsername(ctx, "alice")
	testkit.Must(t, err, "alice")
	alice.get("/").want(t, 200).has(t, `<span class="unread" data-unread hidden>`) // app.js shows it when one comes

	for _, name := range []string{"bob", "carol"} {
		_, err := a.Service.Follow(ctx, a.QuickAccount(t, name).ID, me.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")
	}
	a.Settle(t)
	alice.get("/").want(t, 200).has(t, `<span class="unread" data-unread>2<span class="sr-only"> unread</span></span>`)
	alice.get("/notifications?tab=likes").want(t, 200).has(t, `<span class="unread" data-unread>2`) // a tab reads nothing
	alice.get("/notifications").want(t, 200)
	alice.get("/").want(t, 200).has(t, `<span class="unread" data-unread hidden>`)
}
