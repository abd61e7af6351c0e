package federation_test

import (
	"fmt"
	"net/http"
	"testing"

	"weft/internal/config"
	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// A signed fetch by a follower's actor gets a followers-only post; the
// same fetch unsigned, or signed by an actor who does not follow, gets 404
// as if the post did not exist.
func TestSignedFetchOfPrivatePost(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "fan", "stranger")
		follow := peerFollow(p, "fan", weftActor(w, "alice"))
		wantInbox(t, "the Follow", p.Deliver(t, w.URL+"/inbox", follow, httpsig.Cavage), http.StatusAccepted)
		p.WaitFor(t, "the Accept", peerWait, acceptOf(follow["id"].(string)))
		post := w.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "followers only", "visibility": "private"}).Want(t, 200).Map(t)
		uri := fmt.Sprint(post["uri"])

		fetch := func(as string) int {
			t.Helper()
			req, err := http.NewRequest("GET", uri, nil)
			testkit.Must(t, err, "request")
			req.Header.Set("Accept", "application/activity+json")
			if as != "" {
				testkit.Must(t, httpsig.Sign(req, p.KeyID(as), p.Key(t, as), httpsig.Cavage, nil), "sign")
			}
			res, err := http.DefaultClient.Do(req)
			testkit.Must(t, err, "get")
			res.Body.Close()
			return res.StatusCode
		}
		if code := fetch("fan"); code != 200 {
			t.Fatalf("a follower's signed fetch of a followers-only post: %d", code)
		}
		if code := fetch(""); code != 404 {
			t.Fatalf("an unsigned fetch of a followers-only post: %d", code)
		}
		if code := fetch("stranger"); code != 404 {
			t.Fatalf("a non-follower's signed fetch of a followers-only post: %d", code)
		}
	})
}

// In secure mode, a member's documents — actor, posts, outbox, collections
// — are refused (403) to an account the member blocks and to any account
// of a server the member blocks; others of that server still get them.
// (Before, only non-public posts looked at who asked.)
func TestSecureModeRefusesBlocked(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			w := testkit.NewInstanceWith(t, d, func(c *config.Config) { c.AuthorizedFetch = true })
			_, alice := member(t, w, "alice", true)
			post := w.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "public"}).Want(t, 200).Map(t)
			p := testkit.NewPeer(t, "pest", "pal")
			docs := []string{weftActor(w, "alice"), fmt.Sprint(post["uri"]), weftActor(w, "alice") + "/outbox",
				weftActor(w, "alice") + "/followers", weftActor(w, "alice") + "/collections/featured", fmt.Sprint(post["uri"]) + "/replies"}
			fetch := func(as, iri string) int {
				t.Helper()
				req, err := http.NewRequest("GET", iri, nil)
				testkit.Must(t, err, "request")
				req.Header.Set("Accept", "application/activity+json")
				testkit.Must(t, httpsig.Sign(req, p.KeyID(as), p.Key(t, as), httpsig.Cavage, nil), "sign")
				res, err := http.DefaultClient.Do(req)
				testkit.Must(t, err, "get")
				res.Body.Close()
				return res.StatusCode
			}
			for _, iri := range docs {
				if code := fetch("pest", iri); code != 200 {
					t.Fatalf("before the block, %s: %d", iri, code)
				}
			}
			pestID := resolve(t, w, alice, p.Handle("pest"))["id"].(string)
			w.Do(t, "POST", "/api/v1/accounts/"+pestID+"/block", alice, nil).Want(t, 200)
			for _, iri := range docs {
				if code := fetch("pest", iri); code != 403 {
					t.Errorf("blocked account, %s: %d", iri, code)
				}
				if code := fetch("pal", iri); code != 200 {
					t.Errorf("another account of that server, %s: %d", iri, code)
				}
			}
			w.Do(t, "POST", "/api/v1/domain_blocks", alice, map[string]any{"domain": p.Domain}).Want(t, 200)
			for _, iri := range docs {
				if code := fetch("pal", iri); code != 403 {
					t.Errorf("a server alice blocks, %s: %d", iri, code)
				}
			}
		})
	}
}
