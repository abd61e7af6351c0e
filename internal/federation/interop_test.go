package federation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"weft/internal/store"
	"weft/internal/testkit"
)

// The interoperability table: one scenario — follow both ways, post,
// reply, like, react, boost, quote, edit, delete, followers-only, unfollow,
// block, account deletion, opt-out retraction — run against a peer that
// behaves as each big implementation does on the wire (testkit.Impl: its
// ids, key documents, signature forms, demands on requests, retries and
// the shape of every activity), on both databases. Each step names what
// it checks; a step an implementation does not have (Misskey edits
// nothing, Threads members neither reply to nor boost other servers'
// posts) is skipped for it, saying why. A failure reads
// TestInterop/<implementation>/<database>/<step>. docs/federation.md
// turns the table into its "works with" section.
func TestInterop(t *testing.T) {
	for _, impl := range testkit.Impls {
		t.Run(string(impl), func(t *testing.T) {
			t.Parallel()
			for _, d := range testkit.Dialects() {
				t.Run(string(d), func(t *testing.T) { runInterop(t, impl, d) })
			}
		})
	}
}

// interop is one run of the scenario: a weft instance, a peer of one
// implementation, and what the steps made so far.
type interop struct {
	impl testkit.Impl
	w    *testkit.API
	p    *testkit.Peer

	alice, aliceID string // token and id of the weft member at the heart of it (shares)
	dave           string // token of a member who shares but follows nobody there
	ritaID         string // rita (the peer's member) as an account here
	quinnID        string // quinn, who quotes, as an account here

	ritaFollow map[string]any      // rita's Follow of alice
	alicePost  map[string]any      // alice's public post, as the client API shows it
	ritaPost   *testkit.PeerPost   // rita's public post
	ritaPosts  []*testkit.PeerPost // everything rita published
	ritaHere   string              // rita's post's id here
	ritaReply  string              // rita's reply to alice's post
}

// step is one line of the scenario; skip says which implementations do
// not have it, and why.
type step struct {
	name string
	skip map[testkit.Impl]string
	run  func(t *testing.T, x *interop)
}

func runInterop(t *testing.T, impl testkit.Impl, d store.Dialect) {
	w := testkit.NewInstance(t, d)
	x := &interop{impl: impl, w: w, p: testkit.NewPeerAs(t, impl, "rita", "quinn", "bram")}
	x.aliceID, x.alice = member(t, w, "alice", true)
	_, x.dave = member(t, w, "dave", true)
	failed := ""
	for _, s := range interopSteps {
		t.Run(s.name, func(t *testing.T) {
			if why, ok := s.skip[impl]; ok {
				t.Skip(why)
			}
			if failed != "" {
				t.Skipf("an earlier step failed: %s", failed)
			}
			s.run(t, x)
			w.Settle(t) // no job of weft's failed on the way
			if r := x.p.Refused(); len(r) > 0 {
				t.Fatalf("%s refused what weft sent: %s", impl, strings.Join(r, "; "))
			}
		})
		if t.Failed() && failed == "" {
			failed = s.name
		}
	}
}

var (
	noThreadsReplies = "Threads members cannot reply to or boost posts of other servers (2026)"
	noMisskeyEdits   = "Misskey has no edits (only Sharkey does)"
	threadsPublic    = "Threads shares public profiles' posts only"
)

var interopSteps = []step{
	{name: "follow in: the peer's member follows a weft member first", run: func(t *testing.T, x *interop) {
		x.ritaFollow = x.p.FollowOf(t, "rita", weftActor(x.w, "alice"))
		accept := x.p.WaitFor(t, "weft's Accept", peerWait, acceptOf(x.ritaFollow["id"].(string)))
		if accept.Actor() != weftActor(x.w, "alice") {
			t.Fatalf("Accept by %s", accept.Actor())
		}
		peerSoon(t, "alice has rita as a follower", func() bool { f, _ := memberCounts(t, x.w, x.alice); return f == 1 })
	}},
	{name: "follow out: a weft member finds the peer's member by handle and follows", run: func(t *testing.T, x *interop) {
		acc := resolve(t, x.w, x.alice, "@"+x.p.Handle("rita"))
		x.ritaID = acc["id"].(string)
		if acc["acct"] != x.p.Handle("rita") || acc["url"] == nil {
			t.Fatalf("account: %v", acc)
		}
		x.w.Do(t, "POST", "/api/v1/accounts/"+x.ritaID+"/follow", x.alice, nil).Want(t, 200)
		peerSoon(t, "the peer accepts alice's Follow", func() bool {
			return x.w.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+x.ritaID, x.alice, nil).Want(t, 200).List(t)[0]["following"] == true
		})
		if !slices.Contains(x.p.FollowersOf("rita"), weftActor(x.w, "alice")) {
			t.Fatalf("the peer does not list alice among rita's followers")
		}
	}},
	{name: "post out: a public post reaches the follower's server", run: func(t *testing.T, x *interop) {
		x.alicePost = x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": "hello from weft #interop"}).Want(t, 200).Map(t)
		create := x.waitKept(t, "alice's Create", func(r testkit.Received) bool {
			return r.Type() == "Create" && objectOf(r)["id"] == x.alicePost["uri"]
		})
		note := objectOf(create)
		if !strings.Contains(fmt.Sprint(note["content"]), "hello from weft") || !slices.Contains(stringsOf(note["to"]), "https://www.w3.org/ns/activitystreams#Public") {
			t.Fatalf("the post as sent: %v", note)
		}
		// The replies collection comes inline, with its first page (what
		// GoToSocial reads a thread from).
		replies, _ := note["replies"].(map[string]any)
		if first, _ := replies["first"].(map[string]any); first["type"] != "CollectionPage" || first["next"] == nil {
			t.Fatalf("replies: %v", note["replies"])
		}
	}},
	{name: "post in: the peer's member posts, the weft follower sees it", run: func(t *testing.T, x *interop) {
		x.ritaPost = x.p.Publish(t, "rita", testkit.PostSpec{Text: "hello from " + string(x.impl), Hashtags: []string{"interop"}})
		x.ritaPosts = append(x.ritaPosts, x.ritaPost)
		var st map[string]any
		peerSoon(t, "rita's post in alice's home", func() bool { st = homeHas(t, x.w, x.alice, "hello from "+string(x.impl)); return st != nil })
		x.ritaHere = st["id"].(string)
		if st["uri"] != x.ritaPost.ID || st["visibility"] != "public" {
			t.Fatalf("rita's post here: %v", st)
		}
		if tags := st["tags"].([]any); len(tags) != 1 || tags[0].(map[string]any)["name"] != "interop" {
			t.Fatalf("tags: %v", st["tags"])
		}
	}},
	{name: "first contact while the sender's key cannot be fetched for a moment", run: func(t *testing.T, x *interop) {
		// weft answers 503 while bram's key document fails, and the peer
		// tries again as its implementation does (GoToSocial only after
		// a 5xx or 429): the follow is not lost.
		keyPath, _, _ := strings.Cut(strings.TrimPrefix(x.p.KeyID("bram"), x.p.URL), "#")
		x.p.FailGets(keyPath, http.StatusBadGateway, 2)
		follow := x.p.FollowOf(t, "bram", weftActor(x.w, "dave"))
		x.p.WaitFor(t, "weft's Accept", peerWait, acceptOf(follow["id"].(string)))
		if f, _ := memberCounts(t, x.w, x.dave); f != 1 {
			t.Fatalf("dave has %v followers", f)
		}
	}},
	{name: "profile update in", run: func(t *testing.T, x *interop) {
		x.p.UpdateProfile(t, "rita", "Rita, renamed")
		peerSoon(t, "the new name shows", func() bool {
			return x.w.Do(t, "GET", "/api/v1/accounts/"+x.ritaID, x.alice, nil).Want(t, 200).Map(t)["display_name"] == "Rita, renamed"
		})
	}},
	{name: "poll in (shown with its options until polls are here)", skip: map[testkit.Impl]string{testkit.Threads: "Threads does not share polls"}, run: func(t *testing.T, x *interop) {
		x.ritaPosts = append(x.ritaPosts, x.p.Publish(t, "rita", testkit.PostSpec{Text: "tea or coffee?", Poll: []string{"tea", "coffee"}}))
		var st map[string]any
		peerSoon(t, "the poll in alice's home", func() bool { st = homeHas(t, x.w, x.alice, "tea or coffee?"); return st != nil })
		if c := fmt.Sprint(st["content"]); !strings.Contains(c, "tea</li>") || !strings.Contains(c, "coffee</li>") {
			t.Fatalf("the poll's options are not shown: %s", c)
		}
	}},
	{name: "custom emoji in a post (the text keeps its :shortcode: until custom emoji are here)", skip: map[testkit.Impl]string{testkit.Threads: "Threads has no custom emoji"}, run: func(t *testing.T, x *interop) {
		x.ritaPosts = append(x.ritaPosts, x.p.Publish(t, "rita", testkit.PostSpec{Text: "so happy :blobcat:", Emoji: []string{"blobcat"}}))
		peerSoon(t, "the post in alice's home", func() bool { return homeHas(t, x.w, x.alice, "so happy :blobcat:") != nil })
	}},
	{name: "chat message: dropped, politely", skip: onlyFor(testkit.Pleroma, "only Pleroma sends ChatMessages"), run: func(t *testing.T, x *interop) {
		msg := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": x.p.URL + "/activities/chat-1", "type": "Create",
			"actor": x.p.ActorID("rita"), "to": []any{weftActor(x.w, "alice")},
			"object": map[string]any{"id": x.p.URL + "/objects/chat-1", "type": "ChatMessage", "attributedTo": x.p.ActorID("rita"),
				"actor": x.p.ActorID("rita"), "to": []any{weftActor(x.w, "alice")}, "content": "psst, a chat",
				"tag": []any{map[string]any{"type": "Mention", "href": weftActor(x.w, "alice"), "name": "@alice@" + x.w.Config.Domain}}}}
		x.p.Tell(t, "rita", msg, x.p.InboxOf(t, weftActor(x.w, "alice"))) // taken (2xx), so Pleroma does not retry
		x.w.Settle(t)
		for _, n := range x.w.Do(t, "GET", "/api/v1/notifications", x.alice, nil).Want(t, 200).List(t) {
			if strings.Contains(fmt.Sprint(n["status"]), "psst, a chat") {
				t.Fatalf("a chat message became a notification: %v", n)
			}
		}
	}},
	{name: "reply in: the peer's member answers a weft post", skip: map[testkit.Impl]string{testkit.Threads: noThreadsReplies}, run: func(t *testing.T, x *interop) {
		reply := x.p.Publish(t, "rita", testkit.PostSpec{Text: "nice post", InReplyTo: fmt.Sprint(x.alicePost["uri"]),
			Mentions: []string{weftActor(x.w, "alice")}, MentionNames: []string{"@alice@" + x.w.Config.Domain}})
		x.ritaPosts = append(x.ritaPosts, reply)
		x.ritaReply = reply.ID
		peerSoon(t, "the reply in alice's thread", func() bool {
			ctx := x.w.Do(t, "GET", "/api/v1/statuses/"+x.alicePost["id"].(string)+"/context", x.alice, nil).Want(t, 200).Map(t)
			for _, d := range ctx["descendants"].([]any) {
				if d.(map[string]any)["uri"] == reply.ID {
					return true
				}
			}
			return false
		})
		x.wantNotification(t, "mention", x.p.Handle("rita"))
	}},
	{name: "reply out: a weft member answers the peer's post; the peer can read the thread from the post", run: func(t *testing.T, x *interop) {
		reply := x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": "welcome!", "in_reply_to_id": x.ritaHere}).Want(t, 200).Map(t)
		got := x.waitKept(t, "alice's reply", func(r testkit.Received) bool {
			return r.Type() == "Create" && objectOf(r)["id"] == reply["uri"]
		})
		if objectOf(got)["inReplyTo"] != x.ritaPost.ID {
			t.Fatalf("inReplyTo %v", objectOf(got)["inReplyTo"])
		}
		// alice answers herself too: a thread of her own, which the
		// peer reads from her post alone, as GoToSocial backfills.
		self := x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": "and more", "in_reply_to_id": x.alicePost["id"]}).Want(t, 200).Map(t)
		x.waitKept(t, "alice's self-reply", func(r testkit.Received) bool { return objectOf(r)["id"] == self["uri"] })
		found := x.p.Backfill(t, fmt.Sprint(x.alicePost["uri"]))
		want := []string{fmt.Sprint(self["uri"])}
		if x.impl != testkit.Threads {
			want = append(want, x.ritaReply) // rita's reply, from the others' page
		}
		for _, u := range want {
			if !slices.Contains(found, u) {
				t.Fatalf("the thread read from alice's post lacks %s: %v", u, found)
			}
		}
	}},
	{name: "like in", run: func(t *testing.T, x *interop) {
		x.p.Like(t, "rita", fmt.Sprint(x.alicePost["uri"]), weftActor(x.w, "alice"))
		peerSoon(t, "the like counted", func() bool {
			return x.w.Do(t, "GET", "/api/v1/statuses/"+x.alicePost["id"].(string), x.alice, nil).Want(t, 200).Map(t)["favourites_count"] == 1.0
		})
		x.wantNotification(t, "favourite", x.p.Handle("rita"))
	}},
	{name: "reaction in and its undo", skip: map[testkit.Impl]string{testkit.Mastodon: "Mastodon has no reactions",
		testkit.GoToSocial: "GoToSocial has no reactions", testkit.Threads: "Threads has no reactions"}, run: func(t *testing.T, x *interop) {
		// quinn reacts with a custom emoji to alice's post; weft counts a
		// reaction as a like (as Mastodon does), and the Undo — which
		// Pleroma words with the reaction's id alone — takes it back.
		react := x.p.React(t, "quinn", fmt.Sprint(x.alicePost["uri"]), weftActor(x.w, "alice"), ":blobcat:")
		count := func() any {
			return x.w.Do(t, "GET", "/api/v1/statuses/"+x.alicePost["id"].(string), x.alice, nil).Want(t, 200).Map(t)["favourites_count"]
		}
		peerSoon(t, "the reaction counted", func() bool { return count() == 2.0 })
		x.p.Undo(t, "quinn", react, x.p.InboxOf(t, weftActor(x.w, "alice")))
		peerSoon(t, "the reaction taken back", func() bool { return count() == 1.0 })
	}},
	{name: "like out", run: func(t *testing.T, x *interop) {
		x.w.Do(t, "POST", "/api/v1/statuses/"+x.ritaHere+"/favourite", x.alice, nil).Want(t, 200)
		x.waitKept(t, "alice's Like", func(r testkit.Received) bool { return r.Type() == "Like" && r.Activity["object"] == x.ritaPost.ID })
	}},
	{name: "boost in", skip: map[testkit.Impl]string{testkit.Threads: noThreadsReplies}, run: func(t *testing.T, x *interop) {
		x.p.Boost(t, "rita", fmt.Sprint(x.alicePost["uri"]), weftActor(x.w, "alice"))
		peerSoon(t, "the boost counted", func() bool {
			return x.w.Do(t, "GET", "/api/v1/statuses/"+x.alicePost["id"].(string), x.alice, nil).Want(t, 200).Map(t)["reblogs_count"] == 1.0
		})
		x.wantNotification(t, "reblog", x.p.Handle("rita"))
	}},
	{name: "boost out", run: func(t *testing.T, x *interop) {
		x.w.Do(t, "POST", "/api/v1/statuses/"+x.ritaHere+"/reblog", x.alice, nil).Want(t, 200)
		x.waitKept(t, "alice's Announce", func(r testkit.Received) bool { return r.Type() == "Announce" && r.Activity["object"] == x.ritaPost.ID })
	}},
	{name: "quote in: a member nobody here follows quotes a weft post", skip: map[testkit.Impl]string{
		testkit.GoToSocial: "GoToSocial 0.19 has no quotes"}, run: func(t *testing.T, x *interop) {
		x.p.Publish(t, "quinn", testkit.PostSpec{Text: "look at this", Quote: fmt.Sprint(x.alicePost["uri"])})
		// Stored although nobody follows quinn, and alice hears of it
		// (as of a mention until quotes are posts of their own here).
		n := x.wantNotification(t, "mention", x.p.Handle("quinn"))
		if st, _ := n["status"].(map[string]any); !strings.Contains(fmt.Sprint(st["content"]), "look at this") {
			t.Fatalf("the quote as stored: %v", n["status"])
		}
	}},
	{name: "edit in (twice)", skip: map[testkit.Impl]string{testkit.Misskey: noMisskeyEdits}, run: func(t *testing.T, x *interop) {
		for _, text := range []string{"hello again, edited", "hello again, edited twice"} {
			x.p.Edit(t, x.ritaPost, text) // GoToSocial: the same Update id both times
			peerSoon(t, "the edit shows: "+text, func() bool {
				st := x.w.Do(t, "GET", "/api/v1/statuses/"+x.ritaHere, x.alice, nil).Want(t, 200).Map(t)
				return strings.Contains(fmt.Sprint(st["content"]), text) && st["edited_at"] != nil
			})
		}
	}},
	{name: "edit out", run: func(t *testing.T, x *interop) {
		x.w.Do(t, "PUT", "/api/v1/statuses/"+x.alicePost["id"].(string), x.alice, map[string]any{"status": "hello from weft, edited"}).Want(t, 200)
		x.waitKept(t, "alice's Update", func(r testkit.Received) bool {
			return r.Type() == "Update" && objectOf(r)["id"] == x.alicePost["uri"] && strings.Contains(fmt.Sprint(objectOf(r)["content"]), "edited")
		})
	}},
	{name: "followers-only in", skip: map[testkit.Impl]string{testkit.Threads: threadsPublic}, run: func(t *testing.T, x *interop) {
		post := x.p.Publish(t, "rita", testkit.PostSpec{Text: "just for my followers", Visibility: "followers"})
		x.ritaPosts = append(x.ritaPosts, post)
		var st map[string]any
		peerSoon(t, "alice, a follower, sees it", func() bool { st = homeHas(t, x.w, x.alice, "just for my followers"); return st != nil })
		if st["visibility"] != "private" {
			t.Fatalf("visibility %v", st["visibility"])
		}
		x.w.Do(t, "GET", "/api/v1/statuses/"+st["id"].(string), x.dave, nil).Want(t, 404)
		x.w.Do(t, "GET", "/api/v1/statuses/"+st["id"].(string), "", nil).Want(t, 404)
	}},
	{name: "self-boost of a followers-only post (embedded, to followers only)", skip: onlyFor(testkit.Pleroma, "only Pleroma announces non-public posts"), run: func(t *testing.T, x *interop) {
		post := x.p.Publish(t, "rita", testkit.PostSpec{Text: "followers, look again", Visibility: "followers"})
		x.ritaPosts = append(x.ritaPosts, post)
		peerSoon(t, "alice has the post", func() bool { return homeHas(t, x.w, x.alice, "followers, look again") != nil })
		x.p.Boost(t, "rita", post.Object, x.p.ActorID("rita"))
		x.w.Settle(t)
		for _, path := range []string{"/api/v1/timelines/public", "/api/v1/timelines/public?local=false"} {
			if strings.Contains(string(x.w.Do(t, "GET", path, x.dave, nil).Want(t, 200).Body), "followers, look again") {
				t.Fatalf("a followers-only post or its boost is public: %s", path)
			}
		}
		if homeHas(t, x.w, x.dave, "followers, look again") != nil {
			t.Fatal("dave, no follower, sees the followers-only post")
		}
	}},
	{name: "followers-only out", run: func(t *testing.T, x *interop) {
		x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": "for my followers", "visibility": "private"}).Want(t, 200)
		got := x.waitKept(t, "alice's followers-only post", func(r testkit.Received) bool {
			return r.Type() == "Create" && strings.Contains(fmt.Sprint(objectOf(r)["content"]), "for my followers")
		})
		to := append(stringsOf(objectOf(got)["to"]), stringsOf(objectOf(got)["cc"])...)
		if slices.Contains(to, "https://www.w3.org/ns/activitystreams#Public") || !slices.Contains(to, weftActor(x.w, "alice")+"/followers") {
			t.Fatalf("addressed to %v", to)
		}
	}},
	{name: "delete in", run: func(t *testing.T, x *interop) {
		x.p.DeletePost(t, x.ritaPost)
		peerSoon(t, "rita's post gone", func() bool {
			return x.w.Do(t, "GET", "/api/v1/statuses/"+x.ritaHere, x.alice, nil).Status == 404
		})
	}},
	{name: "delete out", run: func(t *testing.T, x *interop) {
		gone := x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": "soon gone"}).Want(t, 200).Map(t)
		x.waitKept(t, "the post to delete", func(r testkit.Received) bool { return objectOf(r)["id"] == gone["uri"] })
		x.w.Do(t, "DELETE", "/api/v1/statuses/"+gone["id"].(string), x.alice, nil).Want(t, 200)
		x.waitKept(t, "alice's Delete", func(r testkit.Received) bool {
			return r.Type() == "Delete" && (r.Activity["object"] == gone["uri"] || objectOf(r)["id"] == gone["uri"])
		})
	}},
	{name: "unfollow in, and follow again", run: func(t *testing.T, x *interop) {
		x.p.Unfollow(t, "rita", x.ritaFollow)
		peerSoon(t, "rita no longer follows alice", func() bool { f, _ := memberCounts(t, x.w, x.alice); return f == 0 })
		x.ritaFollow = x.p.FollowOf(t, "rita", weftActor(x.w, "alice"))
		x.p.WaitFor(t, "weft's Accept", peerWait, acceptOf(x.ritaFollow["id"].(string)))
	}},
	{name: "block in: a member of the peer blocks a weft member", skip: map[testkit.Impl]string{testkit.Threads: "Threads does not send its blocks"}, run: func(t *testing.T, x *interop) {
		follow := x.p.FollowOf(t, "bram", weftActor(x.w, "alice"))
		x.p.WaitFor(t, "weft's Accept", peerWait, acceptOf(follow["id"].(string)))
		bramID := resolve(t, x.w, x.alice, x.p.Handle("bram"))["id"].(string)
		x.p.Block(t, "bram", weftActor(x.w, "alice"))
		peerSoon(t, "the follow between them ends", func() bool {
			rel := x.w.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bramID, x.alice, nil).Want(t, 200).List(t)[0]
			return rel["followed_by"] == false
		})
	}},
	{name: "block out", run: func(t *testing.T, x *interop) {
		x.quinnID = resolve(t, x.w, x.alice, x.p.Handle("quinn"))["id"].(string)
		x.w.Do(t, "POST", "/api/v1/accounts/"+x.quinnID+"/block", x.alice, nil).Want(t, 200)
		x.waitKept(t, "alice's Block", func(r testkit.Received) bool {
			return r.Type() == "Block" && r.Activity["object"] == x.p.ActorID("quinn")
		})
	}},
	{name: "unfollow out", run: func(t *testing.T, x *interop) {
		x.w.Do(t, "POST", "/api/v1/accounts/"+x.ritaID+"/unfollow", x.alice, nil).Want(t, 200)
		undo := x.waitKept(t, "alice's Undo(Follow)", func(r testkit.Received) bool { return r.Type() == "Undo" && objectOf(r)["type"] == "Follow" })
		if objectOf(undo)["object"] != x.p.ActorID("rita") {
			t.Fatalf("undo of %v", objectOf(undo))
		}
		peerSoon(t, "the peer drops alice from rita's followers", func() bool {
			return !slices.Contains(x.p.FollowersOf("rita"), weftActor(x.w, "alice"))
		})
	}},
	{name: "a member who does not share is not there (404), without errors or retries", skip: onlyFor(testkit.Threads, "Threads' own way"), run: func(t *testing.T, x *interop) {
		res := x.w.Do(t, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape("@zuck@"+x.p.Domain), x.alice, nil).Want(t, 200).Map(t)
		if n := len(res["accounts"].([]any)); n != 0 {
			t.Fatalf("found %d accounts", n)
		}
	}},
	{name: "a member stops sharing: their posts are deleted, then they are not there", skip: onlyFor(testkit.Threads, "Threads' own way"), run: func(t *testing.T, x *interop) {
		x.p.StopSharing(t, "rita", x.ritaPosts[1:])
		for _, post := range x.ritaPosts[1:] {
			peerSoon(t, "rita's post gone here", func() bool {
				res := x.w.Do(t, "GET", "/api/v2/search?type=statuses&q="+url.QueryEscape(post.ID), x.alice, nil).Want(t, 200).Map(t)
				return len(res["statuses"].([]any)) == 0
			})
		}
		// rita still followed alice: alice's next post goes to an inbox
		// that now answers 404, which is final, not retried.
		x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": "anyone there?"}).Want(t, 200)
	}},
	{name: "account deleted on the peer", skip: map[testkit.Impl]string{testkit.Threads: "Threads members leave by not sharing (the step above)"}, run: func(t *testing.T, x *interop) {
		// rita's remaining posts go too; GoToSocial sends their Deletes
		// after the actor's, which weft must take without a fuss.
		var inboxes []string
		inboxes = append(inboxes, x.p.DeliveryInboxOf(t, weftActor(x.w, "alice")))
		x.p.DeleteActor(t, "rita", x.ritaPosts[1:], inboxes...)
		peerSoon(t, "rita gone here", func() bool {
			return x.w.Do(t, "GET", "/api/v1/accounts/"+x.ritaID, x.alice, nil).Status == 404
		})
	}},
	{name: "opt-out: a weft member stops sharing; posts are taken back first, the actor last", run: func(t *testing.T, x *interop) {
		// quinn follows alice so that the peer knows her posts.
		x.w.Do(t, "POST", "/api/v1/accounts/"+x.quinnID+"/unblock", x.alice, nil).Want(t, 200)
		follow := x.p.FollowOf(t, "quinn", weftActor(x.w, "alice"))
		x.p.WaitFor(t, "weft's Accept", peerWait, acceptOf(follow["id"].(string)))
		var uris []string
		for i := range 3 {
			st := x.w.Do(t, "POST", "/api/v1/statuses", x.alice, map[string]any{"status": fmt.Sprintf("shared %d", i)}).Want(t, 200).Map(t)
			uris = append(uris, fmt.Sprint(st["uri"]))
			x.waitKept(t, "a shared post", func(r testkit.Received) bool { return objectOf(r)["id"] == st["uri"] })
		}
		x.w.Do(t, "PATCH", "/api/v1/accounts/update_credentials", x.alice, map[string]any{"fediverse_sharing": false}).Want(t, 200)
		actorDelete := x.p.WaitFor(t, "the Delete of alice's actor", peerWait, func(r testkit.Received) bool {
			return r.Type() == "Delete" && r.Activity["object"] == weftActor(x.w, "alice")
		})
		// Every shared post's Delete came before it, at that inbox.
		received := x.p.Received()
		actorAt := slices.IndexFunc(received, func(r testkit.Received) bool {
			return r.Type() == "Delete" && r.Activity["object"] == weftActor(x.w, "alice")
		})
		for _, u := range append(uris, fmt.Sprint(x.alicePost["uri"])) {
			at := slices.IndexFunc(received, func(r testkit.Received) bool {
				return r.Type() == "Delete" && r.Path == actorDelete.Path && (r.Activity["object"] == u || objectOf(r)["id"] == u)
			})
			if at < 0 || at > actorAt {
				t.Fatalf("the Delete of %s came at %d, the actor's at %d", u, at, actorAt)
			}
		}
	}},
}

// waitKept waits until the peer received (and its implementation kept) a
// POST that match accepts.
func (x *interop) waitKept(t *testing.T, what string, match func(testkit.Received) bool) testkit.Received {
	t.Helper()
	r := x.p.WaitFor(t, what, peerWait, match)
	if r.Dropped {
		t.Fatalf("%s threw away %s (%s)", x.impl, what, r.Body)
	}
	return r
}

// wantNotification waits for alice's notification of a type from an
// account, and returns it.
func (x *interop) wantNotification(t *testing.T, typ, from string) map[string]any {
	t.Helper()
	var found map[string]any
	peerSoon(t, typ+" notification from "+from, func() bool {
		for _, n := range x.w.Do(t, "GET", "/api/v1/notifications?types[]="+url.QueryEscape(typ), x.alice, nil).Want(t, 200).List(t) {
			if acc, _ := n["account"].(map[string]any); acc["acct"] == from {
				found = n
				return true
			}
		}
		return false
	})
	return found
}

// onlyFor skips a step for every implementation but one.
func onlyFor(impl testkit.Impl, why string) map[testkit.Impl]string {
	skip := map[testkit.Impl]string{}
	for _, other := range testkit.Impls {
		if other != impl {
			skip[other] = why
		}
	}
	return skip
}

// objectOf is a received activity's object when it came inline.
func objectOf(r testkit.Received) map[string]any {
	m, _ := r.Activity["object"].(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

// stringsOf reads a JSON value that may be a string or a list of them.
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}
