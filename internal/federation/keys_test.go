package federation_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// A GoToSocial member is the first to reach a weft member: the Follow is
// signed with a key id of its own path (actor/main-key), whose document
// is the actor in a minimal form (id, type, preferredUsername, publicKey;
// no inbox), served without a signature while the actor itself needs a
// signed GET. weft checks the signature with that key, stores the actor
// from its full document (fetched signed), and accepts: the Accept reaches
// the GoToSocial member's inbox. (Before, the stub was taken for the
// actor, refused for lacking an inbox, and the Follow answered 401, which
// GoToSocial does not retry: the follow was lost.)
func TestGoToSocialKeyDocument(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		gts := testkit.NewPeerAs(t, testkit.GoToSocial, "gus")
		if !strings.HasSuffix(gts.KeyID("gus"), "/users/gus/main-key") {
			t.Fatalf("GoToSocial key id %s", gts.KeyID("gus"))
		}
		follow := gts.FollowOf(t, "gus", weftActor(w, "alice"))
		accept := gts.WaitFor(t, "weft's Accept", peerWait, acceptOf(follow["id"].(string)))
		if accept.Path != "/users/gus/inbox" {
			t.Errorf("the Accept went to %s, not to gus's inbox", accept.Path)
		}
		if followers, _ := memberCounts(t, w, alice); followers != 1 {
			t.Fatalf("alice has %v followers after GoToSocial's Follow", followers)
		}
		if n := gts.Fetches("/users/gus/main-key"); n != 1 {
			t.Errorf("weft fetched the key document %d times, want once", n)
		}
		if n := gts.Fetches("/users/gus"); n != 1 {
			t.Errorf("weft fetched the full actor %d times, want once", n)
		}
		if r := gts.Refused(); len(r) != 0 {
			t.Errorf("the GoToSocial peer refused weft's requests: %v", r)
		}
		// The account is the full actor, with its inbox, not the stub.
		acc := resolve(t, w, alice, gts.Handle("gus"))
		if acc["acct"] != gts.Handle("gus") || acc["display_name"] != "Peer gus" {
			t.Fatalf("stored account: %v", acc)
		}
	})
}

// When the sender's key cannot be had for now (its server answers 5xx or
// does not answer), the inbox says 503 with Retry-After, so that senders
// that retry only 5xx and 429 (GoToSocial) try again; once the key can be
// fetched, the retried delivery is applied. A key that is not there (404)
// or not the actor's is the sender's fault: 401.
func TestInboxKeyFetchFailures(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "pat", "quinn")
		inbox := w.URL + "/users/alice/inbox"

		follow := peerFollow(p, "pat", weftActor(w, "alice"))
		body := peerJSON(t, follow)
		p.FailGets("/users/pat", http.StatusBadGateway, -1)
		status, answer := p.Post(t, inbox, body, testkit.SendOptions{As: "pat"})
		if status != http.StatusServiceUnavailable {
			t.Fatalf("key server down: weft answered %d %s, want 503", status, answer)
		}
		p.FailGets("/users/pat", 0, 0)
		wantInbox(t, "the same Follow once the key can be fetched", p.Send(t, inbox, body, testkit.SendOptions{As: "pat"}), http.StatusAccepted)
		p.WaitFor(t, "the Accept of the retried Follow", peerWait, acceptOf(follow["id"].(string)))

		p.FailGets("/users/quinn", http.StatusNotFound, -1)
		status, answer = p.Post(t, inbox, peerJSON(t, peerFollow(p, "quinn", weftActor(w, "alice"))), testkit.SendOptions{As: "quinn"})
		if status != http.StatusUnauthorized {
			t.Fatalf("key not found: weft answered %d %s, want 401", status, answer)
		}
		w.Settle(t)
		if followers, _ := memberCounts(t, w, alice); followers != 1 {
			t.Fatalf("alice has %v followers, want 1 (pat's)", followers)
		}
	})
}

// The 503 carries Retry-After; its headers say nothing of the signature.
func TestInboxRetryAfter(t *testing.T) {
	w := testkit.NewInstance(t, testkit.Dialects()[0])
	member(t, w, "alice", true)
	p := testkit.NewPeer(t, "pat")
	p.FailGets("/users/pat", http.StatusServiceUnavailable, -1)
	req, err := http.NewRequest(http.MethodPost, w.URL+"/users/alice/inbox", nil)
	testkit.Must(t, err, "request")
	body := peerJSON(t, peerFollow(p, "pat", weftActor(w, "alice")))
	testkit.Must(t, httpsig.Sign(req, p.KeyID("pat"), p.Key(t, "pat"), httpsig.Cavage, body), "sign")
	res, err := http.DefaultClient.Do(req)
	testkit.Must(t, err, "POST")
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("answer %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// An actor whose server stops answering for it (a Threads member who
// stopped sharing answers 404 from then on) is kept as stored when it is
// due for a refresh, and its server is not asked again at every post that
// names it: once, then not for a while.
func TestStaleActorRefreshFailure(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			clock := testkit.NewClock()
			w := testkit.NewInstanceAt(t, d, clock)
			_, alice := member(t, w, "alice", true)
			p := testkit.NewPeer(t, "pat")
			resolve(t, w, alice, p.Handle("pat"))
			path := "/users/pat"
			before := p.Fetches(path)
			p.FailGets(path, http.StatusNotFound, -1)
			clock.Advance(25 * time.Hour) // stale now
			for i := range 3 {
				note := p.NextID("pat", "notes")
				create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": note + "/activity", "type": "Create",
					"actor": p.ActorID("pat"), "to": []string{weftActor(w, "alice")},
					"object": map[string]any{"id": note, "type": "Note", "attributedTo": p.ActorID("pat"),
						"content": fmt.Sprintf("<p>@alice note %d</p>", i), "to": []string{weftActor(w, "alice")},
						"tag": []any{map[string]any{"type": "Mention", "href": weftActor(w, "alice"), "name": "@alice"}}}}
				wantInbox(t, "a post", p.Deliver(t, w.URL+"/inbox", create, httpsig.Cavage), http.StatusAccepted)
			}
			w.Settle(t)
			if n := len(w.Do(t, "GET", "/api/v1/notifications?types[]=mention", alice, nil).Want(t, 200).List(t)); n != 3 {
				t.Fatalf("%d of the 3 posts arrived", n)
			}
			if n := p.Fetches(path) - before; n != 1 {
				t.Fatalf("the failing server was asked %d times, want once", n)
			}
		})
	}
}
