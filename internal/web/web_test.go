package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/testkit"
)

// browser is a cookie-keeping client that does not follow redirects, so a
// test sees each answer, as the forms see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, a *testkit.API) *browser {
	jar, err := cookiejar.New(nil)
	testkit.Must(t, err, "cookie jar")
	return &browser{t: t, base: a.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	testkit.Must(b.t, err, "%s %s", req.Method, req.URL)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	testkit.Must(b.t, err, "read")
	return page{res.StatusCode, res.Header, string(body)}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	testkit.Must(b.t, err, "request")
	return b.do(req)
}

func (b *browser) post(path string, form url.Values, accept string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	testkit.Must(b.t, err, "request")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return b.do(req)
}

var tokenRE = regexp.MustCompile(`name="authenticity_token" value="([^"]+)"`)

func (p page) token(t *testing.T) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no authenticity_token in the page:\n%.500s", p.body)
	}
	return m[1]
}

func (p page) want(t *testing.T, status int) page {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d:\n%.800s", p.status, status, p.body)
	}
	return p
}

func (p page) has(t *testing.T, what ...string) page {
	t.Helper()
	for _, w := range what {
		if !strings.Contains(p.body, w) {
			t.Fatalf("the page lacks %q:\n%.1500s", w, p.body)
		}
	}
	return p
}

// signUp creates an account through the sign-up form and returns the
// browser signed in as it.
func signUp(t *testing.T, a *testkit.API, username string) *browser {
	t.Helper()
	b := newBrowser(t, a)
	form := b.get("/auth/sign_up").want(t, 200)
	res := b.post("/auth/sign_up", url.Values{"authenticity_token": {form.token(t)}, "username": {username},
		"email": {username + "@example.com"}, "password": {"correct horse battery"}, "password_confirmation": {"correct horse battery"},
		"agreement": {"1"}}, "").want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/settings/fediverse?welcome=1" {
		t.Fatalf("after sign-up: redirected to %q", loc)
	}
	var session *http.Cookie
	for _, c := range res.headerCookies() {
		if c.Name == "_weft_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie: %+v", session)
	}
	return b
}

func (p page) headerCookies() []*http.Cookie {
	return (&http.Response{Header: p.header}).Cookies()
}

// The web app's core flow without JavaScript, page by page: the landing
// page and its strict policy, sign-up, a thread of two posts, another
// member following and seeing it, a like (as a form and in the
// background), and the refusals: no CSRF token, a followers-only post to a
// stranger, hostile text escaped.
func TestWebCoreFlow(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		anon := newBrowser(t, a)
		land := anon.get("/").want(t, 200).has(t, "Create an account", "weft")
		csp := land.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatalf("CSP %q", csp)
		}
		css := regexp.MustCompile(`href="(/assets/app-[0-9a-f]{8}\.css)"`).FindStringSubmatch(land.body)
		if css == nil {
			t.Fatal("no hashed stylesheet link")
		}
		if cc := anon.get(css[1]).want(t, 200).header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Fatalf("assets cached as %q", cc)
		}

		alice := signUp(t, a, "alice")
		home := alice.get("/").want(t, 200).has(t, "New post", "Add to thread")
		tok := home.token(t)
		// A thread of two parts, without JavaScript: "Add to thread" shows
		// the form again with a second part, then it is posted.
		more := alice.post("/statuses", url.Values{"authenticity_token": {tok}, "status": {"first part of my thread"},
			"add_part": {"1"}, "visibility": {"public"}, "return_to": {"/"}}, "").want(t, 200)
		if n := strings.Count(more.body, `name="status"`); n != 2 {
			t.Fatalf("after Add to thread the form has %d parts, want 2", n)
		}
		res := alice.post("/statuses", url.Values{"authenticity_token": {tok}, "status": {"first part of my thread", "second part <script>alert(1)</script>"},
			"visibility": {"public"}, "return_to": {"/"}}, "").want(t, http.StatusSeeOther)
		threadPath := res.header.Get("Location")
		if !strings.HasPrefix(threadPath, "/@alice/") {
			t.Fatalf("a thread leads to %q, want its first post's page", threadPath)
		}
		thread := alice.get(threadPath).want(t, 200).has(t, "first part of my thread", "second part &lt;script&gt;")
		if strings.Contains(thread.body, "<script>alert") {
			t.Fatal("hostile text reached the page unescaped")
		}

		// On her home feed the second part follows the first in one column.
		if home := alice.get("/").want(t, 200); strings.Index(home.body, "second part &lt;script&gt;") < strings.Index(home.body, "first part of my thread") ||
			!strings.Contains(home.body, `class="post continues"`) {
			t.Fatal("the thread's parts are not one column on the home feed")
		}
		// Edit, from the post's page (own posts only).
		firstID := strings.TrimPrefix(threadPath, "/@alice/")
		edit := alice.get(threadPath+"/edit").want(t, 200).has(t, "first part of my thread")
		alice.post("/statuses/"+firstID+"/edit", url.Values{"authenticity_token": {edit.token(t)}, "status": {"first part, edited"}}, "").
			want(t, http.StatusSeeOther)
		alice.get(threadPath).want(t, 200).has(t, "first part, edited")
		// Quote: the composer starts with a link to the post.
		alice.get("/?quote="+firstID).want(t, 200).has(t, a.Config.BaseURL()+threadPath)

		// Without the form's token nothing happens.
		alice.post("/statuses", url.Values{"status": {"forged"}, "visibility": {"public"}}, "").want(t, http.StatusForbidden)

		bob := signUp(t, a, "bob")
		bob.get(threadPath+"/edit").want(t, 403) // not his
		if p := alice.get("/autocomplete?q=%40bo").want(t, 200); !strings.Contains(p.body, `"insert":"@bob"`) {
			t.Fatalf("autocomplete of @bo: %s", p.body)
		}
		profile := bob.get("/@alice").want(t, 200).has(t, "first part, edited", ">Follow<")
		aliceAcc, err := a.Service.LocalAccountByUsername(t.Context(), "alice")
		testkit.Must(t, err, "alice")
		bob.post("/accounts/"+idOf(aliceAcc)+"/follow", url.Values{"authenticity_token": {profile.token(t)}, "return_to": {"/@alice"}}, "").
			want(t, http.StatusSeeOther)
		bob.get("/@alice").want(t, 200).has(t, ">Unfollow<")
		alice.post("/statuses", url.Values{"authenticity_token": {tok}, "status": {"for my followers only"}, "visibility": {"private"},
			"return_to": {"/"}}, "").want(t, http.StatusSeeOther)
		a.Settle(t)
		bobHome := bob.get("/").want(t, 200).has(t, "for my followers only", "Followers only")

		// Like: as a form (303 back), and as app.js does it (JSON state).
		postID := regexp.MustCompile(`action="/statuses/(\d+)/like"`).FindStringSubmatch(bobHome.body)
		if postID == nil {
			t.Fatal("no like button on bob's home feed")
		}
		bob.post("/statuses/"+postID[1]+"/like", url.Values{"authenticity_token": {bobHome.token(t)}, "return_to": {"/"}}, "").
			want(t, http.StatusSeeOther)
		var state map[string]any
		js := bob.post("/statuses/"+postID[1]+"/unlike", url.Values{"authenticity_token": {bobHome.token(t)}}, "application/json").want(t, 200)
		testkit.Must(t, json.Unmarshal([]byte(js.body), &state), "toggle JSON")
		if state["on"] != false || state["label"] != "Like" || state["next"] != "/statuses/"+postID[1]+"/like" {
			t.Fatalf("unlike answered %v", state)
		}

		// A followers-only post's page: its author's followers only.
		privatePath := regexp.MustCompile(`href="(/@alice/\d+)"><time`).FindStringSubmatch(bobHome.body)
		if privatePath == nil {
			t.Fatal("no post link on bob's home feed")
		}
		bob.get(privatePath[1]).want(t, 200).has(t, "for my followers only")
		anon.get(privatePath[1]).want(t, 404)
		anon.get("/@nobody").want(t, 404)
		// Servers asking for ActivityPub at a page's address go to the document.
		apReq, err := http.NewRequest(http.MethodGet, a.URL+threadPath, nil)
		testkit.Must(t, err, "request")
		apReq.Header.Set("Accept", "application/activity+json")
		if loc := anon.do(apReq).want(t, http.StatusFound).header.Get("Location"); loc != "/users/alice/statuses/"+firstID {
			t.Fatalf("an ActivityPub request for a post page went to %q", loc)
		}

		// Members' pages send visitors to sign in, and back afterwards.
		if loc := anon.get("/notifications").want(t, http.StatusSeeOther).header.Get("Location"); loc != "/auth/sign_in?return_to=%2Fnotifications" {
			t.Fatalf("visitor sent to %q", loc)
		}
		alice.get("/notifications").want(t, 200).has(t, "followed you")

		// The fediverse switch, with its explanation.
		f := alice.get("/settings/fediverse").want(t, 200).has(t, "Fediverse sharing is off", "@alice@"+a.Config.Domain)
		alice.post("/settings/fediverse", url.Values{"authenticity_token": {f.token(t)}, "fediverse_sharing": {"on"}}, "").want(t, http.StatusSeeOther)
		alice.get("/settings/fediverse").want(t, 200).has(t, "Fediverse sharing is on")
		acc, err := a.Service.LocalAccountByUsername(t.Context(), "alice")
		testkit.Must(t, err, "alice")
		if !acc.FediverseSharing {
			t.Fatal("the switch did not turn sharing on")
		}
		// Muted words: bob mutes one; alice's post with it stays out of his feed.
		mutes := bob.get("/settings/mutes").want(t, 200).has(t, "No muted words.")
		bob.post("/settings/muted_words", url.Values{"authenticity_token": {mutes.token(t)}, "word": {"spoilers"}}, "").want(t, http.StatusSeeOther)
		bob.get("/settings/mutes").want(t, 200).has(t, "Unmute “spoilers”")
		alice.post("/statuses", url.Values{"authenticity_token": {tok}, "status": {"huge spoilers about the film"}, "visibility": {"public"}}, "").
			want(t, http.StatusSeeOther)
		alice.post("/statuses", url.Values{"authenticity_token": {tok}, "status": {"nothing to hide here"}, "visibility": {"public"}}, "").
			want(t, http.StatusSeeOther)
		a.Settle(t)
		if feed := bob.get("/").want(t, 200).has(t, "nothing to hide here"); strings.Contains(feed.body, "huge spoilers") {
			t.Fatal("a post with a muted word is on the home feed")
		}

		// Hashtag links in posts lead to the hashtag's page here.
		alice.post("/statuses", url.Values{"authenticity_token": {tok}, "status": {"sailing today #harbour"}, "visibility": {"public"}}, "").
			want(t, http.StatusSeeOther)
		anon.get("/@alice").want(t, 200).has(t, "/tags/harbour")
		anon.get("/tags/harbour").want(t, 200).has(t, "#harbour", "sailing today")

		// API clients still get JSON 404s.
		if p := anon.get("/api/v1/nothing"); p.status != 404 || !strings.Contains(p.body, "Record not found") {
			t.Fatalf("API 404: %d %s", p.status, p.body)
		}
	})
}

func idOf(a *model.Account) string { return strconv.FormatInt(a.ID, 10) }

// The live updates of signed-in pages: the Server-Sent Events stream tells a
// follower about a new post as soon as its fan-out puts it in their home
// timeline, and about a new notification; visitors get 401.
func TestLiveHome(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	reader := signUp(t, a, "reader")
	author := signUp(t, a, "author")
	authorAcc, err := a.Service.LocalAccountByUsername(t.Context(), "author")
	testkit.Must(t, err, "author")
	prof := reader.get("/@author").want(t, 200)
	reader.post("/accounts/"+idOf(authorAcc)+"/follow", url.Values{"authenticity_token": {prof.token(t)}}, "").want(t, http.StatusSeeOther)
	reader.get("/").want(t, 200).has(t, `data-live="/streaming/home"`, `data-events="/streaming/home"`)
	// The follow's merge of recent posts runs in a job; were it to run after
	// the post below, it would bring the post in first, and the fan-out,
	// finding it there, would announce nothing.
	a.Settle(t)

	newBrowser(t, a).get("/streaming/home").want(t, http.StatusUnauthorized)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, a.URL+"/streaming/home", nil)
	testkit.Must(t, err, "request")
	res, err := reader.c.Do(req)
	testkit.Must(t, err, "stream")
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := make(chan string, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := res.Body.Read(buf)
			if n > 0 {
				lines <- string(buf[:n])
			}
			if err != nil {
				close(lines)
				return
			}
		}
	}()
	home := author.get("/").want(t, 200)
	author.post("/statuses", url.Values{"authenticity_token": {home.token(t)}, "status": {"live, right now"}, "visibility": {"public"}}, "").
		want(t, http.StatusSeeOther)
	deadline := time.After(30 * time.Second) // a busy machine delays the fan-out job
	var got strings.Builder
	awaitEvent := func(what string) {
		t.Helper()
		for !strings.Contains(got.String(), what) {
			select {
			case chunk, ok := <-lines:
				if !ok {
					t.Fatalf("the stream ended: %q", got.String())
				}
				got.WriteString(chunk)
			case <-deadline:
				t.Fatalf("no %q within 30 s: %q", what, got.String())
			}
		}
	}
	awaitEvent("event: update")

	// A new notification (the author follows the reader back) comes down
	// the same stream: app.js raises the Activity badge with it.
	readerAcc, err := a.Service.LocalAccountByUsername(t.Context(), "reader")
	testkit.Must(t, err, "reader")
	back := author.get("/@reader").want(t, 200)
	author.post("/accounts/"+idOf(readerAcc)+"/follow", url.Values{"authenticity_token": {back.token(t)}}, "").want(t, http.StatusSeeOther)
	awaitEvent("event: notification\ndata: ")

	// Signing out ends the stream (before, it went on delivering).
	page := reader.get("/settings/profile").want(t, 200)
	reader.post("/auth/sign_out", url.Values{"authenticity_token": {page.token(t)}}, "").want(t, http.StatusSeeOther)
	ended := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-lines:
			if !ok {
				return
			}
		case <-ended:
			t.Fatal("the live stream goes on after signing out")
		}
	}
}
