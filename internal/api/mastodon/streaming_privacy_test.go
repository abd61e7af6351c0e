package mastodon_test

import (
	"context"
	"net/url"
	"testing"

	"weft/internal/service"
	"weft/internal/testkit"
)

// everyPublicStream subscribes ws to the public and #weft streams, local
// and not.
func everyPublicStream(ws *wsClient) {
	ws.subscribe("public")
	ws.subscribe("public:local")
	ws.subscribe("hashtag", "tag", "weft")
	ws.subscribe("hashtag:local", "tag", "WEFT")
	ws.sync()
}

// marker posts a public #weft post once every job so far has run, so that
// its arrival on the last public stream means everything published before
// it has been seen; it returns the messages up to there.
func marker(t *testing.T, a *testkit.API, token string, ws ...*wsClient) [][]wsMsg {
	t.Helper()
	a.Settle(t)
	id := post(t, a, token, url.Values{"status": {"marker #weft"}})
	a.Settle(t)
	out := make([][]wsMsg, len(ws))
	for i, w := range ws {
		out[i] = w.until(func(m wsMsg) bool {
			return m.Event == "update" && len(m.Stream) == 2 && m.Stream[0] == "hashtag:local" && m.entity(t)["id"] == id
		})
	}
	return out
}

// Public streams carry public posts only; a followers-only post reaches its
// author's followers' user streams and nobody else's streams.
func TestStreamingFollowersOnlyStaysWithFollowers(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice") // follows bob
		bob, bobTok := a.Account(t, "bob")
		_, carolTok := a.Account(t, "carol") // does not
		_, daveTok := a.Account(t, "dave")
		follow(t, a, alice, bob)
		follower := dialStream(t, a.URL, aliceTok, "stream=user")
		everyPublicStream(follower)
		stranger := dialStream(t, a.URL, carolTok, "stream=user")
		everyPublicStream(stranger)

		public := post(t, a, bobTok, url.Values{"status": {"open #weft"}})
		secret := post(t, a, bobTok, url.Values{"status": {"secret #weft"}, "visibility": {"private"}})
		unlisted := post(t, a, bobTok, url.Values{"status": {"quiet #weft"}, "visibility": {"unlisted"}})
		seen := marker(t, a, daveTok, follower, stranger)

		for who, msgs := range map[string][]wsMsg{"follower": seen[0], "stranger": seen[1]} {
			streams := map[string]int{}
			for _, m := range msgs {
				if m.Event == "update" && m.entity(t)["id"] == public {
					streams[m.Stream[0]]++
				}
				for _, hidden := range []string{secret, unlisted} {
					if m.Event == "update" && m.entity(t)["id"] == hidden && !(who == "follower" && m.on("user")) {
						t.Errorf("%s got %s post %s on %v", who, map[bool]string{true: "private", false: "unlisted"}[hidden == secret], hidden, m.Stream)
					}
				}
			}
			for _, s := range []string{"public", "public:local", "hashtag", "hashtag:local"} {
				if streams[s] != 1 {
					t.Errorf("%s: the public post arrived %d times on %s", who, streams[s], s)
				}
			}
		}
		if !mentions(t, seen[0], secret) {
			t.Error("the follower's user stream missed the followers-only post")
		}
		if mentions(t, seen[1], secret) {
			t.Error("the stranger saw the followers-only post")
		}
	})
}

// Public streams render for the connection's viewer: posts by accounts one
// blocks, is blocked by, or mutes never arrive.
func TestStreamingSkipsBlockedAndMuted(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		carol, carolTok := a.Account(t, "carol")
		blocked, blockedTok := a.Account(t, "blocked")
		blocker, blockerTok := a.Account(t, "blocker")
		muted, mutedTok := a.Account(t, "muted")
		_, daveTok := a.Account(t, "dave")
		ctx := context.Background()
		for _, err := range []error{
			second(a.Service.Block(ctx, carol.ID, blocked.ID)),
			second(a.Service.Block(ctx, blocker.ID, carol.ID)),
			second(a.Service.Mute(ctx, carol.ID, muted.ID, service.MuteOptions{})),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		ws := dialStream(t, a.URL, carolTok, "stream=user")
		everyPublicStream(ws)

		var hidden []string
		for _, tok := range []string{blockedTok, blockerTok, mutedTok} {
			hidden = append(hidden, post(t, a, tok, url.Values{"status": {"hi @carol #weft"}}))
		}
		seen := marker(t, a, daveTok, ws)[0]
		for _, id := range hidden[:2] { // blocks hide even the mention
			if mentions(t, seen, id) {
				t.Errorf("post %s of a blocked or blocking account reached carol: %+v", id, seen)
			}
		}
		for _, m := range seen {
			if m.Event == "update" && m.entity(t)["id"] == hidden[2] {
				t.Errorf("muted account's post on %v", m.Stream)
			}
		}
	})
}

// Direct posts reach the direct streams of those they mention, as
// Conversation entities, and no public stream.
func TestStreamingDirect(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		_, carolTok := a.Account(t, "carol")
		_, daveTok := a.Account(t, "dave")
		alice := dialStream(t, a.URL, aliceTok, "stream=direct")
		author := dialStream(t, a.URL, bobTok, "stream=direct")
		stranger := dialStream(t, a.URL, carolTok, "stream=direct")
		everyPublicStream(alice)
		everyPublicStream(stranger)

		id := post(t, a, bobTok, url.Values{"status": {"@alice psst #weft"}, "visibility": {"direct"}})
		conv := alice.event("conversation", "direct").entity(t)
		last := conv["last_status"].(map[string]any)
		accounts := conv["accounts"].([]any)
		if last["id"] != id || conv["unread"] != true || len(accounts) != 1 || accounts[0].(map[string]any)["id"] != idOf(bob.ID) {
			t.Fatalf("conversation: %v", conv)
		}
		if own := author.event("conversation", "direct").entity(t); own["unread"] != false {
			t.Fatalf("the author's conversation: %v", own)
		}
		seen := marker(t, a, daveTok, alice, stranger)
		for _, m := range seen[0] {
			if m.Event == "update" && m.entity(t)["id"] == id {
				t.Errorf("direct post on alice's %v", m.Stream)
			}
		}
		if mentions(t, seen[1], id) {
			t.Error("a stranger got the direct post")
		}

		a.Do(t, "DELETE", "/api/v1/statuses/"+id, bobTok, nil).Want(t, 200)
		if del := alice.event("delete", "direct"); del.Payload != id {
			t.Fatalf("direct delete: %+v", del)
		}
	})
}

// Unsubscribing stops a stream; deletions of public posts reach public streams.
func TestStreamingUnsubscribeAndPublicDelete(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, aliceTok := a.Account(t, "alice")
	_, bobTok := a.Account(t, "bob")
	_, daveTok := a.Account(t, "dave")
	ws := dialStream(t, a.URL, aliceTok, "stream=public")
	ws.subscribe("hashtag", "tag", "other")
	ws.subscribe("hashtag:local", "tag", "weft")
	ws.sync()
	first := post(t, a, bobTok, url.Values{"status": {"#other one"}})
	if ws.event("update", "hashtag", "other").entity(t)["id"] != first {
		t.Fatal("hashtag stream before unsubscribing")
	}
	a.Do(t, "DELETE", "/api/v1/statuses/"+first, bobTok, nil).Want(t, 200)
	if ws.event("delete", "public").Payload != first {
		t.Fatal("public delete")
	}
	ws.send(map[string]string{"type": "unsubscribe", "stream": "hashtag", "tag": "OTHER"})
	ws.send(map[string]string{"type": "unsubscribe", "stream": "public"})
	ws.sync()
	second := post(t, a, bobTok, url.Values{"status": {"#other two"}})
	for _, m := range marker(t, a, daveTok, ws)[0] {
		if mentions(t, []wsMsg{m}, second) {
			t.Fatalf("event after unsubscribing: %+v", m)
		}
	}
}

func second[T any](_ T, err error) error { return err }
