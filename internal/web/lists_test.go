package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Lists in the web app: create one (a blank name is refused in words, the
// field marked), add someone you follow, see their posts in the list's
// feed, rename it and keep its posts off Home, remove them, delete it.
func TestWebLists(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			a := testkit.NewAPI(t, d, nil)
			ctx := t.Context()
			alice := signUp(t, a, "alice")
			me, err := a.Service.LocalAccountByUsername(ctx, "alice")
			testkit.Must(t, err, "alice")
			bob := a.QuickAccount(t, "bob")
			carol := a.QuickAccount(t, "carol")
			for _, who := range []*model.Account{bob, carol} {
				_, err := a.Service.Follow(ctx, me.ID, who.ID, service.FollowOptions{})
				testkit.Must(t, err, "follow")
			}

			page := alice.get("/lists").want(t, 200).has(t, "You have no lists yet.")
			tok := page.token(t)
			alice.post("/lists", url.Values{"authenticity_token": {tok}, "title": {"  "}}, "").
				want(t, http.StatusUnprocessableEntity).has(t, "Give the list a name.", `aria-invalid="true" aria-describedby="title-problem"`)
			res := alice.post("/lists", url.Values{"authenticity_token": {tok}, "title": {"Sailing"}}, "").want(t, http.StatusSeeOther)
			edit := res.header.Get("Location")
			if !strings.HasPrefix(edit, "/lists/") || !strings.HasSuffix(edit, "/edit") {
				t.Fatalf("after creating a list: %q", edit)
			}
			listPath := strings.TrimSuffix(edit, "/edit")
			// Both followed accounts are offered; the search narrows it.
			alice.get(edit).want(t, 200).has(t, "Nobody yet.", `aria-label="Add bob to the list"`, `aria-label="Add carol to the list"`)
			if p := alice.get(edit+"?q=car").want(t, 200); strings.Contains(p.body, "Add bob") {
				t.Fatal("the search for car offers bob")
			}
			alice.post(listPath+"/add", url.Values{"authenticity_token": {tok}, "account_id": {idOf(bob)}, "return_to": {edit}}, "").
				want(t, http.StatusSeeOther)
			p := alice.get(edit).want(t, 200).has(t, `aria-label="Remove bob from the list"`)
			if strings.Contains(p.body, "Add bob") {
				t.Fatal("bob is offered again once in the list")
			}

			_, err = a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "bob on the water", Visibility: model.Public})
			testkit.Must(t, err, "post")
			_, err = a.Service.CreatePost(ctx, carol.ID, service.PostInput{Text: "carol on land", Visibility: model.Public})
			testkit.Must(t, err, "post")
			a.Settle(t)
			feed := alice.get(listPath).want(t, 200).has(t, "<h1>Sailing</h1>", "bob on the water")
			if strings.Contains(feed.body, "carol on land") {
				t.Fatal("a post of someone outside the list is in its feed")
			}
			alice.get("/lists").want(t, 200).has(t, `href="`+listPath+`"`, "Sailing")

			// Rename, exclusive: bob's posts leave Home.
			alice.post(listPath, url.Values{"authenticity_token": {tok}, "title": {""}, "replies_policy": {"none"}}, "").
				want(t, http.StatusUnprocessableEntity).has(t, "Give the list a name.", `<option value="none" selected>`)
			if p := alice.post(listPath, url.Values{"authenticity_token": {tok}, "title": {"Boats"}, "replies_policy": {"sometimes"}}, "").
				want(t, http.StatusUnprocessableEntity); strings.Contains(p.body, "too long") {
				t.Fatal("a bad replies policy reported as a long name")
			}
			alice.post(listPath, url.Values{"authenticity_token": {tok}, "title": {"Boats"}, "replies_policy": {"none"}, "exclusive": {"1"}}, "").
				want(t, http.StatusSeeOther)
			alice.get(edit).want(t, 200).has(t, `value="Boats"`, `<option value="none" selected>`, `name="exclusive" value="1" checked`)
			alice.get(listPath).want(t, 200).has(t, "<h1>Boats</h1>")

			// Someone else's list is not found.
			other := signUp(t, a, "mallory")
			other.get(listPath).want(t, http.StatusNotFound)
			other.post(listPath+"/delete", url.Values{"authenticity_token": {other.get("/lists").token(t)}}, "").want(t, http.StatusNotFound)

			alice.post(listPath+"/remove", url.Values{"authenticity_token": {tok}, "account_id": {idOf(bob)}, "return_to": {edit}}, "").
				want(t, http.StatusSeeOther)
			alice.get(edit).want(t, 200).has(t, "Nobody yet.")
			res = alice.post(listPath+"/delete", url.Values{"authenticity_token": {tok}}, "").want(t, http.StatusSeeOther)
			if loc := res.header.Get("Location"); loc != "/lists?notice=list_deleted" {
				t.Fatalf("after deleting: %q", loc)
			}
			alice.get("/lists?notice=list_deleted").want(t, 200).has(t, "The list was deleted.", "You have no lists yet.")
			alice.get(listPath).want(t, http.StatusNotFound)
		})
	}
}
