package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

// Search answers honestly: people with a Follow button that turns to
// Unfollow, hashtags that posts use as links to their pages, and "No
// results" when nothing matches — no hashtag made up from the words typed.
func TestSearchPage(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	alice := signUp(t, a, "alice")
	bob := a.QuickAccount(t, "bobby")
	_, err := a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "out on the water #harbour"})
	testkit.Must(t, err, "post")

	found := alice.get("/search?q=bobby").want(t, 200).has(t, `href="/@bobby"`, `action="/accounts/`+idOf(bob)+`/follow"`, "Follow bobby")
	alice.post("/accounts/"+idOf(bob)+"/follow", url.Values{"authenticity_token": {found.token(t)}, "return_to": {"/search?q=bobby"}}, "").
		want(t, http.StatusSeeOther)
	alice.get("/search?q=bobby").want(t, 200).has(t, `action="/accounts/`+idOf(bob)+`/unfollow"`, "Unfollow")

	// Herself: no button.
	if p := alice.get("/search?q=alice").want(t, 200); strings.Contains(p.body, "/follow\"") {
		t.Fatal("a Follow button for the member herself")
	}

	alice.get("/search?q=%23harbour").want(t, 200).has(t, `href="/tags/harbour"`)
	for _, q := range []string{"unheardofword", "#unheardoftag"} {
		p := alice.get("/search?q="+url.QueryEscape(q)).want(t, 200).has(t, "No results for")
		if strings.Contains(p.body, "Hashtags</h2>") {
			t.Fatalf("%s: a hashtag result no post uses", q)
		}
	}
}
