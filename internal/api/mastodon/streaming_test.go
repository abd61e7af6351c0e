package mastodon_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"weft/internal/testkit"
)

func TestStreamingHealth(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	r := a.Do(t, "GET", "/api/v1/streaming/health", "", nil).Want(t, 200)
	if string(r.Body) != "OK" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("health: %q %s", r.Body, r.Header.Get("Content-Type"))
	}
}

// A follower's user stream gets the post, a mention notification, the
// edit and the deletion, each rendered as Mastodon does.
func TestStreamingUserStream(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		follow(t, a, alice, bob)
		ws := dialStream(t, a.URL, aliceTok, "stream=user")

		id := post(t, a, bobTok, url.Values{"status": {"hello @alice"}})
		up := ws.event("update", "user")
		if s := up.entity(t); s["id"] != id || s["content"] == "" || s["account"].(map[string]any)["acct"] != "bob" {
			t.Fatalf("update payload: %v", s)
		}
		n := ws.event("notification", "user").entity(t)
		if n["type"] != "mention" || n["status"].(map[string]any)["id"] != id || n["account"].(map[string]any)["id"] != idOf(bob.ID) {
			t.Fatalf("notification payload: %v", n)
		}

		a.Do(t, "PUT", "/api/v1/statuses/"+id, bobTok, url.Values{"status": {"hello again @alice"}}).Want(t, 200)
		edited := ws.event("status.update", "user").entity(t)
		if edited["id"] != id || !strings.Contains(edited["content"].(string), "again") || edited["edited_at"] == nil {
			t.Fatalf("status.update payload: %v", edited)
		}

		a.Do(t, "DELETE", "/api/v1/statuses/"+id, bobTok, nil).Want(t, 200)
		if del := ws.event("delete", "user"); del.Payload != id {
			t.Fatalf("delete payload %q, want the ID %s", del.Payload, id)
		}
	})
}

// The author's own streams hear of their post and its deletion at once.
func TestStreamingOwnPostsAndNotificationStream(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, aliceTok := a.Account(t, "alice")
	_, bobTok := a.Account(t, "bob")
	ws := dialStream(t, a.URL, aliceTok, "stream=user")
	ws.subscribe("user:notification")
	ws.sync()

	id := post(t, a, aliceTok, url.Values{"status": {"mine"}})
	if s := ws.event("update", "user").entity(t); s["id"] != id {
		t.Fatalf("own update: %v", s)
	}
	a.Do(t, "POST", "/api/v1/statuses/"+id+"/favourite", bobTok, nil).Want(t, 200)
	// One notification, on both streams that carry it: "user" first.
	got := ws.until(func(m wsMsg) bool { return m.Event == "notification" && m.on("user:notification") })
	if n := got[len(got)-1].entity(t); n["type"] != "favourite" || n["status"].(map[string]any)["id"] != id {
		t.Fatalf("notification stream: %v", n)
	}
	if len(got) < 2 || !got[len(got)-2].on("user") || got[len(got)-2].Payload != got[len(got)-1].Payload {
		t.Fatalf("user stream missed the notification: %+v", got)
	}
	a.Do(t, "DELETE", "/api/v1/statuses/"+id, aliceTok, nil).Want(t, 200)
	if ws.event("delete", "user").Payload != id {
		t.Fatal("own delete")
	}
}

// Browsers send the token as the WebSocket subprotocol, and refuse the
// connection unless the server selects it.
func TestStreamingTokenAsSubprotocol(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, tok := a.Account(t, "alice")
	ctx, cancel := context.WithTimeout(context.Background(), streamWait)
	defer cancel()
	c, res, err := websocket.Dial(ctx, wsURL(a.URL, "stream=public"), &websocket.DialOptions{Subprotocols: []string{tok}})
	if err != nil {
		t.Fatal(err)
	}
	ws := &wsClient{t: t, c: c}
	t.Cleanup(func() { c.CloseNow() })
	if c.Subprotocol() != tok || res.Header.Get("Sec-WebSocket-Protocol") != tok {
		t.Fatalf("selected subprotocol %q, header %q", c.Subprotocol(), res.Header.Get("Sec-WebSocket-Protocol"))
	}
	ws.sync()
	id := post(t, a, tok, url.Values{"status": {"public"}})
	if ws.event("update", "public").entity(t)["id"] != id {
		t.Fatal("no update over a subprotocol-authenticated socket")
	}

	// The access_token parameter works too.
	q := dialStream(t, a.URL, "", "stream=public&access_token="+url.QueryEscape(tok))
	id = post(t, a, tok, url.Values{"status": {"again"}})
	if q.event("update", "public").entity(t)["id"] != id {
		t.Fatal("no update over an access_token socket")
	}
}

// Every stream needs a user's token; scopes decide which streams.
func TestStreamingAuth(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice := a.QuickAccount(t, "alice")
	ctx, cancel := context.WithTimeout(context.Background(), streamWait)
	defer cancel()
	_, res, err := websocket.Dial(ctx, wsURL(a.URL, "stream=public"), nil)
	if err == nil || res == nil || res.StatusCode != 401 {
		t.Fatalf("anonymous WebSocket: %v %v", err, res)
	}
	a.Do(t, "GET", "/api/v1/streaming/public", "", nil).Want(t, 401)
	a.Do(t, "GET", "/api/v1/streaming/public", "not-a-token", nil).Want(t, 401)

	// An app's own token (no user) cannot stream, as on Mastodon.
	app := a.Do(t, "POST", "/api/v1/apps", "", map[string]any{"client_name": "app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
		"scopes": "read"}).Want(t, 200).Map(t)
	appTok := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {"read"}}).Want(t, 200).Map(t)
	a.Do(t, "GET", "/api/v1/streaming/public", appTok["access_token"].(string), nil).Want(t, 401)

	// write only: public streams yes, the user's own no.
	writeOnly := a.Token(t, alice, "write")
	a.Do(t, "GET", "/api/v1/streaming/user", writeOnly, nil).Want(t, 401)
	ws := dialStream(t, a.URL, writeOnly, "")
	ws.subscribe("user")
	if m := ws.next(); m.Status != 401 || !strings.Contains(m.Error, "scopes") {
		t.Fatalf("user stream with a write token: %+v", m)
	}
	notes := a.Token(t, alice, "read:notifications")
	a.Do(t, "GET", "/api/v1/streaming/direct", notes, nil).Want(t, 401)
	sse := openSSE(t, a.Client, a.URL, "/api/v1/streaming/user/notification", notes)
	sse.res.Body.Close()

	// Bad stream requests get Mastodon's answers.
	full := a.Token(t, alice, "read")
	r := a.Do(t, "GET", "/api/v1/streaming/hashtag", full, nil).Want(t, 400)
	if !strings.Contains(string(r.Body), "No tag") {
		t.Fatalf("hashtag without tag: %s", r.Body)
	}
	a.Do(t, "GET", "/api/v1/streaming/list?list=12345", full, nil).Want(t, 404)
	a.Do(t, "GET", "/api/v1/streaming/nonsense", full, nil).Want(t, 404)
	ws = dialStream(t, a.URL, full, "")
	ws.subscribe("list", "list", "12345")
	if m := ws.next(); m.Status != 404 {
		t.Fatalf("someone else's list: %+v", m)
	}
	ws.subscribe("hashtag")
	if m := ws.next(); m.Status != 400 {
		t.Fatalf("hashtag without tag: %+v", m)
	}
	ws.send("not an object")
	if m := ws.next(); m.Status != 400 {
		t.Fatalf("unreadable message: %+v", m)
	}
}

// The same stream as server-sent events, with ":thump" keep-alives.
func TestStreamingServerSentEvents(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	a.Bus.SetKeepAlive(50 * time.Millisecond)
	_, tok := a.Account(t, "alice")
	s := openSSE(t, a.Client, a.URL, "/api/v1/streaming/hashtag/local?tag=Weft", tok)
	if ct := s.res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	for s.next() != ":thump" {
	}
	id := post(t, a, tok, url.Values{"status": {"hello #wefT"}})
	data := s.event("update")
	if !strings.Contains(data, `"id":"`+id+`"`) || strings.HasPrefix(data, `"`) {
		t.Fatalf("SSE data is not the status JSON: %s", data)
	}
}

// Streams outlive the server's read timeout.
func TestStreamingOutlivesReadTimeout(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, tok := a.Account(t, "alice")
	srv := httptestServerWithTimeouts(t, a)
	ws := dialStream(t, srv.URL, tok, "stream=public")
	s := openSSE(t, srv.Client(), srv.URL, "/api/v1/streaming/public", tok)
	time.Sleep(600 * time.Millisecond) // longer than every timeout of the server
	id := post(t, a, tok, url.Values{"status": {"still here"}})
	if ws.event("update", "public").entity(t)["id"] != id {
		t.Fatal("WebSocket")
	}
	if !strings.Contains(s.event("update"), id) {
		t.Fatal("SSE")
	}
	res, err := srv.Client().Get(srv.URL + "/api/v1/streaming/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "OK" {
		t.Fatalf("health through the timed server: %d %s", res.StatusCode, body)
	}
}

// httptestServerWithTimeouts serves a's handler with short read, write and
// idle timeouts, as a production server has long ones.
func httptestServerWithTimeouts(t *testing.T, a *testkit.API) *httptest.Server {
	srv := httptest.NewUnstartedServer(a.Handler)
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Config.IdleTimeout = 200 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(a.Bus.EndStreams) // runs first: Close waits for open streams
	return srv
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

// Deleting a post also deletes its boosts from the streams that showed them.
func TestStreamingDeleteReachesBoosts(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	carol, carolTok := a.Account(t, "carol")
	dave, daveTok := a.Account(t, "dave")
	_, bobTok := a.Account(t, "bob")
	follow(t, a, carol, dave) // not bob: the boost is how she sees his post
	ws := dialStream(t, a.URL, carolTok, "stream=user")
	id := post(t, a, bobTok, url.Values{"status": {"boost me"}})
	boost := a.Do(t, "POST", "/api/v1/statuses/"+id+"/reblog", daveTok, nil).Want(t, 200).Map(t)["id"].(string)
	if up := ws.event("update", "user").entity(t); up["id"] != boost || up["reblog"].(map[string]any)["id"] != id {
		t.Fatalf("boost update: %v", up)
	}
	a.Do(t, "DELETE", "/api/v1/statuses/"+id, bobTok, nil).Want(t, 200)
	if del := ws.event("delete", "user"); del.Payload != boost {
		t.Fatalf("delete of the boost: %+v", del)
	}
}
