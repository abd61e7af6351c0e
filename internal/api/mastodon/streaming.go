package mastodon

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"weft/internal/httpx"
	"weft/internal/service"
	"weft/internal/stream"
)

// streamingRoutes registers Mastodon's streaming API: one WebSocket that
// carries any number of streams, the same streams one per request as
// server-sent events, and the health check. Every stream needs a user's
// token, as on Mastodon since 4.2.
func (a *API) streamingRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/streaming/health", streamingHealth)
	mux.HandleFunc("GET /api/v1/streaming", a.streamWebSocket)
	for path, name := range sseStreams {
		mux.HandleFunc("GET /api/v1/streaming/"+path, a.streamSSE(name))
	}
}

// sseStreams maps the paths of the server-sent-event forms to stream names.
var sseStreams = map[string]string{
	"user": "user", "user/notification": "user:notification", "direct": "direct", "list": "list",
	"public": "public", "public/local": "public:local", "public/remote": "public:remote",
	"hashtag": "hashtag", "hashtag/local": "hashtag:local",
}

func streamingHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "OK")
}

// bus is the event bus the service publishes to, nil when it publishes
// nowhere (then there is nothing to stream).
func (a *API) bus() *stream.Bus {
	b, _ := a.svc.Publisher().(*stream.Bus)
	return b
}

var errNoStreaming = &streamError{http.StatusServiceUnavailable, "Streaming is not available"}

// streamToken finds the access token of a streaming request: the
// Authorization header, the access_token parameter, or — for browsers,
// which cannot set headers on a WebSocket — the Sec-WebSocket-Protocol
// header, which must then be echoed back.
func streamToken(r *http.Request) string {
	if tok := bearer(r); tok != "" {
		return tok
	}
	return offeredProtocol(r)
}

// offeredProtocol is the first WebSocket subprotocol the client offers.
func offeredProtocol(r *http.Request) string {
	for _, p := range strings.Split(r.Header.Get("Sec-WebSocket-Protocol"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			return p
		}
	}
	return ""
}

// streamCaller authenticates a streaming request: a valid token acting for
// an account (app-only tokens cannot stream, as on Mastodon), with fewer
// than maxStreamsPerToken streams open on this process. release ends the
// stream's count.
func (a *API) streamCaller(ctx context.Context, token string) (caller *service.Caller, release func(), err error) {
	if token == "" {
		return nil, nil, &streamError{http.StatusUnauthorized, "Missing access token"}
	}
	caller, err = a.svc.TokenCaller(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	if caller.Account == nil {
		return nil, nil, &streamError{http.StatusUnauthorized, "Invalid access token"}
	}
	release, ok := a.streams.open(caller.Token.ID)
	if !ok {
		return nil, nil, &streamError{http.StatusTooManyRequests, "Too many streams open for this token"}
	}
	return caller, release, nil
}

// maxStreamsPerToken bounds the streams one token keeps open (per process):
// an app needs a few (user, notifications, a list or two); a thousand is
// an attack on the server's memory and file descriptors.
const maxStreamsPerToken = 16

// streamCounts counts the open streams of each token.
type streamCounts struct {
	mu sync.Mutex
	n  map[int64]int
}

func (c *streamCounts) open(tokenID int64) (release func(), ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[int64]int{}
	}
	if c.n[tokenID] >= maxStreamsPerToken {
		return nil, false
	}
	c.n[tokenID]++
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.n[tokenID]--; c.n[tokenID] <= 0 {
				delete(c.n, tokenID)
			}
		})
	}, true
}

// streamFail answers a refused streaming request with Mastodon's error JSON.
func (a *API) streamFail(w http.ResponseWriter, r *http.Request, err error) {
	if se, ok := err.(*streamError); ok {
		httpx.WriteJSON(w, se.status, httpx.ErrorBody{Error: se.msg})
		return
	}
	httpx.WriteError(w, r, a.log, err)
}

// keepOpen lifts the server's read and write deadlines from a streaming
// connection, which lives far longer than any request.
func keepOpen(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
}

// streamSSE serves one stream as server-sent events: "event: update" and
// "data: <entity JSON>" per event, and a ":thump" comment as keep-alive.
func (a *API) streamSSE(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		bus := a.bus()
		if bus == nil {
			a.streamFail(w, r, errNoStreaming)
			return
		}
		caller, release, err := a.streamCaller(r.Context(), streamToken(r))
		if err != nil {
			a.streamFail(w, r, err)
			return
		}
		defer release()
		sess := a.newSession(caller, bus)
		defer sess.close()
		q := r.URL.Query()
		ch, err := sess.resolve(r.Context(), name, q.Get("tag"), q.Get("list"))
		if err != nil {
			a.streamFail(w, r, err)
			return
		}
		sess.subscribe(ch)
		keepOpen(w)
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // proxies must pass events on at once
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		if rc.Flush() != nil {
			return
		}
		a.pumpSSE(r.Context(), w, rc, sess, bus.KeepAlive())
	}
}

func (a *API) pumpSSE(ctx context.Context, w io.Writer, rc *http.ResponseController, sess *session, keepAlive time.Duration) {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-sess.sub.Done():
			return // dropped for being slow, or shutting down: the client reconnects
		case ev := <-sess.sub.Events():
			d, ok := sess.handle(ctx, ev)
			if !ok {
				continue
			}
			_, err = io.WriteString(w, "event: "+d.event+"\ndata: "+d.payload+"\n\n")
		case <-tick.C:
			_, err = io.WriteString(w, ":thump\n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return
		}
	}
}
