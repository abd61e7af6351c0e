package web

import (
	"fmt"
	"net/http"
	"time"

	"weft/internal/stream"
)

// liveHome is GET /streaming/home: the signed-in member's home timeline
// events and new notifications, from the same bus that feeds the streaming
// API, as Server-Sent Events (a session cookie, not a token: it is for the
// web app's own pages). Every signed-in page listens: app.js counts new
// notifications on the Activity badge, and the home page shows a "new
// posts" button. A page without JavaScript shows them when reloaded.
func (w *Web) liveHome(rw http.ResponseWriter, r *http.Request) {
	sess, me, err := w.Current(r)
	if err != nil {
		http.Error(rw, "sign in first", http.StatusUnauthorized)
		return
	}
	bus, _ := w.svc.Publisher().(*stream.Bus)
	// The middlewares wrap the writer; the controller finds its Flush.
	rc := http.NewResponseController(rw)
	if bus == nil {
		http.Error(rw, "live updates are not available", http.StatusServiceUnavailable)
		return
	}
	sub := bus.Subscribe()
	defer sub.Close()
	sub.Add(stream.User(me.ID))
	// Signing out, or the account's suspension, ends the stream.
	sub.Add(stream.Session(sess.Key))
	sub.Add(stream.Access(me.ID))
	h := rw.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy must not hold the events back
	rw.WriteHeader(http.StatusOK)
	fmt.Fprint(rw, "retry: 10000\n\n")
	if err := rc.Flush(); err != nil {
		return // this writer cannot stream
	}
	keepAlive := time.NewTicker(30 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-sub.Done():
			return
		case <-keepAlive.C:
			fmt.Fprint(rw, ": keep-alive\n\n")
		case ev := <-sub.Events():
			switch {
			case ev.Kind == "update" && ev.StatusID != 0:
				fmt.Fprintf(rw, "event: update\ndata: %d\n\n", ev.StatusID)
			case ev.Kind == "notification" && ev.NotificationID != 0:
				fmt.Fprintf(rw, "event: notification\ndata: %d\n\n", ev.NotificationID)
			default:
				continue // deletions and edits show on the next load
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
