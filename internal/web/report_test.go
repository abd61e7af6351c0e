package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

// Report, under someone else's post and on their profile, opens a form
// with Mastodon's categories and a comment; sent, the report reaches the
// admins' queue with the post, and the member returns where they were with
// a thank-you. A report without a category is refused in place.
func TestReportFromTheWebApp(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	ctx := context.Background()
	alice := signUp(t, a, "alice")
	troll := a.QuickAccount(t, "troll")
	post, err := a.Service.CreatePost(ctx, troll.ID, service.PostInput{Text: "buy cheap watches here"})
	testkit.Must(t, err, "post")
	sid := strconv.FormatInt(post.Status.ID, 10)

	profile := alice.get("/@troll").want(t, 200)
	if !strings.Contains(profile.body, `href="/reports/new?account_id=`+idOf(troll)+`&amp;return_to=`) {
		t.Fatal("no Report on the profile")
	}
	if !strings.Contains(profile.body, `href="/reports/new?account_id=`+idOf(troll)+`&amp;status_id=`+sid+`&amp;`) {
		t.Fatal("no Report under the post")
	}
	if mine := alice.get("/@alice").want(t, 200); strings.Contains(mine.body, "/reports/new") {
		t.Fatal("Report offered on the member's own profile")
	}

	form := alice.get("/reports/new?account_id="+idOf(troll)+"&status_id="+sid+"&return_to=%2F%40troll").want(t, 200).
		has(t, "Report troll", "buy cheap watches here", "It&#39;s spam", "Something else", `name="comment"`)
	send := func(v url.Values) page {
		v.Set("authenticity_token", form.token(t))
		v.Set("account_id", idOf(troll))
		v.Set("status_id", sid)
		v.Set("return_to", "/@troll")
		return alice.post("/reports", v, "")
	}
	send(url.Values{"comment": {"selling fakes"}}).want(t, http.StatusUnprocessableEntity).has(t, "Choose what is wrong.", "selling fakes")
	res := send(url.Values{"category": {"spam"}, "comment": {"selling fakes"}}).want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/@troll?notice=reported" {
		t.Fatalf("after the report: %q", loc)
	}
	alice.get("/@troll?notice=reported").want(t, 200).has(t, "Thanks for reporting it.")

	open, err := a.Service.OpenReports(ctx, 10)
	testkit.Must(t, err, "reports")
	if len(open) != 1 || open[0].TargetAccountID != troll.ID || open[0].Category != "spam" || open[0].Comment != "selling fakes" ||
		len(open[0].StatusIDs) != 1 || open[0].StatusIDs[0] != post.Status.ID {
		t.Fatalf("the admins' queue: %+v", open)
	}
	alice.get("/reports/new?account_id="+idOf(troll)+"&status_id=999").want(t, http.StatusNotFound)
}
