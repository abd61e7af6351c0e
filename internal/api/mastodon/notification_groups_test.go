package mastodon_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// groupedFx sets up alice's notifications, oldest first: eve follows her,
// bob mentions her, bob, carol and dave like her post p1, frank follows
// her, carol boosts p1, bob likes her post p2, dave mentions her.
type groupedFx struct {
	tlFx
	aliceTok string
	acc      map[string]*model.Account
	tok      map[string]string
	p1, p2   string
	m1, m2   string // the mentions' posts
	notes    []string
}

func newGroupedFx(t *testing.T, a *testkit.API) *groupedFx {
	t.Helper()
	f := &groupedFx{tlFx: tlFx{t, a}, acc: map[string]*model.Account{}, tok: map[string]string{}}
	for _, name := range []string{"alice", "bob", "carol", "dave", "eve", "frank"} {
		f.acc[name], f.tok[name] = f.user(name)
	}
	f.aliceTok = f.tok["alice"]
	ctx := context.Background()
	f.p1 = f.postVis(f.aliceTok, "first post", "public")
	f.p2 = f.postVis(f.aliceTok, "second post", "public")
	step := func(what string, fn func() error) {
		t.Helper()
		testkit.Must(t, fn(), "%s", what)
		a.Settle(t) // one notification at a time, so their order is known
	}
	like := func(who, post string) func() error {
		return func() error { _, err := a.Service.Favourite(ctx, f.acc[who].ID, tlID(t, post)); return err }
	}
	follow := func(who string) func() error {
		return func() error {
			_, err := a.Service.Follow(ctx, f.acc[who].ID, f.acc["alice"].ID, service.FollowOptions{})
			return err
		}
	}
	step("eve follows", follow("eve"))
	step("bob mentions", func() error { f.m1 = f.postVis(f.tok["bob"], "hi @alice", "public"); return nil })
	step("bob likes p1", like("bob", f.p1))
	step("carol likes p1", like("carol", f.p1))
	step("dave likes p1", like("dave", f.p1))
	step("frank follows", follow("frank"))
	step("carol boosts p1", func() error { _, err := a.Service.Reblog(ctx, f.acc["carol"].ID, tlID(t, f.p1), ""); return err })
	step("bob likes p2", like("bob", f.p2))
	step("dave mentions", func() error { f.m2 = f.postVis(f.tok["dave"], "hey @alice", "public"); return nil })
	f.notes = f.ids("/api/v1/notifications", f.aliceTok)
	if len(f.notes) != 9 {
		t.Fatalf("v1 notifications: %v, want 9", f.notes)
	}
	return f
}

// grouped fetches a page of groups.
type groupedPage struct {
	Accounts []struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"accounts"`
	PartialAccounts *[]any `json:"partial_accounts"`
	Statuses        []struct {
		ID string `json:"id"`
	} `json:"statuses"`
	Groups []struct {
		GroupKey   string   `json:"group_key"`
		Count      int      `json:"notifications_count"`
		Type       string   `json:"type"`
		MostRecent any      `json:"most_recent_notification_id"`
		PageMinID  string   `json:"page_min_id"`
		PageMaxID  string   `json:"page_max_id"`
		LatestAt   string   `json:"latest_page_notification_at"`
		Samples    []string `json:"sample_account_ids"`
		StatusID   string   `json:"status_id"`
	} `json:"notification_groups"`
	res *testkit.Response
}

func (f *groupedFx) grouped(path, tok string) groupedPage {
	f.t.Helper()
	var p groupedPage
	p.res = f.get(path, tok, 200)
	p.res.JSON(f.t, &p)
	return p
}

// summary renders groups as "type:count:samples" with usernames.
func (f *groupedFx) summary(p groupedPage) []string {
	f.t.Helper()
	names := map[string]string{}
	for _, a := range p.Accounts {
		names[a.ID] = a.Username
	}
	var out []string
	for _, g := range p.Groups {
		var who []string
		for _, id := range g.Samples {
			if names[id] == "" {
				f.t.Fatalf("group %s: sample %s not among the accounts", g.GroupKey, id)
			}
			who = append(who, names[id])
		}
		out = append(out, g.Type+":"+itoa(g.Count)+":"+strings.Join(who, ","))
	}
	return out
}

func itoa(n int) string { return tlStr(int64(n)) }

func TestGroupedNotifications(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		n := f.notes // newest first: m2, like p2, boost, frank, dave's like, carol's, bob's, m1, eve
		p := f.grouped("/api/v2/notifications", f.aliceTok)
		tlWant(t, "default grouping", f.summary(p), "mention:1:dave", "favourite:1:bob", "reblog:1:carol",
			"follow:2:frank,eve", "favourite:3:dave,carol,bob", "mention:1:bob")
		g := p.Groups
		if g[0].GroupKey != "ungrouped-"+n[0] || g[5].GroupKey != "ungrouped-"+n[7] {
			t.Fatalf("mentions are not ungrouped: %s, %s", g[0].GroupKey, g[5].GroupKey)
		}
		if !strings.HasPrefix(g[4].GroupKey, "favourite-"+f.p1+"-") || !strings.HasPrefix(g[3].GroupKey, "follow-") {
			t.Fatalf("group keys: %s, %s", g[4].GroupKey, g[3].GroupKey)
		}
		if g[4].PageMaxID != n[4] || g[4].PageMinID != n[6] || g[3].PageMaxID != n[3] || g[3].PageMinID != n[8] {
			t.Fatalf("page bounds: likes %s..%s, follows %s..%s", g[4].PageMinID, g[4].PageMaxID, g[3].PageMinID, g[3].PageMaxID)
		}
		// most_recent_notification_id is a JSON number, as Mastodon sends it.
		if mr, ok := g[4].MostRecent.(float64); !ok || mr == 0 {
			t.Fatalf("most_recent_notification_id %#v, want a number", g[4].MostRecent)
		}
		if !strings.Contains(string(p.res.Body), `"most_recent_notification_id":`+n[4]) {
			t.Fatalf("most_recent_notification_id is not %s exactly", n[4])
		}
		if g[4].StatusID != f.p1 || g[1].StatusID != f.p2 || g[0].StatusID != f.m2 || g[3].StatusID != "" || g[4].LatestAt == "" {
			t.Fatalf("groups: %+v", g)
		}
		var statuses []string
		for _, s := range p.Statuses {
			statuses = append(statuses, s.ID)
		}
		slices.Sort(statuses)
		want := []string{f.p1, f.p2, f.m1, f.m2}
		slices.Sort(want)
		tlWant(t, "statuses, each once", statuses, want...)
		if len(p.Accounts) != 5 || p.PartialAccounts != nil {
			t.Fatalf("accounts: %d, partial %v", len(p.Accounts), p.PartialAccounts)
		}
		if q := f.grouped("/api/v2/notifications?expand_accounts=partial_avatars", f.aliceTok); q.PartialAccounts == nil || len(q.Accounts) != 5 {
			t.Fatalf("partial_avatars: %d accounts, partial %v", len(q.Accounts), q.PartialAccounts)
		}

		// The v1 notifications carry the same group keys.
		v1 := f.get("/api/v1/notifications", f.aliceTok, 200).List(t)
		if v1[4]["group_key"] != g[4].GroupKey || v1[6]["group_key"] != g[4].GroupKey || v1[0]["group_key"] != "ungrouped-"+n[0] {
			t.Fatalf("v1 group keys: %v %v %v", v1[4]["group_key"], v1[6]["group_key"], v1[0]["group_key"])
		}

		// grouped_types[] limits what is grouped; types[], exclude_types[]
		// and account_id filter as in v1.
		tlWant(t, "only likes grouped", f.summary(f.grouped("/api/v2/notifications?grouped_types[]=favourite", f.aliceTok)),
			"mention:1:dave", "favourite:1:bob", "reblog:1:carol", "follow:1:frank", "favourite:3:dave,carol,bob",
			"mention:1:bob", "follow:1:eve")
		if q := f.grouped("/api/v2/notifications?grouped_types[]=mention", f.aliceTok); len(q.Groups) != 9 {
			t.Fatalf("nothing groupable: %v", f.summary(q))
		}
		tlWant(t, "types[]", f.summary(f.grouped("/api/v2/notifications?types[]=favourite&types[]=follow", f.aliceTok)),
			"favourite:1:bob", "follow:2:frank,eve", "favourite:3:dave,carol,bob")
		tlWant(t, "exclude_types[]", f.summary(f.grouped("/api/v2/notifications?exclude_types[]=favourite&exclude_types[]=mention", f.aliceTok)),
			"reblog:1:carol", "follow:2:frank,eve")
		tlWant(t, "account_id", f.summary(f.grouped("/api/v2/notifications?account_id="+tlStr(f.acc["bob"].ID), f.aliceTok)),
			"favourite:1:bob", "favourite:1:bob", "mention:1:bob")
		tlWant(t, "unknown types only", f.summary(f.grouped("/api/v2/notifications?types[]=poll", f.aliceTok)))
		tlWant(t, "bob's own", f.summary(f.grouped("/api/v2/notifications", f.tok["bob"])))
	})
}

func TestGroupedNotificationsPagination(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		n := f.notes
		p := f.grouped("/api/v2/notifications?limit=2", f.aliceTok)
		tlWant(t, "page 1", f.summary(p), "mention:1:dave", "favourite:1:bob")
		next, prev := tlLinks(t, p.res)
		if !strings.Contains(next, "max_id="+n[1]) || !strings.Contains(prev, "min_id="+n[0]) || !strings.Contains(next, "limit=2") {
			t.Fatalf("links: next %s, prev %s", next, prev)
		}
		// A group can go on over the next pages: the follows' group is on
		// page 2 with frank, counting eve (older), and again on page 4.
		p = f.grouped(next, f.aliceTok)
		tlWant(t, "page 2", f.summary(p), "reblog:1:carol", "follow:2:frank,eve")
		if p.Groups[1].PageMinID != n[3] || p.Groups[1].PageMaxID != n[3] {
			t.Fatalf("page 2 follows: %s..%s, want %s", p.Groups[1].PageMinID, p.Groups[1].PageMaxID, n[3])
		}
		next, _ = tlLinks(t, p.res)
		p = f.grouped(next, f.aliceTok)
		tlWant(t, "page 3", f.summary(p), "favourite:3:dave,carol,bob", "mention:1:bob")
		next, _ = tlLinks(t, p.res)
		p = f.grouped(next, f.aliceTok)
		tlWant(t, "page 4", f.summary(p), "follow:1:eve")
		next, _ = tlLinks(t, p.res)
		p = f.grouped(next, f.aliceTok)
		tlWant(t, "past the end", f.summary(p))
		if p.res.Header.Get("Link") != "" {
			t.Fatalf("Link on an empty page: %s", p.res.Header.Get("Link"))
		}

		// min_id reads up from just above it: bob's mention's ID gives the
		// likes of p1 and frank's follow, newest group first.
		p = f.grouped("/api/v2/notifications?limit=2&min_id="+n[7], f.aliceTok)
		tlWant(t, "min_id", f.summary(p), "follow:2:frank,eve", "favourite:3:dave,carol,bob")
		if p.Groups[1].PageMinID != n[6] || p.Groups[1].PageMaxID != n[4] {
			t.Fatalf("min_id likes: %s..%s", p.Groups[1].PageMinID, p.Groups[1].PageMaxID)
		}
		next, prev = tlLinks(t, p.res)
		if !strings.Contains(next, "max_id="+n[6]) || !strings.Contains(prev, "min_id="+n[3]) {
			t.Fatalf("min_id links: next %s, prev %s", next, prev)
		}
		tlWant(t, "since_id", f.summary(f.grouped("/api/v2/notifications?since_id="+n[2], f.aliceTok)),
			"mention:1:dave", "favourite:1:bob")

		f.get("/api/v2/notifications?limit=x", f.aliceTok, 422)
		f.get("/api/v2/notifications?max_id=x", f.aliceTok, 422)
		f.get("/api/v2/notifications?account_id=x", f.aliceTok, 422)
		f.get("/api/v2/notifications?expand_accounts=everything", f.aliceTok, 422)
		f.get("/api/v2/notifications?include_filtered=maybe", f.aliceTok, 422)
		if q := f.grouped("/api/v2/notifications?limit=1000", f.aliceTok); len(q.Groups) != 6 {
			t.Fatalf("a limit above 80 is clamped: %v", f.summary(q))
		}
	})
}

func TestNotificationGroupByKey(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		n := f.notes
		likes := f.grouped("/api/v2/notifications", f.aliceTok).Groups[4].GroupKey
		one := f.grouped("/api/v2/notifications/"+likes, f.aliceTok)
		tlWant(t, "one group", f.summary(one), "favourite:3:dave,carol,bob")
		if g := one.Groups[0]; g.PageMinID != "" || g.PageMaxID != "" || g.LatestAt != "" || g.StatusID != f.p1 {
			t.Fatalf("a group out of a page: %+v", g)
		}
		if !strings.Contains(string(one.res.Body), `"most_recent_notification_id":`+n[4]) {
			t.Fatalf("most recent: %s", one.res.Body)
		}
		mention := f.grouped("/api/v2/notifications/ungrouped-"+n[7], f.aliceTok)
		tlWant(t, "ungrouped", f.summary(mention), "mention:1:bob")

		accounts := f.get("/api/v2/notifications/"+likes+"/accounts", f.aliceTok, 200).List(t)
		var names []string
		for _, acc := range accounts {
			names = append(names, acc["username"].(string))
		}
		tlWant(t, "group accounts", names, "dave", "carol", "bob")
		f.get("/api/v2/notifications/ungrouped-"+n[7]+"/accounts", f.aliceTok, 200)

		for _, missing := range []string{"favourite-1-1", "ungrouped-1", "ungrouped-x", "nothing"} {
			f.get("/api/v2/notifications/"+missing, f.aliceTok, 404)
			f.get("/api/v2/notifications/"+missing+"/accounts", f.aliceTok, 404)
		}
		f.get("/api/v2/notifications/"+likes, f.tok["bob"], 404) // not bob's
		f.get("/api/v2/notifications/ungrouped-"+n[7], f.tok["bob"], 404)
		f.get("/api/v2/notifications/"+likes, "", 401)
		f.get("/api/v2/notifications/"+likes, a.Token(t, f.acc["alice"], "read:statuses"), 403)
		f.get("/api/v2/notifications/"+likes+"/accounts", a.Token(t, f.acc["alice"], "read:notifications"), 200)
	})
}

func TestDismissNotificationGroup(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		n := f.notes
		likes := f.grouped("/api/v2/notifications", f.aliceTok).Groups[4].GroupKey
		path := "/api/v2/notifications/" + likes + "/dismiss"
		a.Do(t, "POST", path, a.Token(t, f.acc["alice"], "read"), nil).Want(t, 403)
		a.Do(t, "POST", path, "", nil).Want(t, 401)
		a.Do(t, "POST", path, f.tok["bob"], nil).Want(t, 200) // bob has no such group: nothing happens
		if r := a.Do(t, "POST", path, a.Token(t, f.acc["alice"], "write:notifications"), nil).Want(t, 200); string(r.Body) != "{}\n" {
			t.Fatalf("dismiss answered %s", r.Body)
		}
		tlWant(t, "after dismissing the likes", f.summary(f.grouped("/api/v2/notifications", f.aliceTok)),
			"mention:1:dave", "favourite:1:bob", "reblog:1:carol", "follow:2:frank,eve", "mention:1:bob")
		tlWant(t, "v1 after dismissing the likes", f.ids("/api/v1/notifications", f.aliceTok), n[0], n[1], n[2], n[3], n[7], n[8])
		f.get("/api/v2/notifications/"+likes, f.aliceTok, 404)

		a.Do(t, "POST", "/api/v2/notifications/ungrouped-"+n[0]+"/dismiss", f.aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v2/notifications/ungrouped-"+n[0]+"/dismiss", f.aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v2/notifications/ungrouped-x/dismiss", f.aliceTok, nil).Want(t, 200)
		tlWant(t, "v1 after dismissing a mention", f.ids("/api/v1/notifications", f.aliceTok), n[1], n[2], n[3], n[7], n[8])
	})
}

// TestGroupedNotificationsPrivacy: what v1 leaves out, v2 leaves out too —
// notifications about posts the viewer can no longer see, and from
// accounts gone since — in groups, counts and samples.
func TestGroupedNotificationsPrivacy(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		ctx := context.Background()
		alice, bob := f.acc["alice"], f.acc["bob"]
		// alice asks to hear of bob's posts, and hears of a followers-only one.
		_, err := a.Service.Follow(ctx, alice.ID, bob.ID, service.FollowOptions{Notify: ptr(true)})
		testkit.Must(t, err, "alice follows bob")
		a.Settle(t)
		private := f.postVis(f.tok["bob"], "for my followers", "private")
		a.Settle(t)
		p := f.grouped("/api/v2/notifications", f.aliceTok)
		if p.Groups[0].Type != "status" || p.Groups[0].StatusID != private {
			t.Fatalf("the private post's notification: %v", f.summary(p))
		}
		statusKey := p.Groups[0].GroupKey
		// Unfollowing, she can no longer see it: gone from v1 and v2 alike.
		_, err = a.Service.Unfollow(ctx, alice.ID, bob.ID)
		testkit.Must(t, err, "unfollow")
		a.Settle(t)
		tlWant(t, "v1", f.ids("/api/v1/notifications", f.aliceTok), f.notes...)
		p = f.grouped("/api/v2/notifications", f.aliceTok)
		tlWant(t, "v2", f.summary(p), "mention:1:dave", "favourite:1:bob", "reblog:1:carol",
			"follow:2:frank,eve", "favourite:3:dave,carol,bob", "mention:1:bob")
		for _, s := range p.Statuses {
			if s.ID == private {
				t.Fatal("the private post is still in the statuses")
			}
		}
		f.get("/api/v2/notifications/"+statusKey, f.aliceTok, 404)

		// A suspended account's like leaves the group's count and samples.
		testkit.Must(t, a.Service.SuspendAccount(ctx, f.acc["carol"].ID), "suspend carol")
		a.Settle(t)
		tlWant(t, "carol suspended", f.summary(f.grouped("/api/v2/notifications", f.aliceTok)),
			"mention:1:dave", "favourite:1:bob", "follow:2:frank,eve", "favourite:2:dave,bob", "mention:1:bob")
		likes := f.grouped("/api/v2/notifications", f.aliceTok).Groups[3].GroupKey
		tlWant(t, "one group, carol suspended", f.summary(f.grouped("/api/v2/notifications/"+likes, f.aliceTok)),
			"favourite:2:dave,bob")
	})
}

func TestGroupedUnreadCount(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		n := f.notes
		count := func(query string) float64 {
			t.Helper()
			return f.get("/api/v2/notifications/unread_count"+query, f.aliceTok, 200).Map(t)["count"].(float64)
		}
		if c := count(""); c != 6 {
			t.Fatalf("no marker: %v groups, want 6", c)
		}
		if c := count("?limit=4"); c != 4 {
			t.Fatalf("limit=4: %v", c)
		}
		if c := count("?grouped_types[]=favourite"); c != 7 {
			t.Fatalf("only likes grouped: %v, want 7", c)
		}
		if c := count("?grouped_types[]=mention"); c != 9 {
			t.Fatalf("nothing grouped: %v, want 9", c)
		}
		if c := count("?types[]=favourite"); c != 2 {
			t.Fatalf("types[]=favourite: %v, want 2", c)
		}
		if c := count("?types[]=poll"); c != 0 {
			t.Fatalf("unknown type: %v", c)
		}
		a.Do(t, "POST", "/api/v1/markers", f.aliceTok, url.Values{"notifications[last_read_id]": {n[4]}}).Want(t, 200)
		if c := count(""); c != 4 { // m2, like p2, boost, frank's follow
			t.Fatalf("after the marker: %v, want 4", c)
		}
		f.get("/api/v2/notifications/unread_count?limit=x", f.aliceTok, 422)
		f.get("/api/v2/notifications/unread_count", "", 401)
		f.get("/api/v2/notifications/unread_count", a.Token(t, f.acc["alice"], "write:notifications"), 403)
	})
}

func ptr[T any](v T) *T { return &v }

// TestGroupedNotificationsFilters: the caller's notification filters apply
// to groups as to v1's list — a hide filter drops the groups about the
// posts it matches, a warn filter marks them.
func TestGroupedNotificationsFilters(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := newGroupedFx(t, a)
		a.Do(t, "POST", "/api/v2/filters", f.aliceTok, map[string]any{"title": "No hey", "context": []string{"notifications"},
			"filter_action": "hide", "keywords_attributes": []map[string]any{{"keyword": "hey"}}}).Want(t, 200)
		a.Do(t, "POST", "/api/v2/filters", f.aliceTok, map[string]any{"title": "Careful", "context": []string{"notifications"},
			"filter_action": "warn", "keywords_attributes": []map[string]any{{"keyword": "hi"}}}).Want(t, 200)
		v1 := f.ids("/api/v1/notifications", f.aliceTok)
		if slices.Contains(v1, f.notes[0]) {
			t.Fatal("v1 shows dave's hidden mention")
		}
		p := f.grouped("/api/v2/notifications", f.aliceTok)
		tlWant(t, "hidden mention", f.summary(p), "favourite:1:bob", "reblog:1:carol",
			"follow:2:frank,eve", "favourite:3:dave,carol,bob", "mention:1:bob")
		var warned bool
		for _, s := range f.get("/api/v2/notifications", f.aliceTok, 200).Map(t)["statuses"].([]any) {
			st := s.(map[string]any)
			if fl, _ := st["filtered"].([]any); st["id"] == f.m1 && len(fl) == 1 {
				warned = true
			}
		}
		if !warned {
			t.Fatal("bob's mention is not marked by the warn filter")
		}
	})
}
