package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// Following from another server, both ways between two weft servers: a
// visitor on A's profile of alice gives their handle on B and is sent to
// B's follow page (the template B publishes with its WebFinger); there,
// signed in, bob lands on alice's profile as B knows it, with Follow.
// Bad handles, a server without such a page, and a member who does not
// share with the fediverse get plain answers.
// remoteFollowAs gives a handle on alice's remote-follow page, as a
// visitor does: the page first (its form's token), then the form.
func remoteFollowAs(t *testing.T, visitor *browser, acct, handle string) page {
	t.Helper()
	form := visitor.get("/remote_follow?acct="+url.QueryEscape(acct)).want(t, 200)
	return visitor.post("/auth/remote_follow", url.Values{"authenticity_token": {form.token(t)}, "acct": {acct}, "handle": {handle}}, "")
}

func TestRemoteFollow(t *testing.T) {
	d := testkit.Dialects()[0]
	a, b := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
	alice := signUp(t, a, "alice")
	f := alice.get("/settings/fediverse").want(t, 200)
	alice.post("/settings/fediverse", url.Values{"authenticity_token": {f.token(t)}, "fediverse_sharing": {"on"}}, "").want(t, http.StatusSeeOther)
	bob := signUp(t, b, "bob") // WebFinger answers for members who share
	f = bob.get("/settings/fediverse").want(t, 200)
	bob.post("/settings/fediverse", url.Values{"authenticity_token": {f.token(t)}, "fediverse_sharing": {"on"}}, "").want(t, http.StatusSeeOther)
	signUp(t, a, "quiet") // sharing off

	visitor := newBrowser(t, a)
	visitor.get("/@alice").want(t, 200).has(t, `href="/remote_follow?acct=%40alice%40127.0.0.1%3a`)
	visitor.get("/remote_follow?acct=alice").want(t, 200).has(t, "Your handle", "Go to your server")
	res := remoteFollowAs(t, visitor, "alice", "@bob@"+b.Config.Domain).want(t, http.StatusSeeOther)
	to := res.header.Get("Location")
	want := b.URL + "/authorize_interaction?uri=" + url.QueryEscape("alice@"+a.Config.Domain)
	if to != want {
		t.Fatalf("sent to %q, want %q", to, want)
	}
	// On B, signed out: sign in first, then back to it.
	if loc := newBrowser(t, b).get(strings.TrimPrefix(to, b.URL)).header.Get("Location"); !strings.HasPrefix(loc, "/auth/sign_in") {
		t.Fatalf("a visitor of B's authorize_interaction goes to %q", loc)
	}
	res = bob.get(strings.TrimPrefix(to, b.URL)).want(t, http.StatusSeeOther)
	profile := res.header.Get("Location")
	if profile != "/@alice@"+a.Config.Domain {
		t.Fatalf("bob lands on %q", profile)
	}
	bob.get(profile).want(t, 200).has(t, ">Follow</button>")

	for handle, problem := range map[string]string{
		"bob":                       "Write your handle as you@your.server",
		"bob@" + a.Config.Domain:    "That account is on this server",
		"nobody@" + b.Config.Domain: "No account nobody@",
		"x@127.0.0.1:1":             "Your server did not answer",
	} {
		p := remoteFollowAs(t, visitor, "alice", handle).want(t, http.StatusUnprocessableEntity)
		p.has(t, problem, `aria-invalid="true" aria-describedby="handle-problem"`, `value="`+strings.ReplaceAll(handle, "@", "@")+`"`)
	}
	visitor.get("/remote_follow?acct=quiet").want(t, 200).has(t, "shares posts on this server only")
	tok := visitor.get("/remote_follow?acct=alice").want(t, 200).token(t)
	if p := visitor.post("/auth/remote_follow", url.Values{"authenticity_token": {tok}, "acct": {"quiet"}, "handle": {"bob@" + b.Config.Domain}}, ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "shares posts on this server only") {
		t.Fatalf("a member who does not share, followed from elsewhere: %d %s", p.status, p.header.Get("Location"))
	}
	// Only this server's own form sends anyone on: a link or a form
	// elsewhere (no token) cannot.
	if p := visitor.post("/auth/remote_follow", url.Values{"acct": {"alice"}, "handle": {"bob@" + b.Config.Domain}}, ""); p.status != http.StatusForbidden {
		t.Fatalf("a form without the page's token: %d %s", p.status, p.header.Get("Location"))
	}
	visitor.get("/remote_follow?acct=nobody").want(t, http.StatusNotFound)
}

// Against servers that are not weft, as their WebFinger names their
// remote-follow pages: Mastodon's authorize_interaction, Misskey's
// authorize-follow, Pleroma's ostatus_subscribe; GoToSocial and Threads
// name none, and the visitor is told to follow from their own server.
func TestRemoteFollowOtherServers(t *testing.T) {
	a := testkit.NewInstance(t, testkit.Dialects()[0]) // its domain is a loopback address over http, as the peers'
	alice := signUp(t, a, "alice")
	f := alice.get("/settings/fediverse").want(t, 200)
	alice.post("/settings/fediverse", url.Values{"authenticity_token": {f.token(t)}, "fediverse_sharing": {"on"}}, "").want(t, http.StatusSeeOther)
	visitor := newBrowser(t, a)
	for impl, page := range map[testkit.Impl]string{
		testkit.Mastodon:   "/authorize_interaction?uri=",
		testkit.Misskey:    "/authorize-follow?acct=",
		testkit.Pleroma:    "/ostatus_subscribe?acct=",
		testkit.GoToSocial: "",
		testkit.Threads:    "",
	} {
		p := testkit.NewPeerAs(t, impl, "rita")
		got := remoteFollowAs(t, visitor, "alice", "rita@"+p.Domain)
		if page == "" {
			got.want(t, http.StatusUnprocessableEntity).has(t, p.Domain+" does not offer following from other servers&#39; pages")
			continue
		}
		want := p.URL + page + url.QueryEscape("alice@"+a.Config.Domain)
		if got.status != http.StatusSeeOther {
			_, problem, _ := strings.Cut(got.body, `id="handle-problem" role="alert">`)
			t.Fatalf("%s: %d %.200s", impl, got.status, problem)
		}
		if loc := got.header.Get("Location"); loc != want {
			t.Fatalf("%s: sent to %q, want %q", impl, loc, want)
		}
	}
}
