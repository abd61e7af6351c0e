package federation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"weft/internal/config"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// member makes a local account on an instance that shares with the
// fediverse (or not), with a token.
func member(t *testing.T, a *testkit.API, username string, sharing bool) (id, token string) {
	t.Helper()
	acc, tok := a.Account(t, username)
	if sharing {
		_, err := a.Service.UpdateProfile(t.Context(), acc.ID, service.ProfileUpdate{FediverseSharing: &sharing})
		testkit.Must(t, err, "share")
	}
	return fmt.Sprint(acc.ID), tok
}

// eventually polls cond until it holds, for at most 15 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	start := time.Now()
	defer func() { t.Logf("%s: %v", what, time.Since(start)) }()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// resolve finds user@domain through the client API's search with resolve=true.
func resolve(t *testing.T, a *testkit.API, token, handle string) map[string]any {
	t.Helper()
	res := a.Do(t, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape(handle), token, nil).Want(t, 200).Map(t)
	accs := res["accounts"].([]any)
	if len(accs) != 1 {
		t.Fatalf("search %s: %d accounts", handle, len(accs))
	}
	return accs[0].(map[string]any)
}

func homeHas(t *testing.T, a *testkit.API, token, text string) map[string]any {
	t.Helper()
	for _, s := range a.Do(t, "GET", "/api/v1/timelines/home?limit=40", token, nil).Want(t, 200).List(t) {
		if strings.Contains(fmt.Sprint(s["content"]), text) {
			return s
		}
	}
	return nil
}

// Two weft servers on loopback: a member of one follows a member of the
// other through the client API (search with resolve, follow), the other
// server accepts, posts travel to the follower's home timeline, replies,
// likes and boosts travel back, edits and deletes follow, followers-only
// posts reach followers only, and unfollowing ends it. Members who do not
// share with the fediverse are invisible from the other server.
func TestTwoInstances(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) { twoInstances(t, d) })
	}
}

func twoInstances(t *testing.T, d store.Dialect) {
	A, B := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
	_, alice := member(t, A, "alice", true)
	_, carol := member(t, A, "carol", false)
	_, bob := member(t, B, "bob", true)
	_, dave := member(t, B, "dave", false)

	// Members who do not share are not there for the other server.
	res := B.Do(t, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape("carol@"+A.Config.Domain), bob, nil).Want(t, 200).Map(t)
	if n := len(res["accounts"].([]any)); n != 0 {
		t.Fatalf("a member who does not share was found from another server")
	}

	bobOnA := resolve(t, A, alice, "@bob@"+B.Config.Domain)
	if bobOnA["acct"] != "bob@"+B.Config.Domain {
		t.Fatalf("acct = %v", bobOnA["acct"])
	}
	bobID := bobOnA["id"].(string)

	// carol does not share: she may not follow across servers.
	carolFollow := A.Do(t, "POST", "/api/v1/accounts/"+bobID+"/follow", carol, nil)
	if carolFollow.Status != 422 || !strings.Contains(string(carolFollow.Body), "fediverse sharing") {
		t.Fatalf("a member who does not share followed a remote account: %d %s", carolFollow.Status, carolFollow.Body)
	}

	rel := A.Do(t, "POST", "/api/v1/accounts/"+bobID+"/follow", alice, nil).Want(t, 200).Map(t)
	if rel["requested"] != true || rel["following"] != false {
		t.Fatalf("a remote follow should wait for the other server: %v", rel)
	}
	eventually(t, "bob's server accepts alice's follow", func() bool {
		rels := A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobID, alice, nil).Want(t, 200).List(t)
		return rels[0]["following"] == true
	})
	aliceOnB := resolve(t, B, bob, "alice@"+A.Config.Domain)
	followers := B.Do(t, "GET", "/api/v1/accounts/"+fmt.Sprint(B.Do(t, "GET", "/api/v1/accounts/verify_credentials", bob, nil).Want(t, 200).Map(t)["id"])+"/followers", bob, nil).Want(t, 200).List(t)
	if len(followers) != 1 || followers[0]["id"] != aliceOnB["id"] {
		t.Fatalf("bob's followers on B: %v", followers)
	}

	// A public post travels to the follower's home timeline.
	post := B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "hello from the other server #weft"}).Want(t, 200).Map(t)
	var onA map[string]any
	eventually(t, "bob's post reaches alice's home timeline", func() bool {
		onA = homeHas(t, A, alice, "hello from the other server")
		return onA != nil
	})
	if onA["uri"] != post["uri"] || onA["account"].(map[string]any)["acct"] != "bob@"+B.Config.Domain {
		t.Fatalf("post on A: uri %v acct %v", onA["uri"], onA["account"])
	}
	postOnA := onA["id"].(string)

	// carol does not share: answering, liking or boosting a post from
	// another server would reveal her to it.
	for _, try := range []struct{ method, path string }{
		{"POST", "/api/v1/statuses/" + postOnA + "/favourite"},
		{"POST", "/api/v1/statuses/" + postOnA + "/reblog"},
	} {
		if res := A.Do(t, try.method, try.path, carol, nil); res.Status != 422 {
			t.Fatalf("%s by a member who does not share: %d %s", try.path, res.Status, res.Body)
		}
	}
	A.Do(t, "POST", "/api/v1/statuses", carol, map[string]any{"status": "me too", "in_reply_to_id": postOnA}).Want(t, 422)

	// A reply, a like and a boost travel back.
	A.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "hello back", "in_reply_to_id": postOnA}).Want(t, 200)
	A.Do(t, "POST", "/api/v1/statuses/"+postOnA+"/favourite", alice, nil).Want(t, 200)
	A.Do(t, "POST", "/api/v1/statuses/"+postOnA+"/reblog", alice, nil).Want(t, 200)
	postID := post["id"].(string)
	eventually(t, "the reply, like and boost reach bob's server", func() bool {
		s := B.Do(t, "GET", "/api/v1/statuses/"+postID, bob, nil).Want(t, 200).Map(t)
		return s["replies_count"] == 1.0 && s["favourites_count"] == 1.0 && s["reblogs_count"] == 1.0
	})
	ctx := B.Do(t, "GET", "/api/v1/statuses/"+postID+"/context", bob, nil).Want(t, 200).Map(t)
	desc := ctx["descendants"].([]any)
	if len(desc) != 1 || !strings.Contains(fmt.Sprint(desc[0].(map[string]any)["content"]), "hello back") {
		t.Fatalf("the reply is not in the thread on B: %v", desc)
	}
	eventually(t, "bob is notified of the reply, the like and the boost", func() bool {
		types := map[string]bool{}
		for _, n := range B.Do(t, "GET", "/api/v1/notifications", bob, nil).Want(t, 200).List(t) {
			types[fmt.Sprint(n["type"])] = true
		}
		return types["mention"] && types["favourite"] && types["reblog"] && types["follow"]
	})

	// Followers-only: alice (a follower) gets it; carol on the same server does not see it.
	B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "just for my followers", "visibility": "private"}).Want(t, 200)
	var private map[string]any
	eventually(t, "the followers-only post reaches alice", func() bool {
		private = homeHas(t, A, alice, "just for my followers")
		return private != nil
	})
	if private["visibility"] != "private" {
		t.Fatalf("visibility on A: %v", private["visibility"])
	}
	A.Do(t, "GET", "/api/v1/statuses/"+private["id"].(string), carol, nil).Want(t, 404)
	A.Do(t, "GET", "/api/v1/statuses/"+private["id"].(string), "", nil).Want(t, 404)
	A.Do(t, "GET", "/api/v1/statuses/"+private["id"].(string), alice, nil).Want(t, 200)

	// An edit and a delete follow the post.
	B.Do(t, "PUT", "/api/v1/statuses/"+postID, bob, map[string]any{"status": "hello, edited"}).Want(t, 200)
	eventually(t, "the edit reaches A", func() bool {
		s := A.Do(t, "GET", "/api/v1/statuses/"+postOnA, alice, nil).Want(t, 200).Map(t)
		return strings.Contains(fmt.Sprint(s["content"]), "hello, edited") && s["edited_at"] != nil
	})
	B.Do(t, "DELETE", "/api/v1/statuses/"+postID, bob, nil).Want(t, 200)
	eventually(t, "the delete reaches A", func() bool {
		return A.Do(t, "GET", "/api/v1/statuses/"+postOnA, alice, nil).Status == 404
	})

	// A mention of an account A has never seen: A looks it up as the post
	// is made, and the post reaches it.
	_, erin := member(t, B, "erin", true)
	A.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "hi @erin@" + B.Config.Domain + " welcome", "visibility": "direct"}).Want(t, 200)
	var directID string
	eventually(t, "erin is notified of the direct mention", func() bool {
		for _, n := range B.Do(t, "GET", "/api/v1/notifications?types[]=mention", erin, nil).Want(t, 200).List(t) {
			st := n["status"].(map[string]any)
			if strings.Contains(fmt.Sprint(st["content"]), "welcome") && st["visibility"] == "direct" {
				directID = st["id"].(string)
				return true
			}
		}
		return false
	})
	// The direct post reached B's shared inbox; only erin may see it there.
	B.Do(t, "GET", "/api/v1/statuses/"+directID, bob, nil).Want(t, 404)
	B.Do(t, "GET", "/api/v1/statuses/"+directID, "", nil).Want(t, 404)
	B.Do(t, "GET", "/api/v1/statuses/"+directID, erin, nil).Want(t, 200)

	// dave does not share: his posts never leave B, even to followers, nor
	// does bob's reply to or boost of them carry them, or his name, out.
	davePost := B.Do(t, "POST", "/api/v1/statuses", dave, map[string]any{"status": "stays home"}).Want(t, 200).Map(t)
	B.Do(t, "POST", "/api/v1/statuses/"+davePost["id"].(string)+"/reblog", bob, nil).Want(t, 200)
	B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "answering dave", "in_reply_to_id": davePost["id"]}).Want(t, 200)
	var reply map[string]any
	eventually(t, "bob's reply reaches A", func() bool {
		reply = homeHas(t, A, alice, "answering dave")
		return reply != nil
	})
	if reply["in_reply_to_id"] != nil || len(reply["mentions"].([]any)) != 0 {
		t.Fatalf("a reply carried a member who does not share to another server: %v %v", reply["in_reply_to_id"], reply["mentions"])
	}
	for _, s := range A.Do(t, "GET", "/api/v1/timelines/home?limit=40", alice, nil).Want(t, 200).List(t) {
		if strings.Contains(fmt.Sprint(s), "stays home") || strings.Contains(fmt.Sprint(s), "/users/dave") {
			t.Fatalf("a post of a member who does not share reached another server: %v", s)
		}
	}

	// Unfollowing ends it on both sides.
	A.Do(t, "POST", "/api/v1/accounts/"+bobID+"/unfollow", alice, nil).Want(t, 200)
	eventually(t, "bob's server hears of the unfollow", func() bool {
		bobAcc := B.Do(t, "GET", "/api/v1/accounts/verify_credentials", bob, nil).Want(t, 200).Map(t)
		return bobAcc["followers_count"] == 0.0
	})
	B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "after the unfollow"}).Want(t, 200)
	time.Sleep(300 * time.Millisecond)
	if homeHas(t, A, alice, "after the unfollow") != nil {
		t.Fatal("a post arrived after the unfollow")
	}
}

// A member who turns fediverse sharing off leaves the fediverse: the
// servers that knew them drop the account and its posts, and follows
// across servers end on both sides.
func TestStopSharing(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A, B := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
			_, alice := member(t, A, "alice", true)
			bobID, bob := member(t, B, "bob", true)
			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			eventually(t, "the follow is accepted", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "before I stop sharing"}).Want(t, 200)
			var post map[string]any
			eventually(t, "the post arrives", func() bool {
				post = homeHas(t, A, alice, "before I stop sharing")
				return post != nil
			})

			// A profile change reaches the followers' servers.
			B.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, map[string]any{"display_name": "Bob <b>B</b>", "note": "I post here"}).Want(t, 200)
			eventually(t, "the new profile reaches A", func() bool {
				acc := A.Do(t, "GET", "/api/v1/accounts/"+bobOnA, alice, nil).Want(t, 200).Map(t)
				return acc["display_name"] == "Bob <b>B</b>" && strings.Contains(fmt.Sprint(acc["note"]), "I post here")
			})

			B.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, map[string]any{"fediverse_sharing": false}).Want(t, 200)
			eventually(t, "A drops bob and his post", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/"+bobOnA, alice, nil).Status == 404 &&
					A.Do(t, "GET", "/api/v1/statuses/"+post["id"].(string), alice, nil).Status == 404
			})
			eventually(t, "B ends the follow across servers", func() bool {
				return B.Do(t, "GET", "/api/v1/accounts/"+bobID, bob, nil).Want(t, 200).Map(t)["followers_count"] == 0.0
			})
			// bob is no longer there for other servers.
			B.Do(t, "GET", "/users/bob", "", nil).Want(t, 404)
		})
	}
}

// An instance-level block of another server stops the exchange both ways
// and hides its accounts; lifting it brings them back.
func TestInstanceDomainBlock(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A, B := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
			_, alice := member(t, A, "alice", true)
			_, bob := member(t, B, "bob", true)
			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			eventually(t, "the follow is accepted", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})
			aliceOnB := resolve(t, B, bob, "alice@"+A.Config.Domain)["id"].(string)
			B.Do(t, "POST", "/api/v1/accounts/"+aliceOnB+"/follow", bob, nil).Want(t, 200)
			eventually(t, "bob's follow is accepted", func() bool {
				return B.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+aliceOnB, bob, nil).Want(t, 200).List(t)[0]["following"] == true
			})

			_, err := A.Service.BlockInstanceDomain(t.Context(), service.DomainBlockInput{Domain: B.Config.Domain})
			testkit.Must(t, err, "block")
			A.Do(t, "GET", "/api/v1/accounts/"+bobOnA, alice, nil).Want(t, 404)
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "from a blocked server"}).Want(t, 200)
			A.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "not for the blocked server"}).Want(t, 200)
			time.Sleep(500 * time.Millisecond)
			if homeHas(t, A, alice, "from a blocked server") != nil {
				t.Fatal("a post from a blocked server arrived")
			}
			if homeHas(t, B, bob, "not for the blocked server") != nil {
				t.Fatal("a post was delivered to a blocked server")
			}
			res := A.Do(t, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape("dave@"+B.Config.Domain), alice, nil).Want(t, 200).Map(t)
			if len(res["accounts"].([]any)) != 0 {
				t.Fatal("an account of a blocked server was looked up")
			}

			testkit.Must(t, A.Service.UnblockInstanceDomain(t.Context(), B.Config.Domain), "unblock")
			A.Do(t, "GET", "/api/v1/accounts/"+bobOnA, alice, nil).Want(t, 200)
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "after the unblock"}).Want(t, 200)
			eventually(t, "posts arrive again", func() bool { return homeHas(t, A, alice, "after the unblock") != nil })
		})
	}
}

// A server in authorized-fetch (secure) mode serves its documents only to
// signed requests, never to servers it blocks; weft signs every fetch, so
// federation with it works as usual.
func TestAuthorizedFetch(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A := testkit.NewInstance(t, d)
			B := testkit.NewInstanceWith(t, d, func(c *config.Config) { c.AuthorizedFetch = true })
			_, alice := member(t, A, "alice", true)
			_, bob := member(t, B, "bob", true)

			unsigned := func(path string) int {
				req, _ := http.NewRequest("GET", B.URL+path, nil)
				req.Header.Set("Accept", "application/activity+json")
				res, err := http.DefaultClient.Do(req)
				testkit.Must(t, err, "get")
				res.Body.Close()
				return res.StatusCode
			}
			for _, path := range []string{"/users/bob", "/users/bob/outbox", "/users/bob/followers", "/users/bob/collections/featured"} {
				if code := unsigned(path); code != 401 {
					t.Errorf("unsigned GET %s in secure mode: %d, want 401", path, code)
				}
			}
			if code := unsigned("/actor"); code != 200 {
				t.Errorf("the instance actor must stay fetchable unsigned (keys of signed fetches): %d", code)
			}

			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			eventually(t, "the follow is accepted", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})
			post := B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "secure hello"}).Want(t, 200).Map(t)
			eventually(t, "the post arrives", func() bool { return homeHas(t, A, alice, "secure hello") != nil })
			// A post looked up by its URL: a signed fetch.
			res := A.Do(t, "GET", "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(fmt.Sprint(post["uri"])), alice, nil).Want(t, 200).Map(t)
			if len(res["statuses"].([]any)) != 1 {
				t.Fatalf("a post of a secure-mode server was not found by its URL: %v", res)
			}

			// A server B blocks gets nothing, signed or not.
			_, err := B.Service.BlockInstanceDomain(t.Context(), service.DomainBlockInput{Domain: A.Config.Domain})
			testkit.Must(t, err, "block")
			member(t, B, "carol", true)
			res = A.Do(t, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape("carol@"+B.Config.Domain), alice, nil).Want(t, 200).Map(t)
			if len(res["accounts"].([]any)) != 0 {
				t.Fatal("a blocked server fetched an actor document")
			}
		})
	}
}

// A server receives only the replies of people its members follow: opening
// a remote thread fetches the rest from the post's server (its replies
// collection), from wherever they were written.
func TestRepliesFetchedWhenAThreadIsOpened(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A, B, C := testkit.NewInstance(t, d), testkit.NewInstance(t, d), testkit.NewInstance(t, d)
			_, alice := member(t, A, "alice", true)
			_, bob := member(t, B, "bob", true)
			_, carol := member(t, C, "carol", true)
			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			eventually(t, "the follow is accepted", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})
			post := B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "what do you think?"}).Want(t, 200).Map(t)
			var onA map[string]any
			eventually(t, "the post reaches A", func() bool {
				onA = homeHas(t, A, alice, "what do you think?")
				return onA != nil
			})
			// carol (on C, whom nobody on A follows) replies.
			res := C.Do(t, "GET", "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(fmt.Sprint(post["uri"])), carol, nil).Want(t, 200).Map(t)
			onC := res["statuses"].([]any)[0].(map[string]any)["id"].(string)
			C.Do(t, "POST", "/api/v1/statuses", carol, map[string]any{"status": "I think it is fine", "in_reply_to_id": onC}).Want(t, 200)
			eventually(t, "the reply reaches B", func() bool {
				return B.Do(t, "GET", "/api/v1/statuses/"+post["id"].(string), bob, nil).Want(t, 200).Map(t)["replies_count"] == 1.0
			})
			if desc := A.Do(t, "GET", "/api/v1/statuses/"+onA["id"].(string)+"/context", alice, nil).Want(t, 200).Map(t)["descendants"].([]any); len(desc) != 0 {
				t.Fatalf("A knew the reply before anyone opened the thread: %v", desc)
			}
			eventually(t, "opening the thread on A fetches carol's reply", func() bool {
				desc := A.Do(t, "GET", "/api/v1/statuses/"+onA["id"].(string)+"/context", alice, nil).Want(t, 200).Map(t)["descendants"].([]any)
				return len(desc) == 1 && strings.Contains(fmt.Sprint(desc[0].(map[string]any)["content"]), "I think it is fine") &&
					desc[0].(map[string]any)["account"].(map[string]any)["acct"] == "carol@"+C.Config.Domain
			})
		})
	}
}

// A member reports a remote account and asks to forward it: this server's
// moderators get the report, and the account's server gets a Flag from
// this server (not naming the member) that its moderators see.
func TestReportForwarded(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A, B := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
			aliceID, alice := member(t, A, "alice", false) // reporting needs no fediverse sharing
			bobID, bob := member(t, B, "bob", true)
			post := B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "spam spam spam"}).Want(t, 200).Map(t)
			res := A.Do(t, "GET", "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(fmt.Sprint(post["uri"])), alice, nil).Want(t, 200).Map(t)
			onA := res["statuses"].([]any)[0].(map[string]any)
			bobOnA := onA["account"].(map[string]any)["id"].(string)

			rep := A.Do(t, "POST", "/api/v1/reports", alice, map[string]any{"account_id": bobOnA,
				"status_ids": []string{onA["id"].(string)}, "comment": "this is spam", "category": "spam", "forward": true}).Want(t, 200).Map(t)
			if rep["forwarded"] != true || rep["category"] != "spam" || rep["target_account"].(map[string]any)["id"] != bobOnA {
				t.Fatalf("report: %v", rep)
			}
			A.Do(t, "POST", "/api/v1/reports", alice, map[string]any{"account_id": aliceID}).Want(t, 422)
			A.Do(t, "POST", "/api/v1/reports", alice, map[string]any{"account_id": bobOnA, "category": "nonsense"}).Want(t, 422)

			open, err := A.Service.OpenReports(t.Context(), 10)
			testkit.Must(t, err, "reports on A")
			if len(open) != 1 || fmt.Sprint(open[0].AccountID) != aliceID {
				t.Fatalf("reports on A: %+v", open)
			}
			eventually(t, "B's moderators get the forwarded report", func() bool {
				list, err := B.Service.OpenReports(t.Context(), 10)
				testkit.Must(t, err, "reports on B")
				if len(list) != 1 {
					return false
				}
				r := list[0]
				flagger, err := B.Service.AccountByID(t.Context(), r.AccountID)
				testkit.Must(t, err, "flagger")
				if fmt.Sprint(r.TargetAccountID) != bobID || r.Comment != "this is spam" || len(r.StatusIDs) != 1 ||
					fmt.Sprint(r.StatusIDs[0]) != post["id"] {
					t.Fatalf("report on B: %+v", r)
				}
				if flagger.URI != A.URL+"/actor" {
					t.Fatalf("the Flag is from %s, want the instance actor (never the member)", flagger.URI)
				}
				return true
			})
		})
	}
}

// A locked member approves a remote follower by hand; a remote account
// that blocks a member ends their follows and hides from them; a deleted
// account disappears from the other server.
func TestLockedBlockAndDeletion(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A, B := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
			_, alice := member(t, A, "alice", true)
			bobID, bob := member(t, B, "bob", true)
			B.Do(t, "PATCH", "/api/v1/accounts/update_credentials", bob, map[string]any{"locked": true}).Want(t, 200)

			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			var requester string
			eventually(t, "bob sees alice's follow request", func() bool {
				list := B.Do(t, "GET", "/api/v1/follow_requests", bob, nil).Want(t, 200).List(t)
				if len(list) == 1 {
					requester = list[0]["id"].(string)
				}
				return len(list) == 1 && list[0]["acct"] == "alice@"+A.Config.Domain
			})
			time.Sleep(200 * time.Millisecond)
			if rel := A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]; rel["following"] != false || rel["requested"] != true {
				t.Fatalf("a locked account's follow was accepted before approval: %v", rel)
			}
			B.Do(t, "POST", "/api/v1/follow_requests/"+requester+"/authorize", bob, nil).Want(t, 200)
			eventually(t, "the approval reaches A", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "followers only, approved", "visibility": "private"}).Want(t, 200)
			eventually(t, "the approved follower gets followers-only posts", func() bool {
				return homeHas(t, A, alice, "followers only, approved") != nil
			})

			// bob blocks alice: the follow ends on both sides.
			B.Do(t, "POST", "/api/v1/accounts/"+requester+"/block", bob, nil).Want(t, 200)
			eventually(t, "the block reaches A", func() bool {
				rel := A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]
				return rel["following"] == false && rel["blocked_by"] == true
			})
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "after the block", "visibility": "private"}).Want(t, 200)
			time.Sleep(300 * time.Millisecond)
			if homeHas(t, A, alice, "after the block") != nil {
				t.Fatal("a post reached an account its author blocked")
			}
			B.Do(t, "POST", "/api/v1/accounts/"+requester+"/unblock", bob, nil).Want(t, 200)
			eventually(t, "the unblock reaches A", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["blocked_by"] == false
			})

			// Deleting bob's account removes him on A.
			var id int64
			fmt.Sscan(bobID, &id)
			testkit.Must(t, B.Service.DeleteAccount(t.Context(), id), "delete")
			eventually(t, "the deletion reaches A", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/"+bobOnA, alice, nil).Status == 404
			})
		})
	}
}

// A limited server's posts stay out of public and hashtag timelines, but
// reach those who follow its accounts.
func TestInstanceDomainLimit(t *testing.T) {
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			A, B := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
			_, alice := member(t, A, "alice", true)
			_, carol := member(t, A, "carol", false)
			_, bob := member(t, B, "bob", true)
			bobOnA := resolve(t, A, alice, "bob@"+B.Config.Domain)["id"].(string)
			A.Do(t, "POST", "/api/v1/accounts/"+bobOnA+"/follow", alice, nil).Want(t, 200)
			eventually(t, "the follow is accepted", func() bool {
				return A.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+bobOnA, alice, nil).Want(t, 200).List(t)[0]["following"] == true
			})
			_, err := A.Service.BlockInstanceDomain(t.Context(), service.DomainBlockInput{Domain: B.Config.Domain, Severity: "limit"})
			testkit.Must(t, err, "limit")
			B.Do(t, "POST", "/api/v1/statuses", bob, map[string]any{"status": "limited #news"}).Want(t, 200)
			eventually(t, "the follower still gets it", func() bool { return homeHas(t, A, alice, "limited") != nil })
			inPublic := func(token, path string) bool {
				for _, s := range A.Do(t, "GET", path, token, nil).Want(t, 200).List(t) {
					if strings.Contains(fmt.Sprint(s["content"]), "limited") {
						return true
					}
				}
				return false
			}
			for _, path := range []string{"/api/v1/timelines/public", "/api/v1/timelines/tag/news"} {
				if inPublic(carol, path) || inPublic("", path) {
					t.Fatalf("%s shows a limited server's post to a non-follower", path)
				}
				if !inPublic(alice, path) {
					t.Fatalf("%s hides a followed account's post from its follower", path)
				}
			}
			testkit.Must(t, A.Service.UnblockInstanceDomain(t.Context(), B.Config.Domain), "unlimit")
			if !inPublic(carol, "/api/v1/timelines/public") {
				t.Fatal("the post stays hidden after the limit is lifted")
			}
		})
	}
}

// In allow-list mode a server federates with the listed servers only.
func TestFederationAllowlist(t *testing.T) {
	d := testkit.Dialects()[0]
	B, C := testkit.NewInstance(t, d), testkit.NewInstance(t, d)
	A := testkit.NewInstanceWith(t, d, func(c *config.Config) { c.FederationAllowlist = []string{C.Config.Domain} })
	_, alice := member(t, A, "alice", true)
	member(t, B, "bob", true)
	member(t, C, "carol", true)
	res := A.Do(t, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape("bob@"+B.Config.Domain), alice, nil).Want(t, 200).Map(t)
	if len(res["accounts"].([]any)) != 0 {
		t.Fatal("a server outside the allow-list was looked up")
	}
	resolve(t, A, alice, "carol@"+C.Config.Domain)
}
