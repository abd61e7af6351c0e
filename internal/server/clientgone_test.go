package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// A client that leaves while its request waits (wrk stopping, a phone
// losing signal) is not a server error: nothing at warn or error reaches
// the log, the request counts as 499 in the metrics, and its post is not
// half-made.
func TestClientGoneIsNotAnError(t *testing.T) {
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, tok := a.Account(t, "alice")
		ctx := context.Background()
		release := a.HoldWrites(t) // so that the post waits
		rctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(rctx, "POST", a.URL+"/api/v1/statuses", strings.NewReader(`{"status":"lost in the tunnel"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if res, err := a.Client.Do(req); !errors.Is(err, context.DeadlineExceeded) {
			if res != nil {
				res.Body.Close()
			}
			t.Fatalf("the post should still be waiting when the client leaves: %v %v", res, err)
		}
		// The server sees the connection close and gives up on the request.
		metric := `weft_http_requests_total{code="499",method="POST",route="POST /api/v1/statuses"} 1`
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(metrics(t, a), metric) {
			if time.Now().After(deadline) {
				t.Fatalf("no 499 counted:\n%s", requestCounts(metrics(t, a)))
			}
			time.Sleep(20 * time.Millisecond)
		}
		release()
		if m := metrics(t, a); strings.Contains(m, `code="500"`) {
			t.Errorf("a 500 was counted:\n%s", requestCounts(m))
		}
		for _, line := range strings.Split(a.Log.String(), "\n") {
			if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
				t.Errorf("logged: %s", line)
			}
		}
		r := a.Do(t, "GET", "/api/v1/timelines/home", tok, nil)
		if r.Status != 200 || strings.Contains(string(r.Body), "lost in the tunnel") {
			t.Fatalf("after the client left: %d %s", r.Status, r.Body)
		}
	})
}

func metrics(t *testing.T, a *testkit.API) string {
	t.Helper()
	res, err := a.Client.Get(a.URL + "/metrics")
	testkit.Must(t, err, "metrics")
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// requestCounts keeps the request counters of a metrics page.
func requestCounts(metrics string) string {
	var out []string
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, "weft_http_requests_total{") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
