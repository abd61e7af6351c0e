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

// Followers-only and direct posts go to the servers of the followers and
// of the mentioned accounts only — not to a server the author merely
// follows someone on — and never into a public collection or timeline.
func TestPrivatePostsDoNotLeak(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		follower := testkit.NewPeer(t, "fan")   // a server with a follower of alice
		elsewhere := testkit.NewPeer(t, "idol") // a server alice follows someone on, nobody follows her from
		follow := peerFollow(follower, "fan", weftActor(w, "alice"))
		wantInbox(t, "the fan's Follow", follower.Deliver(t, w.URL+"/inbox", follow, httpsig.Cavage), http.StatusAccepted)
		follower.WaitFor(t, "the Accept", peerWait, acceptOf(follow["id"].(string)))
		followPeer(t, w, alice, elsewhere, "idol")

		w.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "for my followers", "visibility": "private"}).Want(t, 200)
		w.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "just for you @fan@" + follower.Domain, "visibility": "direct"}).Want(t, 200)
		follower.WaitFor(t, "the followers-only post at the follower's server", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Create" && strings.Contains(string(r.Body), "for my followers")
		})
		dm := follower.WaitFor(t, "the direct post at the mentioned account's server", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Create" && strings.Contains(string(r.Body), "just for you")
		})
		if strings.Contains(string(dm.Body), "#Public") || strings.Contains(string(dm.Body), "/followers") {
			t.Fatalf("a direct post is addressed beyond its mentioned account: %s", dm.Body)
		}
		w.Settle(t)
		elsewhere.ExpectNone(t, "a private post at a server with no follower or mentioned account", peerQuiet, func(r testkit.Received) bool {
			return strings.Contains(string(r.Body), "for my followers") || strings.Contains(string(r.Body), "just for you")
		})
		_, outbox := getAS(t, w, "/users/alice/outbox?page=true")
		if b, _ := json.Marshal(outbox); strings.Contains(string(b), "for my followers") || strings.Contains(string(b), "just for you") {
			t.Fatalf("a private post is in the outbox: %s", b)
		}
		for _, s := range w.Do(t, "GET", "/api/v1/timelines/public", "", nil).Want(t, 200).List(t) {
			if strings.Contains(fmt.Sprint(s["content"]), "for my followers") || strings.Contains(fmt.Sprint(s["content"]), "just for you") {
				t.Fatal("a private post is in the public timeline")
			}
		}
	})
}
