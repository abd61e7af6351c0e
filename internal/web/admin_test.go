package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// adminSignIn signs a browser in through the sign-in form.
func adminSignIn(t *testing.T, a *testkit.API, login, password string) *browser {
	t.Helper()
	b := newBrowser(t, a)
	form := b.get("/auth/sign_in").want(t, 200)
	b.post("/auth/sign_in", url.Values{"authenticity_token": {form.token(t)}, "login": {login}, "password": {password},
		"return_to": {"/"}}, "").want(t, http.StatusSeeOther)
	return b
}

// seeOther is where a redirect leads.
func (p page) seeOther(t *testing.T) string {
	t.Helper()
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d, want a redirect:\n%.800s", p.status, p.body)
	}
	return p.header.Get("Location")
}

// The admin pages: only admins get in (visitors go to sign in, members get
// 403 on every page and form); reports made through the API show with
// their comment and posts; an admin suspends, unsuspends and deletes (after
// typing the username again) a member, but never themselves; domain blocks
// are added and removed.
func TestAdminPages(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		ctx := t.Context()
		const password = adminPassword
		_, admin := newAdmin(t, a)
		if loc := admin.get("/admin").seeOther(t); loc != "/admin/reports" {
			t.Fatalf("/admin leads to %q", loc)
		}

		alice := signUp(t, a, "alice") // reports bob
		bob := signUp(t, a, "bob")     // the one moderated
		aliceAcc, err := a.Service.LocalAccountByUsername(ctx, "alice")
		testkit.Must(t, err, "alice")
		bobAcc, err := a.Service.LocalAccountByUsername(ctx, "bob")
		testkit.Must(t, err, "bob")
		bossAcc, err := a.Service.LocalAccountByUsername(ctx, "boss")
		testkit.Must(t, err, "boss")
		bobID, bossID := idOf(bobAcc), idOf(bossAcc)

		// Visitors are sent to sign in; members who are not admins get 403
		// on every page and every form, and nothing changes.
		anon := newBrowser(t, a)
		if loc := anon.get("/admin/users").seeOther(t); loc != "/auth/sign_in?return_to=%2Fadmin%2Fusers" {
			t.Fatalf("visitor sent to %q", loc)
		}
		other, err := a.Service.BlockInstanceDomain(ctx, service.DomainBlockInput{Domain: "other.example", Severity: model.DomainNoop})
		testkit.Must(t, err, "block other.example")
		for _, p := range []string{"/admin", "/admin/", "/admin/reports", "/admin/users", "/admin/users?after=1",
			"/admin/users/" + bobID + "/delete", "/admin/domain_blocks"} {
			alice.get(p).want(t, http.StatusForbidden).has(t, "admins only")
		}
		aliceTok := alice.get("/").want(t, 200).token(t)
		for _, f := range []struct {
			path string
			form url.Values
		}{
			{"/admin/users/" + bobID + "/suspend", nil},
			{"/admin/users/" + bobID + "/unsuspend", nil},
			{"/admin/users/" + bobID + "/delete", url.Values{"confirm_username": {"bob"}}},
			{"/admin/domain_blocks", url.Values{"domain": {"evil.example"}, "severity": {"suspend"}}},
			{"/admin/domain_blocks/" + strconv.FormatInt(other.ID, 10) + "/remove", nil},
		} {
			form := url.Values{"authenticity_token": {aliceTok}}
			for k, v := range f.form {
				form[k] = v
			}
			alice.post(f.path, form, "").want(t, http.StatusForbidden)
			anon.post(f.path, form, "").want(t, http.StatusUnauthorized)
		}
		if acc, err := a.Service.AccountByID(ctx, bobAcc.ID); err != nil || acc.Gone() {
			t.Fatalf("a member's forms changed bob: %+v, %v", acc, err)
		}
		if blocks, err := a.Service.InstanceDomainBlocks(ctx); err != nil || len(blocks) != 1 || blocks[0].Domain != "other.example" {
			t.Fatalf("a member's forms changed the domain blocks: %+v, %v", blocks, err)
		}

		// A report through the API shows with its comment and post, and
		// one received from another server says where it came from.
		bobTok := a.Token(t, bobAcc, "read write")
		var st struct{ ID string }
		a.Do(t, "POST", "/api/v1/statuses", bobTok, map[string]any{"status": "buy cheap pills at pills.example"}).Want(t, 200).JSON(t, &st)
		a.Do(t, "POST", "/api/v1/reports", a.Token(t, aliceAcc, "read write"),
			map[string]any{"account_id": bobID, "status_ids": []string{st.ID}, "comment": "spam in my replies\nagain and again"}).Want(t, 200)
		remote := &model.Account{ID: 7, Username: "remote.example", Domain: "remote.example",
			URI: "https://remote.example/actor", URL: "https://remote.example/about", CreatedAt: time.Now(), UpdatedAt: time.Now()}
		testkit.Must(t, a.Store.InTx(ctx, func(tx *store.Tx) error { return tx.InsertAccount(ctx, remote) }), "remote actor")
		testkit.Must(t, a.Service.RemoteReport(ctx, remote.ID, aliceAcc.ID, nil, "flagged over there", "https://remote.example/flags/1"),
			"remote report")
		reports := admin.get("/admin/reports").want(t, 200)
		reports.has(t, `aria-label="Administration"`, `href="/admin/reports" aria-current="page"`,
			"spam in my replies", "again and again", "buy cheap pills at pills.example", `href="/@bob"`, `href="/@bob/`+st.ID+`"`,
			`href="/@alice"`, "a member of this server", "Other",
			"flagged over there", "The server remote.example", "https://remote.example/flags/1")
		if !strings.Contains(reports.body, `action="/admin/users/`+bobID+`/suspend"`) {
			t.Fatal("no Suspend form on the report of bob")
		}

		// Suspend bob: his profile is gone for others, his session ended.
		users := admin.get("/admin/users").want(t, 200).has(t, ">bob</a>", ">alice</a>", "(you)", `<span class="badge">admin</span>`)
		tok := users.token(t)
		bobTokWeb := bob.get("/").want(t, 200).token(t)
		loc := admin.post("/admin/users/"+bobID+"/suspend", url.Values{"authenticity_token": {tok}, "return_to": {"/admin/users"}}, "").
			seeOther(t)
		if !strings.HasPrefix(loc, "/admin/users?") || !strings.Contains(loc, "done=suspend") {
			t.Fatalf("after suspending: %q", loc)
		}
		admin.get(loc).want(t, 200).has(t, "bob is suspended", "suspended", `action="/admin/users/`+bobID+`/unsuspend"`)
		alice.get("/@bob").want(t, http.StatusNotFound)
		anon.get("/@bob").want(t, http.StatusNotFound)
		bob.post("/statuses", url.Values{"authenticity_token": {bobTokWeb}, "status": {"still here"}, "visibility": {"public"},
			"return_to": {"/"}}, "").want(t, http.StatusUnauthorized)
		a.Do(t, "POST", "/api/v1/statuses", bobTok, map[string]any{"status": "still here"}).Want(t, http.StatusUnauthorized)
		// Suspending again changes nothing and says so.
		admin.post("/admin/users/"+bobID+"/suspend", url.Values{"authenticity_token": {tok}}, "").want(t, http.StatusSeeOther)

		// No admin suspends or deletes themselves.
		admin.post("/admin/users/"+bossID+"/suspend", url.Values{"authenticity_token": {tok}}, "").
			want(t, http.StatusUnprocessableEntity).has(t, "You cannot suspend your own account")
		admin.get("/admin/users/"+bossID+"/delete").want(t, http.StatusUnprocessableEntity).has(t, "You cannot delete your own account")
		admin.post("/admin/users/"+bossID+"/delete", url.Values{"authenticity_token": {tok}, "confirm_username": {"boss"}}, "").
			want(t, http.StatusUnprocessableEntity).has(t, "You cannot delete your own account")
		if acc, err := a.Service.AccountByID(ctx, bossAcc.ID); err != nil || acc.Gone() {
			t.Fatalf("the admin suspended or deleted themselves: %+v, %v", acc, err)
		}
		// Forms without the page's token do nothing.
		admin.post("/admin/users/"+bobID+"/unsuspend", url.Values{}, "").want(t, http.StatusForbidden)

		// Unsuspend: the profile is back.
		admin.post("/admin/users/"+bobID+"/unsuspend", url.Values{"authenticity_token": {tok}, "return_to": {"/admin/users"}}, "").
			want(t, http.StatusSeeOther)
		alice.get("/@bob").want(t, 200)
		admin.get("/admin/users").want(t, 200).has(t, `action="/admin/users/`+bobID+`/suspend"`)

		// Delete, after typing the username again.
		confirm := admin.get("/admin/users/"+bobID+"/delete?return_to=%2Fadmin%2Fusers").want(t, 200).
			has(t, "cannot be undone", `for="confirm_username"`, `name="confirm_username"`)
		admin.post("/admin/users/"+bobID+"/delete", url.Values{"authenticity_token": {confirm.token(t)}, "confirm_username": {"alice"}}, "").
			want(t, http.StatusUnprocessableEntity).has(t, "does not match")
		if acc, err := a.Service.AccountByID(ctx, bobAcc.ID); err != nil || acc.Gone() {
			t.Fatalf("a wrong username deleted bob: %+v, %v", acc, err)
		}
		loc = admin.post("/admin/users/"+bobID+"/delete", url.Values{"authenticity_token": {confirm.token(t)}, "confirm_username": {"bob"},
			"return_to": {"/admin/users"}}, "").seeOther(t)
		if acc, err := a.Service.AccountByID(ctx, bobAcc.ID); err != nil || acc.DeletedAt == nil {
			t.Fatalf("bob is not deleted: %+v, %v", acc, err)
		}
		admin.get(loc).want(t, 200).has(t, "bob is deleted", "deleted")
		alice.get("/@bob").want(t, http.StatusNotFound)
		a.Settle(t)

		// Domain blocks: the severities explained, one added, then removed.
		blocks := admin.get("/admin/domain_blocks").want(t, 200).has(t, "other.example", "No exchange at all",
			"out of public timelines", "Only the media rule", `for="domain"`, `for="severity"`, `for="comment"`)
		tok = blocks.token(t)
		admin.post("/admin/domain_blocks", url.Values{"authenticity_token": {tok}, "domain": {"not a domain"}, "severity": {"limit"}}, "").
			want(t, http.StatusUnprocessableEntity).has(t, "not a domain name", `value="not a domain"`)
		loc = admin.post("/admin/domain_blocks", url.Values{"authenticity_token": {tok}, "domain": {"Spam.Example"}, "severity": {"limit"},
			"reject_media": {"1"}, "comment": {"sends spam"}}, "").seeOther(t)
		blocks = admin.get(loc).want(t, 200).has(t, "spam.example is blocked", "spam.example", "sends spam", "Limit")
		list, err := a.Service.InstanceDomainBlocks(ctx)
		testkit.Must(t, err, "domain blocks")
		var added *model.InstanceDomainBlock
		for _, b := range list {
			if b.Domain == "spam.example" {
				added = b
			}
		}
		if added == nil || added.Severity != model.DomainLimit || !added.RejectMedia || added.Comment != "sends spam" {
			t.Fatalf("the block as stored: %+v", added)
		}
		remove := regexp.MustCompile(`(?s)action="(/admin/domain_blocks/\d+/remove)"[^>]*>.{0,300}Remove the block of spam.example`).
			FindStringSubmatch(blocks.body)
		if remove == nil {
			t.Fatalf("no Remove form for spam.example:\n%s", blocks.body)
		}
		admin.post(remove[1], url.Values{"authenticity_token": {tok}}, "").want(t, http.StatusSeeOther)
		list, err = a.Service.InstanceDomainBlocks(ctx)
		testkit.Must(t, err, "domain blocks")
		if len(list) != 1 || list[0].Domain != "other.example" {
			t.Fatalf("after removing spam.example: %+v", list)
		}
		if strings.Contains(admin.get("/admin/domain_blocks").want(t, 200).body, "sends spam") {
			t.Fatal("the removed block is still listed")
		}

		// The users, a page at a time.
		for i := range 50 {
			a.QuickAccount(t, fmt.Sprintf("member%02d", i))
		}
		first := admin.get("/admin/users").want(t, 200).has(t, ">member00</a>", `rel="next"`, "Next page")
		if strings.Contains(first.body, ">member49</a>") || strings.Contains(first.body, "First page") {
			t.Fatal("the first page of users goes on too far")
		}
		next := regexp.MustCompile(`href="(/admin/users\?after=\d+)" rel="next"`).FindStringSubmatch(first.body)
		if next == nil {
			t.Fatal("no link to the next page of users")
		}
		second := admin.get(next[1]).want(t, 200).has(t, ">member49</a>", "First page")
		if strings.Contains(second.body, ">member00</a>") || strings.Contains(second.body, `rel="next"`) {
			t.Fatal("the second page of users repeats the first or goes on")
		}
	})
}

// The server settings page: what admins set overrides the configuration
// everywhere it shows — the about and privacy pages, sign-ups, the client
// API's instance and rules, NodeInfo, new members' sharing default; only
// admins may change it; reports can be marked resolved.
func TestAdminServerSettings(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		ctx := t.Context()
		const password = adminPassword
		_, admin := newAdmin(t, a)
		member := signUp(t, a, "member")
		page := admin.get("/admin/instance").want(t, 200).has(t, "Server settings", `value="weft test"`)
		form := url.Values{"authenticity_token": {page.token(t)}, "name": {"Harbour"}, "description": {"A quiet harbour."},
			"rule": {"Be kind to each other.", "", "No spam."}, "privacy_policy": {"We keep little.\n\nWe share less."},
			"registrations": {"closed"}, "fediverse_sharing_default": {"on"}} // public_feed left unchecked: members only
		m := member.get("/").want(t, 200)
		member.post("/admin/instance", url.Values{"authenticity_token": {m.token(t)}, "name": {"Mine"}, "registrations": {"open"}}, "").
			want(t, http.StatusForbidden)
		bad := url.Values{"authenticity_token": {page.token(t)}, "name": {"  "}, "registrations": {"open"}}
		admin.post("/admin/instance", bad, "").want(t, http.StatusUnprocessableEntity).has(t, "name")
		admin.post("/admin/instance", form, "").want(t, http.StatusSeeOther)

		anon := newBrowser(t, a)
		anon.get("/about").want(t, 200).has(t, "About Harbour", "A quiet harbour.", "<li>Be kind to each other.</li>", "<li>No spam.</li>")
		anon.get("/privacy-policy").want(t, 200).has(t, "<p>We keep little.</p>", "<p>We share less.</p>")
		anon.get("/auth/sign_up").want(t, 200).has(t, "Sign-ups are closed")
		anon.get("/").want(t, 200).has(t, "Sign in to see what people here post")
		if loc := anon.get("/public").want(t, http.StatusSeeOther).header.Get("Location"); !strings.HasPrefix(loc, "/auth/sign_in") {
			t.Fatalf("a visitor on Explore with the public feed hidden went to %q", loc)
		}
		member.get("/public").want(t, 200)
		inst := a.Do(t, "GET", "/api/v2/instance", "", nil).Want(t, 200).Map(t)
		if inst["title"] != "Harbour" || len(inst["rules"].([]any)) != 2 || inst["registrations"].(map[string]any)["enabled"] != false {
			t.Fatalf("/api/v2/instance: title %v rules %v registrations %v", inst["title"], inst["rules"], inst["registrations"])
		}
		ni := a.Do(t, "GET", "/nodeinfo/2.0", "", nil).Want(t, 200).Map(t)
		if ni["openRegistrations"] != false || ni["metadata"].(map[string]any)["nodeName"] != "Harbour" {
			t.Fatalf("nodeinfo: %v", ni)
		}
		newbie, err := a.Service.Register(ctx, service.Registration{Username: "newbie", Email: "n@example.com", Password: password})
		testkit.Must(t, err, "register")
		if !newbie.FediverseSharing {
			t.Fatal("the sharing default set by the admin was not applied to a new member")
		}

		// Reports: resolved ones leave the list.
		target, err := a.Service.LocalAccountByUsername(ctx, "newbie")
		testkit.Must(t, err, "newbie")
		memberAcc, err := a.Service.LocalAccountByUsername(ctx, "member")
		testkit.Must(t, err, "member")
		a.Do(t, "POST", "/api/v1/reports", a.Token(t, memberAcc, "read write"), map[string]any{"account_id": idOf(target),
			"comment": "please look at this one"}).Want(t, 200)
		reports := admin.get("/admin/reports").want(t, 200).has(t, "please look at this one", "Mark resolved")
		id := regexp.MustCompile(`action="/admin/reports/(\d+)/resolve"`).FindStringSubmatch(reports.body)
		if id == nil {
			t.Fatal("no resolve form")
		}
		admin.post("/admin/reports/"+id[1]+"/resolve", url.Values{"authenticity_token": {reports.token(t)}, "who": {"newbie"}}, "").
			want(t, http.StatusSeeOther)
		if p := admin.get("/admin/reports").want(t, 200); strings.Contains(p.body, "please look at this one") {
			t.Fatal("a resolved report is still listed")
		}
		admin.post("/admin/reports/"+id[1]+"/resolve", url.Values{"authenticity_token": {reports.token(t)}}, "").want(t, http.StatusNotFound)
	})
}

// Sign-ups with approval: the person says why they join and waits (no
// session, the account nowhere to be seen); the admin approves one, who
// can then sign in, and turns another down.
func TestSignUpApproval(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		ctx := t.Context()
		const password = adminPassword
		boss, _ := newAdmin(t, a)
		info := a.Service.InstanceInfo(ctx)
		info.Registrations = "approval"
		_, err := a.Service.UpdateInstanceInfo(ctx, boss.ID, info)
		testkit.Must(t, err, "approval mode")

		ask := func(username, reason string) {
			b := newBrowser(t, a)
			form := b.get("/auth/sign_up").want(t, 200).has(t, "Why do you want to join?")
			b.post("/auth/sign_up", url.Values{"authenticity_token": {form.token(t)}, "username": {username},
				"email": {username + "@example.com"}, "password": {password}, "password_confirmation": {password},
				"agreement": {"1"}, "reason": {reason}}, "").want(t, 200).has(t, "waiting for an admin")
			for _, c := range b.c.Jar.Cookies(mustURL(t, a.URL)) {
				if c.Name == "_weft_session" {
					t.Fatal("a sign-up waiting for approval got a session")
				}
			}
		}
		ask("hopeful", "I sail and want to talk about it")
		ask("spammer", "buy things")
		newBrowser(t, a).get("/@hopeful").want(t, 404)
		b := newBrowser(t, a)
		signIn := b.get("/auth/sign_in").want(t, 200)
		b.post("/auth/sign_in", url.Values{"authenticity_token": {signIn.token(t)}, "login": {"hopeful"}, "password": {password}}, "").
			want(t, http.StatusUnauthorized).has(t, "waiting for an admin")

		admin := adminSignIn(t, a, "boss", password)
		users := admin.get("/admin/users").want(t, 200).has(t, "Sign-ups waiting for approval", "I sail and want to talk about it", "buy things")
		hopeful, err := a.Service.LocalAccountByUsername(ctx, "hopeful")
		testkit.Must(t, err, "hopeful")
		spammer, err := a.Service.LocalAccountByUsername(ctx, "spammer")
		testkit.Must(t, err, "spammer")
		admin.post("/admin/signups/"+idOf(hopeful)+"/approve", url.Values{"authenticity_token": {users.token(t)}, "who": {"hopeful"}}, "").
			want(t, http.StatusSeeOther)
		admin.post("/admin/signups/"+idOf(spammer)+"/reject", url.Values{"authenticity_token": {users.token(t)}, "who": {"spammer"}}, "").
			want(t, http.StatusSeeOther)
		if p := admin.get("/admin/users").want(t, 200); strings.Contains(p.body, "Sign-ups waiting for approval") {
			t.Fatal("answered sign-ups are still waiting")
		}
		adminSignIn(t, a, "hopeful", password).get("/").want(t, 200).has(t, "New post")
		newBrowser(t, a).get("/@hopeful").want(t, 200)
		b2 := newBrowser(t, a)
		f := b2.get("/auth/sign_in").want(t, 200)
		b2.post("/auth/sign_in", url.Values{"authenticity_token": {f.token(t)}, "login": {"spammer"}, "password": {password}}, "").
			want(t, http.StatusUnauthorized)
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	testkit.Must(t, err, "url")
	return u
}

const adminPassword = "correct horse battery"

// newAdmin registers the admin "boss" and signs them in.
func newAdmin(t *testing.T, a *testkit.API) (*model.Account, *browser) {
	t.Helper()
	boss, err := a.Service.Register(t.Context(), service.Registration{Username: "boss", Email: "boss@example.com",
		Password: adminPassword, Admin: true})
	testkit.Must(t, err, "register the admin")
	return boss, adminSignIn(t, a, "boss", adminPassword)
}
