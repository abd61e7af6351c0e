package mastodon_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestStatusContext(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		_, carolTok := a.Account(t, "carol")
		// root ─┬─ a ─┬─ a1
		//       │     └─ a2 (followers-only)
		//       └─ b
		root := f.postVis(aliceTok, "root", "public")
		ra := f.reply(bobTok, root, "a")
		rb := f.reply(carolTok, root, "b")
		a1 := f.reply(aliceTok, ra, "a1")
		f.follow(bob, alice)
		a2 := f.post(aliceTok, url.Values{"status": {"a2"}, "in_reply_to_id": {ra}, "visibility": {"private"}})["id"].(string)
		type ctxResp struct {
			Ancestors   []map[string]any `json:"ancestors"`
			Descendants []map[string]any `json:"descendants"`
		}
		get := func(id, tok string) ctxResp {
			t.Helper()
			var c ctxResp
			a.Do(t, "GET", "/api/v1/statuses/"+id+"/context", tok, nil).Want(t, 200).JSON(t, &c)
			return c
		}
		c := get(root, "")
		wantIDList(t, idsOf(c.Ancestors), nil, "root's ancestors")
		wantIDList(t, idsOf(c.Descendants), []string{ra, a1, rb}, "root's descendants, anonymous")
		if c.Descendants[0]["favourited"] != nil {
			t.Fatalf("anonymous context has viewer flags: %v", c.Descendants[0])
		}
		c = get(root, bobTok)
		wantIDList(t, idsOf(c.Descendants), []string{ra, a1, a2, rb}, "root's descendants, follower")
		c = get(a1, carolTok)
		wantIDList(t, idsOf(c.Ancestors), []string{root, ra}, "a1's ancestors")
		wantIDList(t, idsOf(c.Descendants), nil, "a1's descendants")
		// Through a boost, the context is the post's.
		boost := f.act(carolTok, ra, "reblog", 200)["id"].(string)
		c = get(boost, "")
		wantIDList(t, idsOf(c.Ancestors), []string{root}, "ancestors through a boost")
		// Empty lists are [] not null.
		r := a.Do(t, "GET", "/api/v1/statuses/"+a1+"/context", "", nil).Want(t, 200)
		if !strings.Contains(string(r.Body), `"descendants":[]`) {
			t.Fatalf("empty descendants: %s", r.Body)
		}
		// A hidden post has no context; a token must allow reading.
		a.Do(t, "GET", "/api/v1/statuses/"+a2+"/context", carolTok, nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/"+root+"/context", a.Token(t, alice, "write"), nil).Want(t, 403)
		a.Core.Settle(t)
	})
}

// TestStatusContextAnonymousLimits: signed out, a thread is cut as on
// Mastodon (40 nearest ancestors, 60 descendants, 20 replies deep); signed
// in, it is whole.
func TestStatusContextAnonymousLimits(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		chain := []*model.Status{a.Core.Post(t, alice, service.PostInput{Text: "0"})}
		for i := 1; i <= service.AnonymousAncestors+2; i++ {
			chain = append(chain, a.Core.Post(t, alice, service.PostInput{Text: fmt.Sprint(i), InReplyToID: chain[i-1].ID}))
		}
		root, last := chain[0], chain[len(chain)-1]
		for i := range service.AnonymousDescendants {
			a.Core.Post(t, alice, service.PostInput{Text: fmt.Sprint("wide ", i), InReplyToID: root.ID})
		}
		type ctxResp struct {
			Ancestors   []map[string]any `json:"ancestors"`
			Descendants []map[string]any `json:"descendants"`
		}
		get := func(st *model.Status, tok string) ctxResp {
			t.Helper()
			var c ctxResp
			a.Do(t, "GET", fmt.Sprintf("/api/v1/statuses/%d/context", st.ID), tok, nil).Want(t, 200).JSON(t, &c)
			return c
		}
		c := get(last, "")
		if len(c.Ancestors) != service.AnonymousAncestors || c.Ancestors[len(c.Ancestors)-1]["id"] != fmt.Sprint(chain[len(chain)-2].ID) {
			t.Fatalf("anonymous ancestors: %d, nearest last", len(c.Ancestors))
		}
		if c = get(last, aliceTok); len(c.Ancestors) != len(chain)-1 || c.Ancestors[0]["id"] != fmt.Sprint(root.ID) {
			t.Fatalf("signed-in ancestors: %d, want %d from the root", len(c.Ancestors), len(chain)-1)
		}
		// From the root: the chain goes down depth first, cut at 20 deep,
		// then the wide replies until 60 in all.
		c = get(root, "")
		if len(c.Descendants) != service.AnonymousDescendants {
			t.Fatalf("anonymous descendants: %d", len(c.Descendants))
		}
		if c.Descendants[service.AnonymousDepth-1]["id"] != fmt.Sprint(chain[service.AnonymousDepth].ID) ||
			c.Descendants[service.AnonymousDepth]["content"] != "<p>wide 0</p>" {
			t.Fatalf("anonymous descendants not cut at depth %d", service.AnonymousDepth)
		}
		if c = get(root, aliceTok); len(c.Descendants) != len(chain)-1+service.AnonymousDescendants {
			t.Fatalf("signed-in descendants: %d", len(c.Descendants))
		}
	})
}

func TestFavouritedByAndRebloggedBy(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		id := f.postVis(aliceTok, "popular", "public")
		var fans []string // account IDs, in order of their like
		for i := range 3 {
			acc, tok := a.Account(t, fmt.Sprint("fan", i))
			fans = append(fans, fmt.Sprint(acc.ID))
			f.act(tok, id, "favourite", 200)
			f.act(tok, id, "reblog", 200)
		}
		for _, list := range []string{"favourited_by", "reblogged_by"} {
			path := "/api/v1/statuses/" + id + "/" + list
			all := a.Do(t, "GET", path, "", nil).Want(t, 200).List(t)
			wantIDList(t, idsOf(all), []string{fans[2], fans[1], fans[0]}, list+", newest first")
			if all[0]["username"] != "fan2" || all[0]["acct"] != "fan2" {
				t.Fatalf("%s renders accounts: %v", list, all[0])
			}
			r := a.Do(t, "GET", path+"?limit=2", aliceTok, nil).Want(t, 200)
			wantIDList(t, idsOf(r.List(t)), []string{fans[2], fans[1]}, list+" first page")
			next, prev := links(t, r.Header.Get("Link"))
			if !strings.HasPrefix(next, "https://weft.test"+path+"?") || !strings.Contains(next, "limit=2") ||
				!strings.Contains(next, "max_id=") || !strings.Contains(prev, "min_id=") {
				t.Fatalf("%s Link: %s", list, r.Header.Get("Link"))
			}
			r = a.Do(t, "GET", strings.TrimPrefix(next, "https://weft.test"), aliceTok, nil).Want(t, 200)
			wantIDList(t, idsOf(r.List(t)), []string{fans[0]}, list+" next page")
			next, prev = links(t, r.Header.Get("Link"))
			back := a.Do(t, "GET", strings.TrimPrefix(prev, "https://weft.test"), aliceTok, nil).Want(t, 200)
			wantIDList(t, idsOf(back.List(t)), []string{fans[2], fans[1]}, list+" back to newer")
			// Past the end: an empty page without a Link.
			end := a.Do(t, "GET", strings.TrimPrefix(next, "https://weft.test"), aliceTok, nil).Want(t, 200)
			if len(end.List(t)) != 0 || end.Header.Get("Link") != "" {
				t.Fatalf("%s past the end: %s, Link %q", list, end.Body, end.Header.Get("Link"))
			}
			// A token must allow reading accounts; bad limits are clamped or refused.
			a.Do(t, "GET", path, a.Token(t, alice, "read:statuses"), nil).Want(t, 403)
			a.Do(t, "GET", path, a.Token(t, alice, "read:accounts"), nil).Want(t, 200)
			if got := a.Do(t, "GET", path+"?limit=500", "", nil).Want(t, 200).List(t); len(got) != 3 {
				t.Fatalf("%s with a big limit: %d", list, len(got))
			}
			a.Do(t, "GET", path+"?limit=-1", "", nil).Want(t, 422)
		}
		// Undone likes and boosts leave the lists.
		_, err := a.Service.Unfavourite(context.Background(), mustID(t, fans[1]), mustID(t, id))
		testkit.Must(t, err, "unfavourite")
		got := a.Do(t, "GET", "/api/v1/statuses/"+id+"/favourited_by", "", nil).Want(t, 200).List(t)
		wantIDList(t, idsOf(got), []string{fans[2], fans[0]}, "after an unlike")
		// A followers-only post's lists are as hidden as the post.
		private := f.postVis(aliceTok, "few", "private")
		a.Do(t, "GET", "/api/v1/statuses/"+private+"/favourited_by", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/"+private+"/reblogged_by", aliceTok, nil).Want(t, 200)
		a.Core.Settle(t)
	})
}

// links splits a Link header into its next and prev URLs.
func links(t *testing.T, header string) (next, prev string) {
	t.Helper()
	for _, part := range strings.Split(header, ", ") {
		u, rel, ok := strings.Cut(part, ">; rel=")
		if !ok {
			t.Fatalf("Link part %q", part)
		}
		u = strings.TrimPrefix(u, "<")
		switch strings.Trim(rel, `"`) {
		case "next":
			next = u
		case "prev":
			prev = u
		}
	}
	return next, prev
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}
