package federation_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// standIn is a remote inbox that answers with the statuses it is given,
// one per request (then 202), and records when each request came.
type standIn struct {
	mu      sync.Mutex
	answers []int
	at      []time.Time
	srv     *httptest.Server
}

func newStandIn(t *testing.T, answers ...int) *standIn {
	s := &standIn{answers: answers}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if !strings.Contains(string(body), `"type":"Accept"`) {
			w.WriteHeader(http.StatusAccepted) // only the Accept is under test
			return
		}
		s.mu.Lock()
		s.at = append(s.at, time.Now())
		code := http.StatusAccepted
		if len(s.answers) > 0 {
			code, s.answers = s.answers[0], s.answers[1:]
		}
		s.mu.Unlock()
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *standIn) requests() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.at...)
}

// remoteFollower makes a remote account whose inbox is the stand-in, and
// has it follow the member: weft's Accept is the delivery under test.
func remoteFollower(t *testing.T, w *testkit.API, name, targetID string, s *standIn) {
	t.Helper()
	host := strings.TrimPrefix(s.srv.URL, "http://")
	acc, err := w.Service.SaveRemoteAccount(t.Context(), service.RemoteProfile{
		Account: model.Account{Username: name, Domain: host, URI: s.srv.URL + "/users/" + name},
		Actor:   model.RemoteActor{Type: "Person", Inbox: s.srv.URL + "/users/" + name + "/inbox"},
	})
	testkit.Must(t, err, "remote account")
	var target int64
	for _, c := range targetID {
		target = target*10 + int64(c-'0')
	}
	_, err = w.Service.Follow(t.Context(), acc.ID, target, service.FollowOptions{URI: s.srv.URL + "/follows/1"})
	testkit.Must(t, err, "remote follow")
}

// Delivery answers: a 429 is retried after the Retry-After the server
// asked for; a 4xx is final (one request); a 5xx is retried and counted
// as a failure of the server.
func TestDeliveryAnswers(t *testing.T) {
	w := testkit.NewInstance(t, testkit.Dialects()[0])
	aliceID, _ := member(t, w, "alice", true)

	limited := newStandIn(t, http.StatusTooManyRequests)
	remoteFollower(t, w, "ratelimited", aliceID, limited)
	gone := newStandIn(t, http.StatusGone, http.StatusGone)
	remoteFollower(t, w, "gone", aliceID, gone)

	eventually(t, "the rate-limited delivery is retried", func() bool { return len(limited.requests()) == 2 })
	at := limited.requests()
	if wait := at[1].Sub(at[0]); wait < time.Second {
		t.Fatalf("retried after %v, before the server's Retry-After of 1s", wait)
	}
	w.Settle(t)
	if n := len(gone.requests()); n != 1 {
		t.Fatalf("a 410 answer was retried: %d requests", n)
	}
}
