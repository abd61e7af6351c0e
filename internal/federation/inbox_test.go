package federation_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"weft/internal/httpsig"
	"weft/internal/testkit"
)

// The inbox tests drive weft from the outside, as a remote server does: a
// testkit.Peer on loopback serves its actors and keys, signs (or
// mis-signs) deliveries to a weft instance's inboxes over real HTTP, and
// records what weft sends back. What they check is the inbox contract of
// receive.go and inbox.go: nothing unsigned, stale, tampered or signed by
// someone else is applied; what holds is applied once.

// peerWait bounds every wait for something that should come; nothing here
// takes more than a fraction of it when weft works.
const peerWait = 10 * time.Second

// peerQuiet is how long a test waits to see that something does not come,
// after the job queue has settled.
const peerQuiet = 300 * time.Millisecond

// peerSoon polls cond until it holds, for at most peerWait.
func peerSoon(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(peerWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out (%v) waiting until %s", peerWait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// eachPeerDialect runs fn on each database with a fresh instance.
func eachPeerDialect(t *testing.T, fn func(t *testing.T, w *testkit.API)) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, testkit.NewInstance(t, d)) })
	}
}

func weftActor(w *testkit.API, username string) string { return w.URL + "/users/" + username }

func peerFollow(p *testkit.Peer, name, target string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       p.NextID(name, "follows"),
		"type":     "Follow",
		"actor":    p.ActorID(name),
		"object":   target,
	}
}

func peerJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	testkit.Must(t, err, "encode")
	return b
}

func wantInbox(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: weft answered %d, want %d", what, got, want)
	}
}

// memberCounts reads a local member's followers and following counts.
func memberCounts(t *testing.T, w *testkit.API, token string) (followers, following float64) {
	t.Helper()
	me := w.Do(t, "GET", "/api/v1/accounts/verify_credentials", token, nil).Want(t, 200).Map(t)
	return me["followers_count"].(float64), me["following_count"].(float64)
}

// acceptOf matches weft's Accept of the Follow with the given id.
func acceptOf(followID string) func(testkit.Received) bool {
	return func(r testkit.Received) bool {
		obj, _ := r.Activity["object"].(map[string]any)
		return r.Type() == "Accept" && (obj["id"] == followID || r.Activity["object"] == followID)
	}
}

// checkWeftSignature verifies a POST weft sent to the peer the way a
// receiving server does: the signature parses, is fresh and covers the
// body, its key id is the key the sending member's actor document
// publishes, and it verifies with that key.
func checkWeftSignature(t *testing.T, p *testkit.Peer, rec testkit.Received) {
	t.Helper()
	res, err := httpsig.Verify(rec.Request, rec.Body, httpsig.VerifyOptions{Scheme: "http"})
	if err != nil {
		t.Fatalf("weft's %s to %s: signature does not hold: %v", rec.Type(), rec.Path, err)
	}
	doc := p.FetchJSON(t, rec.Actor())
	pk, _ := doc["publicKey"].(map[string]any)
	if pk["id"] != res.KeyID || pk["owner"] != rec.Actor() {
		t.Fatalf("weft's %s is signed with key %q; its actor %s publishes %v", rec.Type(), res.KeyID, rec.Actor(), pk)
	}
	pub, err := httpsig.ParsePublicKeyPEM([]byte(fmt.Sprint(pk["publicKeyPem"])))
	testkit.Must(t, err, "weft's public key")
	if err := res.Verify(pub); err != nil {
		t.Fatalf("weft's %s does not verify with its actor's published key: %v", rec.Type(), err)
	}
}

// followPeer has a weft member follow one of the peer's actors through the
// client API, and the peer accept it as a server with open follows does.
func followPeer(t *testing.T, w *testkit.API, token string, p *testkit.Peer, name string) {
	t.Helper()
	id := resolve(t, w, token, p.Handle(name))["id"].(string)
	w.Do(t, "POST", "/api/v1/accounts/"+id+"/follow", token, nil).Want(t, 200)
	follow := p.WaitFor(t, "weft's Follow of "+name, peerWait, func(r testkit.Received) bool {
		return r.Type() == "Follow" && r.Activity["object"] == p.ActorID(name)
	})
	if follow.Path != "/users/"+name+"/inbox" {
		t.Fatalf("weft sent its Follow to %s, not to %s's inbox", follow.Path, name)
	}
	checkWeftSignature(t, p, follow)
	wantInbox(t, "the peer's Accept", p.Accept(t, follow), http.StatusAccepted)
	peerSoon(t, "weft takes the peer's Accept", func() bool {
		rels := w.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+id, token, nil).Want(t, 200).List(t)
		return rels[0]["following"] == true
	})
}

// Every way a delivery can fail its checks is refused before anything is
// stored: no signature, a key that is not the actor's, a body changed
// after signing, a stale Date, another actor's signature, a key of another
// server; then a body over 1 MiB, one that is not JSON. Each refused
// delivery is a Follow of a member who would accept at once, so that
// "nothing applied" is visible: no follower and no Accept. A valid
// delivery of an unknown type is acknowledged and dropped, and a refused
// Follow sent again properly signed is applied (a refusal leaves no mark
// that would make weft take the retry for a duplicate).
func TestInboxRefusals(t *testing.T) {
	eachPeerDialect(t, inboxRefusals)
}

func inboxRefusals(t *testing.T, w *testkit.API) {
	_, alice := member(t, w, "alice", true)
	_, bob := member(t, w, "bob", true)
	p := testkit.NewPeer(t, "pat", "quinn")
	other := testkit.NewPeer(t, "oscar")
	inbox := w.URL + "/users/alice/inbox"

	stranger, err := httpsig.GenerateKey()
	testkit.Must(t, err, "key")

	follow := peerFollow(p, "pat", weftActor(w, "alice"))
	body := peerJSON(t, follow)
	toBob := peerJSON(t, map[string]any{"@context": follow["@context"], "id": follow["id"], "type": "Follow",
		"actor": follow["actor"], "object": weftActor(w, "bob")})
	padded := peerJSON(t, map[string]any{"@context": follow["@context"], "id": p.NextID("pat", "follows"), "type": "Follow",
		"actor": follow["actor"], "object": weftActor(w, "alice"), "padding": strings.Repeat("x", 1<<20)})

	// noFetch: refused on what the request itself shows, before weft
	// fetches any key (a stale, tampered or unsigned request, or a key
	// of another server, costs weft no outgoing request).
	cases := []struct {
		name    string
		body    []byte
		o       testkit.SendOptions
		want    int
		noFetch bool
	}{
		{"unsigned", body, testkit.SendOptions{}, http.StatusUnauthorized, true},
		{"body changed after signing", body,
			testkit.SendOptions{As: "pat", SentBody: toBob}, http.StatusUnauthorized, true},
		{"Date older than 13 hours (cavage)", body,
			testkit.SendOptions{As: "pat", Now: time.Now().Add(-13*time.Hour - time.Minute)}, http.StatusUnauthorized, true},
		{"created older than 13 hours (RFC 9421)", body,
			testkit.SendOptions{As: "pat", Scheme: httpsig.RFC9421, Now: time.Now().Add(-13*time.Hour - time.Minute)}, http.StatusUnauthorized, true},
		{"Date more than an hour ahead", body,
			testkit.SendOptions{As: "pat", Now: time.Now().Add(time.Hour + 5*time.Minute)}, http.StatusUnauthorized, true},
		{"signed with a key of another server", body,
			testkit.SendOptions{KeyID: other.KeyID("oscar"), Key: other.Key(t, "oscar")}, http.StatusUnauthorized, true},
		{"body over 1 MiB", padded, testkit.SendOptions{As: "pat"}, http.StatusRequestEntityTooLarge, true},
		{"body over 1 MiB without a Content-Length", padded,
			testkit.SendOptions{As: "pat", Chunked: true}, http.StatusRequestEntityTooLarge, true},
		{"body that is not JSON", []byte("this is not an activity"),
			testkit.SendOptions{As: "pat"}, http.StatusBadRequest, true},
		{"JSON that is not an activity", []byte(`["Follow"]`),
			testkit.SendOptions{As: "pat"}, http.StatusBadRequest, true},
		{"signed with a key that is not the actor's", body,
			testkit.SendOptions{As: "pat", Key: stranger}, http.StatusUnauthorized, false},
		{"key id of the actor, key of another server's actor", body,
			testkit.SendOptions{KeyID: p.KeyID("pat"), Key: other.Key(t, "oscar")}, http.StatusUnauthorized, false},
		{"signed by another actor of the same server", body,
			testkit.SendOptions{As: "quinn"}, http.StatusUnauthorized, false},
		{"signed by another actor, RFC 9421", body,
			testkit.SendOptions{As: "quinn", Scheme: httpsig.RFC9421}, http.StatusUnauthorized, false},
	}
	fetched := func() int { return p.Fetches("/users/pat") + p.Fetches("/users/quinn") + other.Fetches("/users/oscar") }
	for _, c := range cases {
		before := fetched()
		status, answer := p.Post(t, inbox, c.body, c.o)
		t.Logf("%s: %d %s (fetches %d)", c.name, status, bytes.TrimSpace(answer), fetched()-before)
		wantInbox(t, c.name, status, c.want)
		if n := fetched() - before; c.noFetch && n != 0 {
			t.Errorf("%s: weft fetched %d actor documents before refusing what needs no key to refuse", c.name, n)
		}
	}

	// A valid activity of a type weft does not know: acknowledged, dropped.
	wiggle := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": p.NextID("pat", "wiggles"),
		"type": "Wiggle", "actor": p.ActorID("pat"), "object": weftActor(w, "alice")}
	wantInbox(t, "a signed activity of an unknown type", p.Deliver(t, inbox, wiggle, httpsig.Cavage), http.StatusAccepted)

	w.Settle(t)
	p.ExpectNone(t, "an Accept of a refused Follow", peerQuiet, func(r testkit.Received) bool { return r.Type() == "Accept" })
	for _, m := range []struct{ name, token string }{{"alice", alice}, {"bob", bob}} {
		if followers, _ := memberCounts(t, w, m.token); followers != 0 {
			t.Fatalf("a refused Follow was applied: %s has %v followers", m.name, followers)
		}
	}

	// The same Follow, properly signed, is applied now.
	wantInbox(t, "the refused Follow, properly signed", p.Send(t, inbox, body, testkit.SendOptions{As: "pat"}), http.StatusAccepted)
	p.WaitFor(t, "the Accept of the Follow once properly signed", peerWait, acceptOf(follow["id"].(string)))
	if followers, _ := memberCounts(t, w, alice); followers != 1 {
		t.Fatalf("alice has %v followers after one accepted Follow", followers)
	}
	if followers, _ := memberCounts(t, w, bob); followers != 0 {
		t.Fatalf("bob has %v followers: the tampered body was applied", followers)
	}
}

// A Follow of a member who shares is accepted in both signature schemes,
// at the personal and at the shared inbox: the peer receives a signed
// Accept and the member's followers list names the peer's actor. A Follow
// of a member who does not share is acknowledged (saying otherwise would
// tell that the member exists) and dropped: no Accept, no follow.
func TestInboxFollow(t *testing.T) {
	eachPeerDialect(t, inboxFollow)
}

func inboxFollow(t *testing.T, w *testkit.API) {
	aliceID, alice := member(t, w, "alice", true)
	_, carol := member(t, w, "carol", false)
	p := testkit.NewPeer(t, "pat", "quinn", "sam")

	viaCavage := peerFollow(p, "pat", weftActor(w, "alice"))
	wantInbox(t, "a cavage-signed Follow at the personal inbox",
		p.Deliver(t, w.URL+"/users/alice/inbox", viaCavage, httpsig.Cavage), http.StatusAccepted)
	via9421 := peerFollow(p, "quinn", weftActor(w, "alice"))
	wantInbox(t, "an RFC 9421-signed Follow at the shared inbox",
		p.Deliver(t, w.URL+"/inbox", via9421, httpsig.RFC9421), http.StatusAccepted)

	for _, f := range []map[string]any{viaCavage, via9421} {
		accept := p.WaitFor(t, "weft's Accept of "+f["id"].(string), peerWait, acceptOf(f["id"].(string)))
		name := strings.TrimPrefix(f["actor"].(string), p.URL+"/users/")
		if accept.Path != "/users/"+name+"/inbox" {
			t.Errorf("the Accept for %s went to %s, not to its inbox", name, accept.Path)
		}
		if accept.Actor() != weftActor(w, "alice") {
			t.Errorf("the Accept's actor is %q, not alice", accept.Actor())
		}
		checkWeftSignature(t, p, accept)
	}

	peerSoon(t, "alice's followers list names pat and quinn", func() bool {
		got := map[string]bool{}
		for _, a := range w.Do(t, "GET", "/api/v1/accounts/"+aliceID+"/followers", alice, nil).Want(t, 200).List(t) {
			got[fmt.Sprint(a["acct"])] = true
		}
		return got[p.Handle("pat")] && got[p.Handle("quinn")] && len(got) == 2
	})

	// carol does not share: she has no inbox of her own out there, and a
	// Follow of her at the shared inbox goes nowhere.
	toCarol := peerFollow(p, "sam", weftActor(w, "carol"))
	wantInbox(t, "a Follow at the personal inbox of a member who does not share",
		p.Deliver(t, w.URL+"/users/carol/inbox", toCarol, httpsig.Cavage), http.StatusNotFound)
	wantInbox(t, "a Follow of a member who does not share, at the shared inbox",
		p.Deliver(t, w.URL+"/inbox", toCarol, httpsig.Cavage), http.StatusAccepted)
	w.Settle(t)
	p.ExpectNone(t, "an Accept for a member who does not share", peerQuiet, acceptOf(toCarol["id"].(string)))
	if followers, _ := memberCounts(t, w, carol); followers != 0 {
		t.Fatalf("carol, who does not share, has %v followers", followers)
	}
}

// After the peer rotates an actor's key, a delivery signed with the new
// key is accepted: weft finds the stored key fails, fetches the actor
// again (once), and verifies with what the document now says. The old key
// no longer signs for the actor.
func TestInboxKeyRotation(t *testing.T) {
	eachPeerDialect(t, inboxKeyRotation)
}

func inboxKeyRotation(t *testing.T, w *testkit.API) {
	_, alice := member(t, w, "alice", true)
	p := testkit.NewPeer(t, "pat")
	inbox := w.URL + "/inbox"
	doc := "/users/pat"
	wiggle := func() map[string]any {
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": p.NextID("pat", "wiggles"),
			"type": "Wiggle", "actor": p.ActorID("pat")}
	}

	wantInbox(t, "a delivery with the first key", p.Deliver(t, inbox, wiggle(), httpsig.Cavage), http.StatusAccepted)
	if n := p.Fetches(doc); n != 1 {
		t.Fatalf("weft fetched pat's document %d times for its first delivery, want 1", n)
	}
	wantInbox(t, "a second delivery with the first key", p.Deliver(t, inbox, wiggle(), httpsig.Cavage), http.StatusAccepted)
	if n := p.Fetches(doc); n != 1 {
		t.Fatalf("weft fetched pat's document again (%d fetches) although its stored key verifies", n)
	}

	oldKey := p.Key(t, "pat")
	p.RotateKey(t, "pat")
	follow := peerFollow(p, "pat", weftActor(w, "alice"))
	wantInbox(t, "a Follow signed with the rotated key", p.Deliver(t, inbox, follow, httpsig.RFC9421), http.StatusAccepted)
	if n := p.Fetches(doc); n != 2 {
		t.Fatalf("weft fetched pat's document %d times in all after the rotation, want 2 (one re-fetch)", n)
	}
	p.WaitFor(t, "the Accept of the Follow signed with the new key", peerWait, acceptOf(follow["id"].(string)))
	wantInbox(t, "another delivery with the new key", p.Deliver(t, inbox, wiggle(), httpsig.Cavage), http.StatusAccepted)
	if n := p.Fetches(doc); n != 2 {
		t.Fatalf("weft did not keep the re-fetched key (%d fetches of pat's document)", n)
	}

	stale := peerJSON(t, wiggle())
	wantInbox(t, "a delivery signed with the key pat rotated away from",
		p.Send(t, inbox, stale, testkit.SendOptions{As: "pat", Key: oldKey}), http.StatusUnauthorized)
	w.Settle(t)
	if followers, _ := memberCounts(t, w, alice); followers != 1 {
		t.Fatalf("alice has %v followers after pat's Follow with the rotated key", followers)
	}
}

// An actor deleted on its server sends its last Delete, of itself; its
// document already answers 410. weft never knew it: the Delete is
// acknowledged and dropped (202), without storing anything. Anything else
// that actor signs is refused, since its key can no longer be fetched.
func TestInboxGoneActorDelete(t *testing.T) {
	eachPeerDialect(t, inboxGoneActorDelete)
}

func inboxGoneActorDelete(t *testing.T, w *testkit.API) {
	_, alice := member(t, w, "alice", true)
	p := testkit.NewPeer(t, "gina")
	p.Gone(t, "gina")
	del := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": p.ActorID("gina") + "#delete",
		"type": "Delete", "actor": p.ActorID("gina"), "object": p.ActorID("gina"),
		"to": []string{"https://www.w3.org/ns/activitystreams#Public"}}
	wantInbox(t, "the self-Delete of an actor whose document is gone",
		p.Deliver(t, w.URL+"/inbox", del, httpsig.Cavage), http.StatusAccepted)
	if n := p.Fetches("/users/gina"); n != 1 {
		t.Errorf("weft fetched the gone actor's document %d times, want once", n)
	}
	wantInbox(t, "a Follow by an actor whose document is gone",
		p.Deliver(t, w.URL+"/inbox", peerFollow(p, "gina", weftActor(w, "alice")), httpsig.Cavage), http.StatusUnauthorized)
	w.Settle(t)
	res := w.Do(t, "GET", "/api/v2/search?type=accounts&q="+p.Handle("gina"), alice, nil).Want(t, 200).Map(t)
	if n := len(res["accounts"].([]any)); n != 0 {
		t.Fatalf("weft stored the gone actor: search finds %d accounts", n)
	}
}

// Posts from an actor a member follows: the same Create delivered again
// (retried, or at both the personal and the shared inbox) is stored once,
// and a replay of its id carrying another object is dropped; remote HTML
// is sanitised; a followers-only post reaches the follower and nobody else
// here.
func TestInboxFromFollowedActor(t *testing.T) {
	eachPeerDialect(t, inboxFromFollowedActor)
}

func inboxFromFollowedActor(t *testing.T, w *testkit.API) {
	_, alice := member(t, w, "alice", true)
	_, dora := member(t, w, "dora", true) // shares, does not follow pat
	p := testkit.NewPeer(t, "pat", "quinn")
	followPeer(t, w, alice, p, "pat")

	note := func(content string, to, cc []string, inReplyTo any) map[string]any {
		id := p.NextID("pat", "notes")
		n := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Note",
			"attributedTo": p.ActorID("pat"), "content": content, "to": to, "cc": cc, "inReplyTo": inReplyTo,
			"published": time.Now().UTC().Format(time.RFC3339), "url": id}
		p.Serve(t, strings.TrimPrefix(id, p.URL), n)
		return n
	}
	create := func(n map[string]any) map[string]any {
		return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": n["id"].(string) + "/activity",
			"type": "Create", "actor": p.ActorID("pat"), "to": n["to"], "cc": n["cc"], "object": n}
	}
	public := []string{"https://www.w3.org/ns/activitystreams#Public"}
	followers := []string{p.Followers("pat")}

	t.Run("the same Create twice is stored once", func(t *testing.T) {
		parent := w.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "a post pat answers"}).Want(t, 200).Map(t)
		reply := note("<p>an answer delivered more than once</p>", public, append([]string{weftActor(w, "alice")}, followers...), parent["uri"])
		// As Mastodon writes a reply: the parent's author is tagged.
		reply["tag"] = []any{map[string]any{"type": "Mention", "href": weftActor(w, "alice"), "name": "@alice@" + w.Config.Domain}}
		c := create(reply)
		wantInbox(t, "the Create", p.Deliver(t, w.URL+"/inbox", c, httpsig.Cavage), http.StatusAccepted)
		wantInbox(t, "the Create again", p.Deliver(t, w.URL+"/inbox", c, httpsig.Cavage), http.StatusAccepted)
		wantInbox(t, "the Create at the personal inbox", p.Deliver(t, w.URL+"/users/alice/inbox", c, httpsig.RFC9421), http.StatusAccepted)
		// weft dedupes on the activity id: a replay under a used id is
		// dropped whatever it carries, so a captured id cannot be reused.
		replay := create(note("<p>a replay under a used activity id</p>", public, followers, nil))
		replay["id"] = c["id"]
		wantInbox(t, "a replay of the activity id", p.Deliver(t, w.URL+"/inbox", replay, httpsig.Cavage), http.StatusAccepted)
		w.Settle(t)

		n := 0
		for _, s := range w.Do(t, "GET", "/api/v1/timelines/home?limit=40", alice, nil).Want(t, 200).List(t) {
			if strings.Contains(fmt.Sprint(s["content"]), "an answer delivered more than once") {
				n++
			}
			if strings.Contains(fmt.Sprint(s["content"]), "a replay under a used activity id") {
				t.Errorf("the object of a replayed activity id was stored: %v", s["uri"])
			}
		}
		if n != 1 {
			t.Fatalf("the reply appears %d times in alice's home timeline, want once", n)
		}
		got := w.Do(t, "GET", "/api/v1/statuses/"+parent["id"].(string), alice, nil).Want(t, 200).Map(t)
		if got["replies_count"] != 1.0 {
			t.Fatalf("replies_count of alice's post = %v, want 1", got["replies_count"])
		}
		ctx := w.Do(t, "GET", "/api/v1/statuses/"+parent["id"].(string)+"/context", alice, nil).Want(t, 200).Map(t)
		if d := ctx["descendants"].([]any); len(d) != 1 {
			t.Fatalf("alice's post has %d descendants, want 1", len(d))
		}
		peerSoon(t, "alice is notified of pat's answer", func() bool {
			mentions := 0
			for _, nt := range w.Do(t, "GET", "/api/v1/notifications", alice, nil).Want(t, 200).List(t) {
				if nt["type"] == "mention" {
					mentions++
				}
			}
			if mentions > 1 {
				t.Fatalf("alice has %d mention notifications for one answer", mentions)
			}
			return mentions == 1
		})
	})

	// The inbox job fans a post out itself, after the post's transaction;
	// the same post under a second activity id (a server re-sending it, or
	// the job retried after the post was stored) fans it out again, which
	// must leave one home entry and one "they posted" notification.
	t.Run("a post sent again under a new activity id reaches the home timeline once", func(t *testing.T) {
		patID := resolve(t, w, alice, p.Handle("pat"))["id"].(string)
		w.Do(t, "POST", "/api/v1/accounts/"+patID+"/follow", alice, map[string]any{"notify": true}).Want(t, 200)
		n := note("<p>sent twice under two activity ids</p>", public, followers, nil)
		first := create(n)
		wantInbox(t, "the Create", p.Deliver(t, w.URL+"/inbox", first, httpsig.Cavage), http.StatusAccepted)
		again := create(n)
		again["id"] = n["id"].(string) + "/activity-again"
		wantInbox(t, "the Create under a new id", p.Deliver(t, w.URL+"/inbox", again, httpsig.Cavage), http.StatusAccepted)
		w.Settle(t)
		entries := 0
		for _, s := range w.Do(t, "GET", "/api/v1/timelines/home?limit=40", alice, nil).Want(t, 200).List(t) {
			if strings.Contains(fmt.Sprint(s["content"]), "sent twice under two activity ids") {
				entries++
			}
		}
		if entries != 1 {
			t.Fatalf("the post is %d times in alice's home timeline, want once", entries)
		}
		notes := 0
		for _, nt := range w.Do(t, "GET", "/api/v1/notifications?types[]=status", alice, nil).Want(t, 200).List(t) {
			st, _ := nt["status"].(map[string]any)
			if strings.Contains(fmt.Sprint(st["content"]), "sent twice under two activity ids") {
				notes++
			}
		}
		if notes != 1 {
			t.Fatalf("alice has %d \"pat posted\" notifications for one post, want 1", notes)
		}
		w.Do(t, "POST", "/api/v1/accounts/"+patID+"/follow", alice, map[string]any{"notify": false}).Want(t, 200)
	})

	t.Run("an Accept of a Follow never sent makes no follow", func(t *testing.T) {
		forged := map[string]any{"id": weftActor(w, "alice") + "#follows/1", "type": "Follow",
			"actor": weftActor(w, "alice"), "object": p.ActorID("quinn")}
		accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": p.NextID("quinn", "accepts"),
			"type": "Accept", "actor": p.ActorID("quinn"), "object": forged}
		wantInbox(t, "an unsolicited Accept", p.Deliver(t, w.URL+"/users/alice/inbox", accept, httpsig.Cavage), http.StatusAccepted)
		w.Settle(t)
		if _, following := memberCounts(t, w, alice); following != 1 {
			t.Fatalf("alice follows %v accounts after quinn accepted a Follow she never sent, want 1 (pat)", following)
		}
	})

	t.Run("remote HTML is sanitised", func(t *testing.T) {
		n := note(`<p>sanitise me <script>document.title="owned"</script>`+
			`<a href="https://example.com/" onclick="steal()">a link</a>`+
			`<img src="https://example.com/x.png" onerror="steal()"></p>`, public, followers, nil)
		wantInbox(t, "a Create with hostile HTML", p.Deliver(t, w.URL+"/inbox", create(n), httpsig.Cavage), http.StatusAccepted)
		var s map[string]any
		peerSoon(t, "the post reaches alice", func() bool { s = homeHas(t, w, alice, "sanitise me"); return s != nil })
		content := strings.ToLower(fmt.Sprint(s["content"]))
		for _, bad := range []string{"<script", "onclick", "onerror"} {
			if strings.Contains(content, bad) {
				t.Errorf("%q survives in the API's content: %s", bad, content)
			}
		}
		if !strings.Contains(content, "a link") {
			t.Errorf("the link's text was lost: %s", content)
		}
		one := w.Do(t, "GET", "/api/v1/statuses/"+s["id"].(string), alice, nil).Want(t, 200).Map(t)
		if c := strings.ToLower(fmt.Sprint(one["content"])); strings.Contains(c, "<script") || strings.Contains(c, "onclick") {
			t.Errorf("GET /api/v1/statuses/:id shows unsanitised HTML: %s", c)
		}
	})

	t.Run("a followers-only post reaches followers only", func(t *testing.T) {
		n := note("<p>only for the followers of pat</p>", followers, nil, nil)
		wantInbox(t, "a followers-only Create", p.Deliver(t, w.URL+"/inbox", create(n), httpsig.Cavage), http.StatusAccepted)
		var s map[string]any
		peerSoon(t, "the followers-only post reaches alice", func() bool {
			s = homeHas(t, w, alice, "only for the followers of pat")
			return s != nil
		})
		if s["visibility"] != "private" {
			t.Fatalf("visibility = %v, want private", s["visibility"])
		}
		id := s["id"].(string)
		w.Do(t, "GET", "/api/v1/statuses/"+id, alice, nil).Want(t, 200)
		w.Do(t, "GET", "/api/v1/statuses/"+id, dora, nil).Want(t, 404)
		w.Do(t, "GET", "/api/v1/statuses/"+id, "", nil).Want(t, 404)
		if homeHas(t, w, dora, "only for the followers of pat") != nil {
			t.Fatal("the followers-only post is in the home timeline of a member who does not follow pat")
		}
	})
}

// A signed activity carrying the NUL character (which PostgreSQL cannot
// store, in text or jsonb) is taken, 202, and applied without it — before,
// PostgreSQL made it a 500, and its sender retried it for days.
func TestInboxNUL(t *testing.T) {
	eachPeerDialect(t, func(t *testing.T, w *testkit.API) {
		_, alice := member(t, w, "alice", true)
		p := testkit.NewPeer(t, "pat")
		followPeer(t, w, alice, p, "pat")
		note := p.NextID("pat", "notes")
		create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": note + "/activity", "type": "Create",
			"actor": p.ActorID("pat"), "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
			"object": map[string]any{"id": note, "type": "Note", "attributedTo": p.ActorID("pat"), "summary": "c\x00w",
				"content": "<p>nul\x00 in here</p>", "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
				"tag": []any{map[string]any{"type": "Hashtag", "name": "#n\x00ul"}}}}
		wantInbox(t, "a post with NUL", p.Deliver(t, w.URL+"/inbox", create, httpsig.Cavage), http.StatusAccepted)
		var st map[string]any
		peerSoon(t, "the post arrives", func() bool { st = homeHas(t, w, alice, "nul in here"); return st != nil })
		if st["spoiler_text"] != "cw" {
			t.Fatalf("spoiler %q", st["spoiler_text"])
		}
	})
}
