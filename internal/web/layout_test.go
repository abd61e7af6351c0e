package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// between is the part of a page from the first match of start to the next
// match of end after it, so a check looks where it means to.
func between(t *testing.T, body, start, end string) string {
	t.Helper()
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("no %q in the page:\n%.1500s", start, body)
	}
	j := strings.Index(body[i:], end)
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return body[i : i+j]
}

// The signed-in layout: five destinations (Home, Search, New post,
// Activity, Profile) with icons and labels, the rest (Sign out among
// them) in the More menu; visitors get the plain top bar.
func TestLayoutNavigation(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	home := alice.get("/").want(t, 200)
	nav := between(t, home.body, `<nav class="main-nav" aria-label="Main">`, "</nav>")
	links := regexp.MustCompile(`<a href="([^"]+)"[^>]*>(<svg class="icon"[^>]*aria-hidden="true"[^>]*>.*?</svg>)<span class="label">([^<]+)</span>`).FindAllStringSubmatch(nav, -1)
	var got []string
	for _, l := range links {
		got = append(got, l[1]+" "+l[3])
	}
	want := []string{"/ Home", "/search Search", "/compose New post", "/notifications Activity", "/@alice Profile"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("main navigation: %q, want %q", got, want)
	}
	if !strings.Contains(nav, `href="/" aria-current="page"`) {
		t.Fatal("Home is not marked as the current page")
	}
	more := between(t, home.body, `<details class="menu more-menu">`, "</details>")
	for _, w := range []string{`href="/bookmarks"`, `href="/favourites"`, `href="/settings/profile"`, `href="/fediverse"`, `action="/auth/sign_out"`} {
		if !strings.Contains(more, w) {
			t.Fatalf("the More menu lacks %s", w)
		}
	}
	if strings.Contains(more, `href="/admin"`) {
		t.Fatal("a member's menu offers Admin")
	}
	anon := newBrowser(t, a).get("/about").want(t, 200)
	if strings.Contains(anon.body, "main-nav") || !strings.Contains(anon.body, `href="/auth/sign_in"`) {
		t.Fatal("a visitor gets the members' navigation")
	}
}

// New post without JavaScript is a page of its own: it goes back where it
// was opened from (home by default), and ?quote= starts a quote.
func TestComposePage(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	signUp(t, a, "bob")
	bob, err := a.Service.LocalAccountByUsername(t.Context(), "bob")
	testkit.Must(t, err, "bob")
	v, err := a.Service.CreatePost(t.Context(), bob.ID, service.PostInput{Text: "worth quoting", Visibility: model.Public})
	testkit.Must(t, err, "post")

	newBrowser(t, a).get("/compose").want(t, http.StatusSeeOther)
	p := alice.get("/compose").want(t, 200).has(t, `<form method="post" action="/statuses" class="composer" id="composer"`,
		`name="return_to" value="/"`, `autofocus`, `aria-current="page">`)
	if strings.Contains(p.body, `class="composer compact"`) {
		t.Fatal("the compose page's composer is folded")
	}
	id := idOf(&model.Account{ID: v.Status.ID})
	q := alice.get("/compose?quote="+id+"&return_to="+url.QueryEscape("/@bob")).want(t, 200).
		has(t, `name="return_to" value="/@bob"`, "/@bob/"+id)
	res := alice.post("/statuses", url.Values{"authenticity_token": {q.token(t)}, "status": {"look at this\n\n" + a.URL + "/@bob/" + id},
		"visibility": {"public"}, "return_to": {"/@bob"}}, "").want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/@bob" {
		t.Fatalf("after posting from the compose page: %q", loc)
	}
	// Home keeps a composer too, folded to one line until it is used.
	alice.get("/").want(t, 200).has(t, `class="composer compact"`, `placeholder="What's new?"`)
}

// A post's actions: reply, like, repost (boost or quote), share as icons
// with counts; save, copy link and the rest in the overflow menu — edit
// and delete on one's own posts, mute, block and report on others'. Mute
// from the menu comes back with a notice.
func TestPostActions(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	bobB := signUp(t, a, "bob")
	ctx := t.Context()
	me, err := a.Service.LocalAccountByUsername(ctx, "alice")
	testkit.Must(t, err, "alice")
	bob, err := a.Service.LocalAccountByUsername(ctx, "bob")
	testkit.Must(t, err, "bob")
	_, err = a.Service.Follow(ctx, me.ID, bob.ID, service.FollowOptions{})
	testkit.Must(t, err, "follow")
	pub, err := a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "public words", Visibility: model.Public})
	testkit.Must(t, err, "post")
	_, err = a.Service.Favourite(ctx, me.ID, pub.Status.ID)
	testkit.Must(t, err, "like")
	_, err = a.Service.CreatePost(ctx, bob.ID, service.PostInput{Text: "for followers", Visibility: model.Private})
	testkit.Must(t, err, "post")
	_, err = a.Service.CreatePost(ctx, me.ID, service.PostInput{Text: "my own", Visibility: model.Public})
	testkit.Must(t, err, "post")
	a.Settle(t)

	home := alice.get("/").want(t, 200)
	pubID := idOf(&model.Account{ID: pub.Status.ID})
	art := between(t, home.body, `id="post-`+pubID+`"`, "</article>")
	for _, w := range []string{
		`<span class="sr-only">Reply</span></a>`,
		`data-toggle="like"`, `aria-pressed="true"><svg`, `<span class="label sr-only">Liked</span> <span class="count">1</span>`,
		`<details class="menu repost"><summary><svg`, `<span class="sr-only">Repost</span> <span class="count"></span><span class="sr-only count-noun"></span></summary>`, `action="/statuses/` + pubID + `/boost"`, `>Boost</span>`,
		`href="/compose?quote=` + pubID + `&amp;return_to=%2f"`,
		`data-share aria-label="Share"`,
		`<details class="menu overflow"><summary aria-label="More actions">`, `action="/statuses/` + pubID + `/bookmark"`, `>Save</span>`,
		`data-copy="`, `/confirm?verb=mute&amp;return_to=%2f">`, `>Mute @bob</a>`, `class="danger" href="/accounts/` + idOf(bob) + `/confirm?verb=block&amp;return_to=%2f">`, `>Block @bob</a>`, `/reports/new?account_id=`,
	} {
		if !strings.Contains(art, w) {
			t.Fatalf("bob's post lacks %q:\n%s", w, art)
		}
	}
	if strings.Contains(art, "/edit") || strings.Contains(art, "/delete") {
		t.Fatal("edit or delete offered on someone else's post")
	}
	priv := between(t, home.body, "for followers", "</article>")
	if !strings.Contains(priv, `aria-label="Can't be reposted: Followers only"`) || strings.Contains(priv, "/boost") || strings.Contains(priv, "quote=") {
		t.Fatalf("a followers-only post of someone else offers a repost:\n%s", priv)
	}
	own := between(t, home.body, "my own", "</article>")
	for _, w := range []string{`/edit">`, `>Edit</a>`, `class="danger" href="/statuses/`, `>Delete</a>`} {
		if !strings.Contains(own, w) {
			t.Fatalf("own post lacks %q:\n%s", w, own)
		}
	}
	if strings.Contains(own, "Mute @") || strings.Contains(own, "/reports/new") {
		t.Fatal("mute or report offered on one's own post")
	}

	// Mute from the menu: a page says what it does first; then back to
	// the page, with a notice.
	confirm := alice.get("/accounts/"+idOf(bob)+"/confirm?verb=mute&return_to=%2F").want(t, 200).
		has(t, "<h1>Mute @bob?</h1>", `action="/accounts/`+idOf(bob)+`/mute"`, `name="return_to" value="/"`, `name="notice" value="muted"`)
	alice.get("/accounts/"+idOf(bob)+"/confirm?verb=block&return_to=%2F").want(t, 200).has(t, "<h1>Block @bob?</h1>", `name="notice" value="blocked"`)
	alice.get("/accounts/"+idOf(bob)+"/confirm?verb=delete").want(t, http.StatusNotFound)
	alice.get("/accounts/"+idOf(me)+"/confirm?verb=block").want(t, http.StatusUnprocessableEntity)
	_ = confirm
	res := alice.post("/accounts/"+idOf(bob)+"/mute", url.Values{"authenticity_token": {home.token(t)}, "return_to": {"/"}, "notice": {"muted"}}, "").
		want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/?notice=muted" {
		t.Fatalf("after muting: %q", loc)
	}
	after := alice.get("/?notice=muted").want(t, 200).has(t, `role="status">Muted.`)
	if strings.Contains(after.body, "public words") {
		t.Fatal("the muted account's post is still on the home feed")
	}
	// An unknown notice is not echoed.
	res = alice.post("/accounts/"+idOf(bob)+"/unmute", url.Values{"authenticity_token": {home.token(t)}, "return_to": {"/"}, "notice": {"<b>hi</b>"}}, "").
		want(t, http.StatusSeeOther)
	if loc := res.header.Get("Location"); loc != "/" {
		t.Fatalf("after unmuting with a made-up notice: %q", loc)
	}

	// Visitors see counts in words, no buttons.
	newBrowser(t, a).get("/@bob/"+pubID).want(t, 200).has(t, "0 replies · 0 boosts · 1 like")
	_ = bobB
}

// Refusals read as a person would say them, beside the form that keeps
// what was typed: an empty post.
func TestComposeRefusalInWords(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	home := alice.get("/").want(t, 200)
	alice.post("/statuses", url.Values{"authenticity_token": {home.token(t)}, "status": {"   "}, "spoiler_text": {"kept"}, "visibility": {"public"}}, "").
		want(t, http.StatusUnprocessableEntity).has(t, "Write something before posting, or attach a photo.", `value="kept"`)
}

// A thread's parts each carry their own content warning, and a part can
// move up (without JavaScript: the form comes back with the parts
// swapped, each with what it carries).
func TestComposerPartsWarnAndMove(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	tok := alice.get("/compose").want(t, 200).token(t)
	moved := alice.post("/statuses", url.Values{"authenticity_token": {tok}, "visibility": {"public"}, "move_up": {"2"},
		"status": {"first words", "second words"}, "spoiler_text": {"", "spoilers ahead"}}, "").want(t, 200)
	first := strings.Index(moved.body, "second words")
	if first < 0 || first > strings.Index(moved.body, "first words") {
		t.Fatal("Move up did not put the second part first")
	}
	moved.has(t, `id="cw-1" name="spoiler_text" value="spoilers ahead"`, `id="cw-2" name="spoiler_text" value=""`, `name="move_up" value="2"`)
	res := alice.post("/statuses", url.Values{"authenticity_token": {tok}, "visibility": {"public"},
		"status": {"the open part", "the warned part"}, "spoiler_text": {"", "spoilers ahead"}}, "").want(t, http.StatusSeeOther)
	thread := alice.get(res.header.Get("Location")).want(t, 200)
	open := between(t, thread.body, "the open part", "</article>")
	if strings.Contains(thread.body[:strings.Index(thread.body, "the open part")], "spoilers ahead") || strings.Contains(open, "<summary>spoilers ahead") {
		t.Fatal("the first part carries the second part's warning")
	}
	thread.has(t, "<summary>spoilers ahead</summary>")
}

// The profile form keeps what was typed when it is refused, says what is
// wrong in words and marks the field; a good save goes through.
func TestProfileSettingsKeepWhatWasTyped(t *testing.T) {
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := signUp(t, a, "alice")
	tok := alice.get("/settings/profile").want(t, 200).token(t)
	long := strings.Repeat("b", 501)
	p := alice.postMultipart("/settings/profile", [][2]string{{"authenticity_token", tok}, {"display_name", "Alice Harbour"}, {"note", long},
		{"field_name", "Boat"}, {"field_value", "Sea Swift"}, {"locked", "1"}}, nil).want(t, http.StatusUnprocessableEntity)
	p.has(t, "The bio is too long", `value="Alice Harbour"`, long+"</textarea>", `value="Sea Swift"`, `name="locked" value="1" checked`,
		`<textarea id="note" name="note" maxlength="500" aria-invalid="true" aria-describedby="profile-problem">`)
	alice.postMultipart("/settings/profile", [][2]string{{"authenticity_token", tok}, {"display_name", "Alice Harbour"}, {"note", "short"}}, nil).
		want(t, http.StatusSeeOther)
	alice.get("/settings/profile").want(t, 200).has(t, `value="Alice Harbour"`, "short</textarea>")
}
