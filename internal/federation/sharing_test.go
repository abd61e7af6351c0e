package federation_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// getAS fetches an ActivityPub document from an instance unsigned.
func getAS(t *testing.T, w *testkit.API, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", w.URL+path, nil)
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	testkit.Must(t, err, "get")
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// Sharing is the member's choice over time: posts written before sharing
// was turned on are never served or sent; turning it off retracts every
// shared post (a Delete each, signed, to every server that knew them) and
// the actor (410 with its key still readable); turning it on again starts
// afresh.
func TestSharingOnOffOn(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, bob := member(t, w, "bob", false)
		before := w.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "written before sharing"}).Want(t, 200).Map(t)
		if code, _ := getAS(t, w, "/users/bob"); code != 404 {
			t.Fatalf("the actor of a member who never shared: %d", code)
		}

		w.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, map[string]any{"fediverse_sharing": true}).Want(t, 200)
		if code, _ := getAS(t, w, "/users/bob/statuses/"+before["id"].(string)); code != 404 {
			t.Fatalf("a post written before sharing is served: %d", code)
		}
		p := testkit.NewPeer(t, "pat")
		follow := peerFollow(p, "pat", weftActor(w, "bob"))
		wantInbox(t, "pat's Follow", p.Deliver(t, w.URL+"/inbox", follow, httpsig.Cavage), http.StatusAccepted)
		p.WaitFor(t, "the Accept", peerWait, acceptOf(follow["id"].(string)))
		// Editing the old post does not send it either.
		w.Do(t, "PUT", "/api/v1/statuses/"+before["id"].(string), bob, map[string]any{"status": "written before sharing, edited"}).Want(t, 200)
		shared := w.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "written while sharing"}).Want(t, 200).Map(t)
		p.WaitFor(t, "the shared post", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Create" && strings.Contains(string(r.Body), "written while sharing")
		})
		w.Settle(t)
		for _, r := range p.Received() {
			if strings.Contains(string(r.Body), "written before sharing") {
				t.Fatalf("a post written before sharing was sent: %s", r.Body)
			}
		}
		_, outbox := getAS(t, w, "/users/bob/outbox")
		if outbox["totalItems"] != 1.0 {
			t.Fatalf("outbox counts %v posts, want the 1 written while sharing", outbox["totalItems"])
		}

		w.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, map[string]any{"fediverse_sharing": false}).Want(t, 200)
		sharedURI := fmt.Sprint(shared["uri"])
		del := p.WaitFor(t, "the retraction of the shared post", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Delete" && strings.Contains(string(r.Body), sharedURI)
		})
		p.WaitFor(t, "the Delete of the actor", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Delete" && r.Activity["object"] == weftActor(w, "bob")
		})
		code, doc := getAS(t, w, "/users/bob")
		if code != 410 || doc["type"] != "Tombstone" || !strings.HasPrefix(fmt.Sprint(doc["publicKey"].(map[string]any)["publicKeyPem"]), "-----BEGIN PUBLIC KEY") {
			t.Fatalf("the actor after sharing stopped: %d %v", code, doc)
		}
		// The retraction verifies with the key the gone actor still shows.
		res, err := httpsig.Verify(del.Request, del.Body, httpsig.VerifyOptions{Scheme: "http"})
		testkit.Must(t, err, "retraction signature")
		pub, err := httpsig.ParsePublicKeyPEM([]byte(fmt.Sprint(doc["publicKey"].(map[string]any)["publicKeyPem"])))
		testkit.Must(t, err, "key")
		testkit.Must(t, res.Verify(pub), "the retraction does not verify with the published key")
		if code, _ := getAS(t, w, "/users/bob/statuses/"+shared["id"].(string)); code != 404 {
			t.Fatalf("a retracted post is still served: %d", code)
		}
		peerSoon(t, "the remote follower is removed", func() bool {
			f, _ := memberCounts(t, w, bob)
			return f == 0
		})

		// On again: a fresh presence, with the same actor id and key; the
		// posts of the earlier period stay retracted.
		w.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, map[string]any{"fediverse_sharing": true}).Want(t, 200)
		code, doc = getAS(t, w, "/users/bob")
		if code != 200 || doc["id"] != weftActor(w, "bob") {
			t.Fatalf("the actor after sharing is back: %d %v", code, doc)
		}
		if code, _ := getAS(t, w, "/users/bob/statuses/"+shared["id"].(string)); code != 404 {
			t.Fatalf("a post of an earlier sharing period is served again: %d", code)
		}
	})
}

// Replies and mentions from other servers do not reach a member who does
// not share: a reply to her post is not taken into her thread, and a
// mention does not notify her.
func TestNoRepliesIntoUnsharedThreads(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		_, carol := member(t, w, "carol", false)
		post := w.Do(t, "POST", "/api/v1/statuses", carol, map[string]any{"status": "for this server only"}).Want(t, 200).Map(t)
		p := testkit.NewPeer(t, "pat")
		followPeer(t, w, alice, p, "pat") // so pat's posts are wanted here
		noteID := p.NextID("pat", "notes")
		create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": noteID + "/activity",
			"type": "Create", "actor": p.ActorID("pat"), "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
			"object": map[string]any{"id": noteID, "type": "Note", "attributedTo": p.ActorID("pat"),
				"content": "<p>@carol replying anyway</p>", "inReplyTo": weftActor(w, "carol") + "/statuses/" + post["id"].(string),
				"to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{weftActor(w, "carol")},
				"tag": []any{map[string]any{"type": "Mention", "href": weftActor(w, "carol"), "name": "@carol"}}}}
		wantInbox(t, "the reply", p.Deliver(t, w.URL+"/inbox", create, httpsig.Cavage), http.StatusAccepted)
		peerSoon(t, "the post arrives for alice", func() bool { return homeHas(t, w, alice, "replying anyway") != nil })
		w.Settle(t)
		ctx := w.Do(t, "GET", "/api/v1/statuses/"+post["id"].(string)+"/context", carol, nil).Want(t, 200).Map(t)
		if n := len(ctx["descendants"].([]any)); n != 0 {
			t.Fatalf("a reply from another server joined the thread of a member who does not share: %d", n)
		}
		if n := len(w.Do(t, "GET", "/api/v1/notifications", carol, nil).Want(t, 200).List(t)); n != 0 {
			t.Fatalf("a member who does not share was notified from another server: %d notifications", n)
		}
	})
}
