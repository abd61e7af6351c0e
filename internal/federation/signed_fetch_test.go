package federation_test

import (
	"fmt"
	"net/http"
	"testing"

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
