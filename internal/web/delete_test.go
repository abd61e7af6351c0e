package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// Deleting a post takes two steps: Delete under the post leads to a page
// that shows the post and asks; only its form deletes, and the page the
// member returns to says it was done. Nobody can open that page for
// someone else's post.
func TestDeleteAsksFirst(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice, bob := signUp(t, a, "alice"), signUp(t, a, "bob")
	home := alice.get("/").want(t, 200)
	alice.post("/statuses", url.Values{"authenticity_token": {home.token(t)}, "status": {"a post to think twice about"},
		"visibility": {"public"}, "return_to": {"/"}}, "").want(t, http.StatusSeeOther)
	profile := alice.get("/@alice").want(t, 200)
	id := ownPostID(t, profile)
	postPath := "/@alice/" + id
	confirmPath := "/statuses/" + id + "/delete?return_to=%2F%40alice"
	if !strings.Contains(strings.ToLower(profile.body), strings.ToLower(`href="`+confirmPath+`"`)) { // html/template writes %2f
		i := strings.Index(profile.body, "/delete")
		t.Fatalf("no Delete link (%s) to the confirmation under the post: %q", confirmPath, profile.body[max(0, i-200):min(len(profile.body), i+200)])
	}
	if strings.Contains(profile.body, `action="/statuses/`+id+`/delete"`) {
		t.Fatal("a one-click delete form is still under the post")
	}
	confirm := alice.get(confirmPath).want(t, 200).has(t, "Delete this post?", "a post to think twice about", "This cannot be undone")
	bob.get("/statuses/"+id+"/delete").want(t, http.StatusNotFound)
	alice.get(postPath).want(t, 200) // still there after looking at the question

	res := alice.post("/statuses/"+id+"/delete", url.Values{"authenticity_token": {confirm.token(t)}, "return_to": {"/@alice"}}, "").
		want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/@alice?notice=deleted" {
		t.Fatalf("after delete: redirected to %q", loc)
	}
	alice.get("/@alice?notice=deleted").want(t, 200).has(t, "Your post was deleted.")
	if p := alice.get("/@alice"); strings.Contains(p.body, "a post to think twice about") {
		t.Fatal("the deleted post is still on the profile")
	}
	alice.get(postPath).want(t, http.StatusNotFound)

	// From the post's own page, which is gone, the member goes home.
	alice.post("/statuses", url.Values{"authenticity_token": {home.token(t)}, "status": {"another one"},
		"visibility": {"public"}, "return_to": {"/"}}, "").want(t, http.StatusSeeOther)
	id = ownPostID(t, alice.get("/@alice").want(t, 200))
	postPath = "/@alice/" + id
	res = alice.post("/statuses/"+id+"/delete", url.Values{"authenticity_token": {confirm.token(t)}, "return_to": {postPath}}, "").
		want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/?notice=deleted" {
		t.Fatalf("after deleting from the post's page: redirected to %q", loc)
	}
}

var editLinkRE = regexp.MustCompile(`href="/@alice/(\d+)/edit"`)

// ownPostID is the newest post's ID on alice's profile (from its Edit link).
func ownPostID(t *testing.T, profile page) string {
	t.Helper()
	m := editLinkRE.FindStringSubmatch(profile.body)
	if m == nil {
		t.Fatal("no post of alice's with an Edit link on her profile")
	}
	return m[1]
}
