package federation_test

import (
	"net/http"
	"testing"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// An Undo may name the Follow it undoes by id only, as some servers send it.
func TestUndoFollowByID(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "pat")
		follow := peerFollow(p, "pat", weftActor(w, "alice"))
		wantInbox(t, "the Follow", p.Deliver(t, w.URL+"/inbox", follow, httpsig.Cavage), http.StatusAccepted)
		p.WaitFor(t, "the Accept", peerWait, acceptOf(follow["id"].(string)))
		peerSoon(t, "pat follows alice", func() bool { f, _ := memberCounts(t, w, alice); return f == 1 })
		undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": follow["id"].(string) + "/undo",
			"type": "Undo", "actor": p.ActorID("pat"), "object": follow["id"]}
		wantInbox(t, "the Undo by id", p.Deliver(t, w.URL+"/inbox", undo, httpsig.Cavage), http.StatusAccepted)
		peerSoon(t, "the follow ends", func() bool { f, _ := memberCounts(t, w, alice); return f == 0 })
	})
}
