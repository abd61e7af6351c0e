package mastodon_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// streamWait bounds every wait for a streamed event.
const streamWait = 10 * time.Second

// wsMsg is a message from the streaming WebSocket: an event, or an error.
type wsMsg struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
	Error   string   `json:"error"`
	Status  int      `json:"status"`
}

func (m wsMsg) on(stream ...string) bool {
	return strings.Join(m.Stream, "|") == strings.Join(stream, "|")
}

// entity decodes the payload, a JSON document inside a JSON string.
func (m wsMsg) entity(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(m.Payload), &v); err != nil {
		t.Fatalf("%s payload %q: %v", m.Event, m.Payload, err)
	}
	return v
}

type wsClient struct {
	t *testing.T
	c *websocket.Conn
}

func wsURL(base, query string) string {
	return "ws" + strings.TrimPrefix(base, "http") + "/api/v1/streaming?" + query
}

// dialStream opens the streaming WebSocket of the server at base with a
// bearer token, following the streams of query (e.g. "stream=user").
func dialStream(t *testing.T, base, token, query string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), streamWait)
	defer cancel()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	c, res, err := websocket.Dial(ctx, wsURL(base, query), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial streaming (%d): %v", status, err)
	}
	t.Cleanup(func() { c.CloseNow() })
	w := &wsClient{t: t, c: c}
	w.sync()
	return w
}

func (w *wsClient) send(v any) {
	w.t.Helper()
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), streamWait)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, b); err != nil {
		w.t.Fatalf("send %s: %v", b, err)
	}
}

func (w *wsClient) subscribe(stream string, extra ...string) {
	w.t.Helper()
	m := map[string]string{"type": "subscribe", "stream": stream}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	w.send(m)
}

// next reads the next message, failing after streamWait.
func (w *wsClient) next() wsMsg {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), streamWait)
	defer cancel()
	_, b, err := w.c.Read(ctx)
	if err != nil {
		w.t.Fatalf("read streaming message: %v", err)
	}
	var m wsMsg
	if err := json.Unmarshal(b, &m); err != nil {
		w.t.Fatalf("message %s: %v", b, err)
	}
	return m
}

// sync waits until the server has handled everything sent so far: it
// answers requests in order, and an unknown stream gets an error back.
func (w *wsClient) sync() {
	w.t.Helper()
	w.subscribe("no-such-stream")
	for {
		if m := w.next(); m.Error == "Unknown stream type" {
			return
		} else if m.Error != "" {
			w.t.Fatalf("error while syncing: %+v", m)
		}
	}
}

// until reads messages up to one that done accepts, returning them all.
func (w *wsClient) until(done func(wsMsg) bool) []wsMsg {
	w.t.Helper()
	var seen []wsMsg
	for {
		m := w.next()
		seen = append(seen, m)
		if done(m) {
			return seen
		}
	}
}

// event waits for an event of kind on stream, skipping others.
func (w *wsClient) event(kind string, stream ...string) wsMsg {
	w.t.Helper()
	seen := w.until(func(m wsMsg) bool { return m.Event == kind && m.on(stream...) })
	return seen[len(seen)-1]
}

// post publishes a status through the API and returns its ID.
func post(t *testing.T, a *testkit.API, token string, form url.Values) string {
	t.Helper()
	return a.Do(t, "POST", "/api/v1/statuses", token, form).Want(t, 200).Map(t)["id"].(string)
}

func follow(t *testing.T, a *testkit.API, who, whom *model.Account) {
	t.Helper()
	if _, err := a.Service.Follow(context.Background(), who.ID, whom.ID, service.FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	a.Settle(t)
}

// mentions reports whether any message carries the status id: as an update's
// entity, a notification's status, or a delete.
func mentions(t *testing.T, msgs []wsMsg, id string) bool {
	for _, m := range msgs {
		if m.Error != "" {
			continue
		}
		if m.Payload == id || strings.Contains(m.Payload, `"id":"`+id+`"`) {
			return true
		}
	}
	return false
}

// sseStream is a server-sent-events response being read line by line.
type sseStream struct {
	t    *testing.T
	res  *http.Response
	scan *bufio.Scanner
	line chan string
}

func openSSE(t *testing.T, client *http.Client, base, path, token string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	s := &sseStream{t: t, res: res, scan: bufio.NewScanner(res.Body), line: make(chan string, 100)}
	go func() {
		defer close(s.line)
		for s.scan.Scan() {
			s.line <- s.scan.Text()
		}
	}()
	return s
}

// next returns the next line, failing after streamWait.
func (s *sseStream) next() string {
	s.t.Helper()
	select {
	case l, ok := <-s.line:
		if !ok {
			s.t.Fatal("event stream ended")
		}
		return l
	case <-time.After(streamWait):
		s.t.Fatal("no line within", streamWait)
	}
	return ""
}

// event waits for an event of kind and returns its data.
func (s *sseStream) event(kind string) string {
	s.t.Helper()
	for {
		if s.next() == "event: "+kind {
			data, ok := strings.CutPrefix(s.next(), "data: ")
			if !ok {
				s.t.Fatalf("event %s without data", kind)
			}
			return data
		}
	}
}
