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

	// Tabs narrow the search to one kind, and keep the words searched.
	_, err = a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "bobby writes about boats"})
	testkit.Must(t, err, "post")
	alice.get("/search?q=bobby").want(t, 200).has(t, `<nav class="tabs" aria-label="What to search">`,
		`href="/search?q=bobby" aria-current="page">All</a>`, `href="/search?q=bobby&amp;type=accounts">People</a>`)
	people := alice.get("/search?q=bobby&type=accounts").want(t, 200).has(t, `href="/@bobby"`, `type=accounts" aria-current="page">People</a>`, `name="type" value="accounts"`)
	if strings.Contains(people.body, "Posts</h2>") || strings.Contains(people.body, "writes about boats") {
		t.Fatal("posts under the People tab")
	}
	if p := alice.get("/search?q=harbour&type=hashtags").want(t, 200); !strings.Contains(p.body, `href="/tags/harbour"`) || strings.Contains(p.body, "out on the water") {
		t.Fatal("the Hashtags tab")
	}
	alice.get("/search?q=bobby&type=nonsense").want(t, http.StatusNotFound)
	for _, q := range []string{"unheardofword", "#unheardoftag"} {
		p := alice.get("/search?q="+url.QueryEscape(q)).want(t, 200).has(t, "No results for")
		if strings.Contains(p.body, "Hashtags</h2>") {
			t.Fatalf("%s: a hashtag result no post uses", q)
		}
	}
}
