package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"weft/internal/stream"
	"weft/internal/text"
)

const (
	wsWriteTimeout = 10 * time.Second
	wsPongTimeout  = 30 * time.Second
	wsReadLimit    = 16 << 10 // client messages are small subscribe requests
)

// wsMessage is what the server sends: Mastodon's payload is the entity's
// JSON as a string (the ID for a delete), not an object.
type wsMessage struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// wsError is how Mastodon tells a WebSocket client a request failed.
type wsError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// wsRequest is what a client sends: subscribe or unsubscribe a stream.
type wsRequest struct {
	Type   string     `json:"type"`
	Stream string     `json:"stream"`
	Tag    string     `json:"tag"`
	List   flexString `json:"list"`
}

// flexString accepts a JSON string or number (list IDs come as both).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// streamWebSocket serves /api/v1/streaming: authenticate, upgrade, follow
// the stream named in the query if any, then the client's subscribe and
// unsubscribe messages, until either side goes.
func (a *API) streamWebSocket(w http.ResponseWriter, r *http.Request) {
	bus := a.bus()
	if bus == nil {
		a.streamFail(w, r, errNoStreaming)
		return
	}
	tok := streamToken(r)
	caller, release, err := a.streamCaller(r.Context(), tok)
	if err != nil {
		a.streamFail(w, r, err)
		return
	}
	defer release()
	keepOpen(w)
	// Any origin: the token authenticates, never a cookie, so a page on
	// another site gains nothing it does not hold already.
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if offeredProtocol(r) == tok {
		opts.Subprotocols = []string{tok} // clients refuse a connection that does not echo it
	}
	c, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept has answered
	}
	defer c.CloseNow()
	c.SetReadLimit(wsReadLimit)
	sess := a.newSession(caller, bus)
	defer sess.close()
	// The request's context ends with the hijacked request; keep its values.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	ws := &wsConn{a: a, c: c, sess: sess}
	if q := r.URL.Query(); q.Get("stream") != "" {
		ws.request(ctx, wsRequest{Type: "subscribe", Stream: q.Get("stream"), Tag: q.Get("tag"), List: flexString(q.Get("list"))})
	}
	go ws.readLoop(ctx, cancel)
	go ws.pingLoop(ctx, cancel, bus.KeepAlive())
	ws.writeLoop(ctx)
}

// wsConn is one WebSocket client. Its methods run on three goroutines:
// reading requests, sending events, and pinging; the WebSocket allows
// concurrent writes.
type wsConn struct {
	a    *API
	c    *websocket.Conn
	sess *session
}

func (ws *wsConn) send(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, wsWriteTimeout)
	defer cancel()
	return ws.c.Write(ctx, websocket.MessageText, b)
}

// writeLoop sends the subscription's events until the client goes or the
// subscription ends.
func (ws *wsConn) writeLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ws.sess.sub.Done():
			switch err := ws.sess.sub.Err(); {
			case errors.Is(err, stream.ErrSlow):
				_ = ws.c.Close(websocket.StatusTryAgainLater, "too slow")
			case errors.Is(err, stream.ErrRevoked):
				_ = ws.c.Close(websocket.StatusPolicyViolation, "access revoked")
			default:
				_ = ws.c.Close(websocket.StatusGoingAway, "server shutting down")
			}
			return
		case ev := <-ws.sess.sub.Events():
			d, ok := ws.sess.handle(ctx, ev)
			if !ok {
				continue
			}
			for _, ch := range d.channels {
				if err := ws.send(ctx, wsMessage{Stream: ch.streamField(), Event: d.event, Payload: d.payload}); err != nil {
					return
				}
			}
		}
	}
}

// readLoop handles the client's requests; it also answers pings and the
// closing handshake, so it runs for the whole connection.
func (ws *wsConn) readLoop(ctx context.Context, cancel context.CancelFunc) {
	defer cancel()
	for {
		typ, data, err := ws.c.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText || len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		var req wsRequest
		if err := json.Unmarshal(data, &req); err != nil {
			if ws.send(ctx, wsError{Error: "Error parsing message", Status: http.StatusBadRequest}) != nil {
				return
			}
			continue
		}
		ws.request(ctx, req)
	}
}

// request subscribes or unsubscribes; a refused one is answered with an
// error message and the connection stays open, as on Mastodon.
func (ws *wsConn) request(ctx context.Context, req wsRequest) {
	var err error
	switch req.Type {
	case "subscribe":
		var ch channel
		if ch, err = ws.sess.resolve(ctx, req.Stream, req.Tag, string(req.List)); err == nil {
			ws.sess.subscribe(ch)
		}
	case "unsubscribe":
		ch := channel{name: req.Stream, key: string(req.List)}
		if req.Tag != "" {
			ch.key = text.TagKey(strings.TrimPrefix(req.Tag, "#"))
		}
		ws.sess.unsubscribe(ch)
	default:
		return // unknown messages are ignored, as on Mastodon
	}
	if err != nil {
		status, msg := http.StatusInternalServerError, "Internal server error"
		var se *streamError
		if errors.As(err, &se) {
			status, msg = se.status, se.msg
		} else if ctx.Err() == nil {
			ws.a.log.WarnContext(ctx, "stream: subscribe", "err", err)
		}
		_ = ws.send(ctx, wsError{Error: msg, Status: status})
	}
}

// pingLoop pings the client at the keep-alive interval, so proxies keep the
// connection open and a vanished client is noticed.
func (ws *wsConn) pingLoop(ctx context.Context, cancel context.CancelFunc, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			pctx, done := context.WithTimeout(ctx, wsPongTimeout)
			err := ws.c.Ping(pctx)
			done()
			if err != nil {
				cancel()
				return
			}
		}
	}
}
