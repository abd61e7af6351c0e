package mastodon_test

import (
	"net/url"
	"testing"

	"weft/internal/testkit"
)

func TestConversations(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, aliceTok := f.user("alice")
		bob, bobTok := f.user("bob")
		carol, carolTok := f.user("carol")
		f.follow(bob, alice)
		// Not conversations: public, unlisted and followers-only mentions.
		f.postVis(aliceTok, "@bob public", "public")
		f.postVis(aliceTok, "@bob private", "private")
		first := f.postVis(aliceTok, "@bob just us", "direct")
		convs := f.get("/api/v1/conversations", bobTok, 200).List(t)
		if len(convs) != 1 || convs[0]["unread"] != true || convs[0]["last_status"].(map[string]any)["id"] != first {
			t.Fatalf("bob's conversations: %v", convs)
		}
		if accs := convs[0]["accounts"].([]any); len(accs) != 1 || accs[0].(map[string]any)["id"] != tlStr(alice.ID) {
			t.Fatalf("participants for bob: %v", accs)
		}
		cid := convs[0]["id"].(string)
		mine := f.get("/api/v1/conversations", aliceTok, 200).List(t)
		if len(mine) != 1 || mine[0]["id"] != cid || mine[0]["unread"] != false ||
			mine[0]["accounts"].([]any)[0].(map[string]any)["id"] != tlStr(bob.ID) {
			t.Fatalf("alice's conversations: %v", mine)
		}
		// Nobody else sees it, or can touch it.
		tlWant(t, "carol's conversations", f.ids("/api/v1/conversations", carolTok))
		a.Do(t, "POST", "/api/v1/conversations/"+cid+"/read", carolTok, nil).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/conversations/"+cid, carolTok, nil).Want(t, 404)

		// Reading it.
		read := a.Do(t, "POST", "/api/v1/conversations/"+cid+"/read", bobTok, nil).Want(t, 200).Map(t)
		if read["unread"] != false || read["id"] != cid {
			t.Fatalf("read: %v", read)
		}
		if c := f.get("/api/v1/conversations", bobTok, 200).List(t); c[0]["unread"] != false {
			t.Fatalf("still unread after reading: %v", c)
		}
		// A reply makes it unread again for the other side; the newest post leads.
		reply := f.post(aliceTok, url.Values{"status": {"@bob and another thing"}, "in_reply_to_id": {first}})
		c := f.get("/api/v1/conversations", bobTok, 200).List(t)
		if len(c) != 1 || c[0]["unread"] != true || c[0]["last_status"].(map[string]any)["id"] != reply {
			t.Fatalf("after the reply: %v", c)
		}
		// A second conversation, with carol too; pagination by the newest posts.
		group := f.postVis(bobTok, "@alice @carol all of us", "direct")
		r := f.get("/api/v1/conversations?limit=1", aliceTok, 200)
		page := r.List(t)
		if len(page) != 1 || page[0]["last_status"].(map[string]any)["id"] != group || len(page[0]["accounts"].([]any)) != 2 {
			t.Fatalf("page 1: %v", page)
		}
		next, prev := tlLinks(t, r)
		tlWant(t, "page 2", f.ids(next, aliceTok), cid)
		tlWant(t, "newer", f.ids(prev, aliceTok))
		if len(f.ids("/api/v1/conversations", carolTok)) != 1 {
			t.Fatal("carol misses the group conversation")
		}

		// Removing it from one's list; a newer post brings it back.
		a.Do(t, "DELETE", "/api/v1/conversations/"+cid, bobTok, nil).Want(t, 200)
		tlWant(t, "bob after removing", f.ids("/api/v1/conversations", bobTok), page[0]["id"].(string))
		tlWant(t, "alice keeps it", f.ids("/api/v1/conversations", aliceTok), page[0]["id"].(string), cid)
		f.post(aliceTok, url.Values{"status": {"@bob still there?"}, "in_reply_to_id": {reply}})
		tlWant(t, "back after a new post", f.ids("/api/v1/conversations", bobTok), cid, page[0]["id"].(string))

		// A block hides the blocked side's posts.
		_, err := a.Service.Block(t.Context(), carol.ID, bob.ID)
		testkit.Must(t, err, "block")
		tlWant(t, "carol after blocking bob", f.ids("/api/v1/conversations", carolTok))

		a.Do(t, "DELETE", "/api/v1/conversations/nope", bobTok, nil).Want(t, 404)
		f.get("/api/v1/conversations", "", 401)
		f.get("/api/v1/conversations", a.Token(t, bob, "read:notifications"), 403)
		f.get("/api/v1/conversations", a.Token(t, bob, "read:statuses"), 200)
		a.Do(t, "POST", "/api/v1/conversations/"+cid+"/read", a.Token(t, bob, "read"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/conversations/"+cid+"/read", a.Token(t, bob, "write:conversations"), nil).Want(t, 200)
	})
}
