package federation_test

import (
	"net/http"
	"strings"
	"testing"

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
