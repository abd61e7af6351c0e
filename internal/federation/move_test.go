package federation_test

import (
	"net/http"
	"testing"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// A remote account that moves takes its followers here along, when its
// new account confirms the move; a Move the new account does not confirm
// moves nobody.
func TestMove(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "old", "new", "liar", "target")
		followPeer(t, w, alice, p, "old")
		followPeer(t, w, alice, p, "liar")

		// "target" does not name "liar": nothing happens.
		bogus := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": p.NextID("liar", "moves"),
			"type": "Move", "actor": p.ActorID("liar"), "object": p.ActorID("liar"), "target": p.ActorID("target")}
		wantInbox(t, "an unconfirmed Move", p.Deliver(t, w.URL+"/inbox", bogus, httpsig.Cavage), http.StatusAccepted)

		p.AlsoKnownAs(t, "new", p.ActorID("old"))
		move := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": p.NextID("old", "moves"),
			"type": "Move", "actor": p.ActorID("old"), "object": p.ActorID("old"), "target": p.ActorID("new")}
		wantInbox(t, "a confirmed Move", p.Deliver(t, w.URL+"/inbox", move, httpsig.Cavage), http.StatusAccepted)
		follow := p.WaitFor(t, "alice's Follow of the new account", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Follow" && r.Activity["object"] == p.ActorID("new")
		})
		checkWeftSignature(t, p, follow)
		p.WaitFor(t, "alice's Undo of her follow of the old account", peerWait, func(r testkit.Received) bool {
			obj, _ := r.Activity["object"].(map[string]any)
			return r.Type() == "Undo" && obj != nil && obj["object"] == p.ActorID("old")
		})
		w.Settle(t)
		p.ExpectNone(t, "a Follow of an account that did not confirm the move", peerQuiet, func(r testkit.Received) bool {
			return r.Type() == "Follow" && r.Activity["object"] == p.ActorID("target")
		})
	})
}
