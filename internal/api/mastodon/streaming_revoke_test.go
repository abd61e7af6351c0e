package mastodon_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"

	"weft/internal/service"
	"weft/internal/testkit"
)

// A stream ends when its authority does: a WebSocket when its token is
// revoked (closed with 1008, policy violation) or its account suspended;
// a server-sent stream likewise. Before, they kept delivering —
// followers-only posts included.
func TestStreamsEndWithTheirAuthority(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		closedWith := func(ws *wsClient) websocket.StatusCode {
			t.Helper()
			ctx, cancel := context.WithTimeout(context.Background(), streamWait)
			defer cancel()
			for {
				if _, _, err := ws.c.Read(ctx); err != nil {
					if errors.Is(err, context.DeadlineExceeded) {
						t.Fatal("the stream is still open")
					}
					return websocket.CloseStatus(err)
				}
			}
		}

		// Revoking the token (the admin's way; /oauth/revoke below).
		ws := dialStream(t, a.URL, aliceTok, "stream=user")
		testkit.Must(t, a.Service.RevokeTokenValue(context.Background(), aliceTok), "revoke")
		if code := closedWith(ws); code != websocket.StatusPolicyViolation {
			t.Fatalf("revoked token: closed with %v", code)
		}
		a.Do(t, "GET", "/api/v1/streaming/user", aliceTok, nil).Want(t, 401)

		// Suspending the account: every stream of it, SSE included.
		ws = dialStream(t, a.URL, bobTok, "stream=user")
		sse := openSSE(t, a.Client, a.URL, "/api/v1/streaming/user", bobTok)
		bob := accountID(t, a, bobTok)
		testkit.Must(t, a.Service.SuspendAccount(context.Background(), bob), "suspend")
		if code := closedWith(ws); code != websocket.StatusPolicyViolation {
			t.Fatalf("suspended account: closed with %v", code)
		}
		sseEnds(t, sse)

		// An app's token revoked through /oauth/revoke.
		app := a.Do(t, "POST", "/api/v1/apps", "", map[string]any{"client_name": "app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
			"scopes": "read"}).Want(t, 200).Map(t)
		appTok := issueForApp(t, a, app, alice.ID)
		sse = openSSE(t, a.Client, a.URL, "/api/v1/streaming/public", appTok)
		a.Do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {app["client_id"].(string)},
			"client_secret": {app["client_secret"].(string)}, "token": {appTok}}).Want(t, 200)
		sseEnds(t, sse)
	})
}

// sseEnds waits (bounded) for a server-sent stream to end.
func sseEnds(t *testing.T, s *sseStream) {
	t.Helper()
	deadline := time.After(streamWait)
	for {
		select {
		case _, ok := <-s.line:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the event stream is still open")
		}
	}
}

// issueForApp has an account authorize an app (the consent page's work)
// and the app exchange the code for a token.
func issueForApp(t *testing.T, a *testkit.API, app map[string]any, accountID int64) string {
	t.Helper()
	id, secret := app["client_id"].(string), app["client_secret"].(string)
	code, err := a.Service.IssueAuthCode(context.Background(), accountID, service.AuthorizeRequest{ClientID: id,
		RedirectURI: service.OOB, Scope: "read"})
	testkit.Must(t, err, "authorization code")
	tok := a.Do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {id}, "client_secret": {secret}, "redirect_uri": {service.OOB}}).Want(t, 200).Map(t)
	return tok["access_token"].(string)
}

func accountID(t *testing.T, a *testkit.API, token string) int64 {
	t.Helper()
	var me struct {
		ID string `json:"id"`
	}
	a.Do(t, "GET", "/api/v1/accounts/verify_credentials", token, nil).Want(t, 200).JSON(t, &me)
	var id int64
	for _, c := range me.ID {
		id = id*10 + int64(c-'0')
	}
	return id
}

// One token keeps at most 16 streams open at once (a thousand were
// accepted before); closing one makes room.
func TestStreamsPerToken(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, tok := a.Account(t, "alice")
	var open []*sseStream
	for range 16 {
		open = append(open, openSSE(t, a.Client, a.URL, "/api/v1/streaming/public", tok))
	}
	if r := a.Do(t, "GET", "/api/v1/streaming/public", tok, nil); r.Status != 429 {
		t.Fatalf("the 17th stream: %d", r.Status)
	}
	open[0].res.Body.Close()
	// The server notices the closed connection, then counts it out.
	deadline := time.Now().Add(streamWait)
	for {
		req, err := http.NewRequest("GET", a.URL+"/api/v1/streaming/public", nil)
		testkit.Must(t, err, "request")
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := a.Client.Do(req)
		testkit.Must(t, err, "stream")
		res.Body.Close()
		if res.StatusCode == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no room after closing a stream: %d", res.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
