package web_test

import (
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Explore leads with the week's hashtags, by how many people used them,
// then the recent public posts; a followers-only post adds to no trend
// and shows to no one there.
func TestExplore(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := t.Context()
	alice := signUp(t, a, "alice")
	for i, who := range []string{"bob", "carol"} {
		acc := a.QuickAccount(t, who)
		_, err := a.Service.CreatePost(ctx, acc.ID, service.PostInput{Text: "out on the water #sailing", Visibility: model.Public})
		testkit.Must(t, err, "post")
		if i == 0 {
			_, err = a.Service.CreatePost(ctx, acc.ID, service.PostInput{Text: "secret plans #hidden", Visibility: model.Private})
			testkit.Must(t, err, "post")
		}
	}
	a.Settle(t)
	for _, b := range []*browser{alice, newBrowser(t, a)} {
		p := b.get("/explore").want(t, 200).has(t, "Trending this week", `href="/tags/sailing"`, "#sailing", "2 people", "Recent posts", "out on the water")
		if strings.Contains(p.body, "#hidden") || strings.Contains(p.body, "secret plans") {
			t.Fatal("a followers-only post shows on Explore")
		}
	}
	alice.get("/").want(t, 200).has(t, `href="/explore"`)
}
