package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

// Save and Like lead somewhere: Saved (/bookmarks) and Liked (/favourites)
// list the member's own choices, newest first, page by page, linked from
// their profile; visitors are sent to sign in.
func TestSavedAndLiked(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	reader := signUp(t, a, "reader")
	me, err := a.Service.LocalAccountByUsername(ctx, "reader")
	testkit.Must(t, err, "reader")
	writer := a.QuickAccount(t, "writer")

	reader.get("/bookmarks").want(t, 200).has(t, "Nothing saved yet.")
	reader.get("/favourites").want(t, 200).has(t, "You have not liked anything yet.")
	reader.get("/@reader").want(t, 200).has(t, `href="/bookmarks"`, `href="/favourites"`)

	// 45 posts saved, the first three liked too: a full page, then the rest.
	var ids []int64
	for i := range 45 {
		v, err := a.Service.CreatePost(ctx, writer.ID, service.PostInput{Text: fmt.Sprintf("post number %02d", i)})
		testkit.Must(t, err, "post")
		ids = append(ids, v.Status.ID)
		_, err = a.Service.Bookmark(ctx, me.ID, v.Status.ID)
		testkit.Must(t, err, "save")
	}
	for _, id := range ids[:3] {
		_, err := a.Service.Favourite(ctx, me.ID, id)
		testkit.Must(t, err, "like")
	}
	first := reader.get("/bookmarks").want(t, 200).has(t, "post number 44", "Load more")
	if strings.Contains(first.body, "post number 04") {
		t.Fatal("the first page of Saved holds more than a page")
	}
	if i := strings.Index(first.body, "post number 44"); i > strings.Index(first.body, "post number 43") {
		t.Fatal("Saved is not newest first")
	}
	more := first.body[strings.Index(first.body, `href="/bookmarks?max_id=`)+len(`href="`):]
	more = more[:strings.Index(more, `"`)]
	reader.get(more).want(t, 200).has(t, "post number 04", "post number 00")
	liked := reader.get("/favourites").want(t, 200).has(t, "post number 00", "post number 02")
	if strings.Contains(liked.body, "post number 03") {
		t.Fatal("Liked lists a post that was only saved")
	}

	anon := newBrowser(t, a)
	if loc := anon.get("/bookmarks").want(t, http.StatusSeeOther).header.Get("Location"); loc != "/auth/sign_in?return_to=%2Fbookmarks" {
		t.Fatalf("a visitor at Saved is sent to %q", loc)
	}
}
