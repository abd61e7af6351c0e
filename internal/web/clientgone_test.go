package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"weft/internal/testkit"
)

// A member whose browser leaves while a form waits (the phone lost signal)
// costs the admin's log nothing: no error page rendered into the void, no
// ERROR line, a 499 in the access counts.
func TestWebClientGoneIsNotAnError(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice := signUp(t, a, "alice")
		tok := alice.get("/").want(t, 200).token(t)
		release := a.HoldWrites(t)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		form := url.Values{"authenticity_token": {tok}, "status": {"sent from a tunnel"}, "visibility": {"public"}, "return_to": {"/"}}
		req, _ := http.NewRequestWithContext(ctx, "POST", a.URL+"/statuses", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res, err := alice.c.Do(req); !errors.Is(err, context.DeadlineExceeded) {
			if res != nil {
				res.Body.Close()
			}
			t.Fatalf("the post should still be waiting when the browser leaves: %v %v", res, err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(alice.get("/metrics").body, `code="499",method="POST",route="POST /statuses"`) {
			if time.Now().After(deadline) {
				t.Fatalf("no 499 counted:\n%s\n%s", alice.get("/metrics").body, a.Log.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		release()
		if m := alice.get("/metrics").body; strings.Contains(m, `code="500"`) {
			t.Error("a 500 was counted")
		}
		for _, line := range strings.Split(a.Log.String(), "\n") {
			if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
				t.Errorf("logged: %s", line)
			}
		}
		alice.get("/").want(t, 200)
		if strings.Contains(alice.get("/@alice").body, "sent from a tunnel") {
			t.Error("the abandoned post was made")
		}
	})
}
