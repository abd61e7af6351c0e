package stream

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"weft/internal/service"
)

// Across processes: every weft process on one PostgreSQL database LISTENs
// on one channel and NOTIFYs its events there. Payloads are small (kind and
// IDs, never rendered JSON: each process renders for its own connections),
// batched up to PostgreSQL's payload limit, and tagged with the sending
// process so it skips its own, which it delivered in memory already.
//
// Two dedicated connections, outside the store's pool: one waits for
// notifications, one sends them from a queue, so Publish never waits on the
// database. A lost connection is redialled with backoff; events published
// meanwhile are lost, as streams are best effort.
const (
	notifyChannel = "weft_stream"
	// maxPayload stays under PostgreSQL's NOTIFY limit (8000 bytes).
	maxPayload  = 7900
	outQueue    = 4096 // events waiting to be sent before new ones are dropped
	maxBatch    = 512  // events taken from the queue per round
	dialTimeout = 10 * time.Second
	maxBackoff  = 30 * time.Second
)

// wireEvent is an event on the wire, with short keys.
type wireEvent struct {
	Kind         string `json:"k"`
	Account      int64  `json:"a,omitempty"`
	Status       int64  `json:"s,omitempty"`
	Notification int64  `json:"n,omitempty"`
	Stream       string `json:"st,omitempty"`
	Tag          string `json:"t,omitempty"`
	Local        bool   `json:"l,omitempty"`
	List         int64  `json:"li,omitempty"`
	Token        int64  `json:"tk,omitempty"`
	Session      string `json:"se,omitempty"`
}

func toWire(ev service.Event) wireEvent {
	return wireEvent{Kind: ev.Kind, Account: ev.AccountID, Status: ev.StatusID, Notification: ev.NotificationID,
		Stream: ev.Stream, Tag: ev.Tag, Local: ev.Local, List: ev.ListID, Token: ev.TokenID, Session: ev.SessionKey}
}

func (w wireEvent) event() service.Event {
	return service.Event{Kind: w.Kind, AccountID: w.Account, StatusID: w.Status, NotificationID: w.Notification,
		Stream: w.Stream, Tag: w.Tag, Local: w.Local, ListID: w.List, TokenID: w.Token, SessionKey: w.Session}
}

// wireBatch is one NOTIFY payload: the sending process and its events.
type wireBatch struct {
	Origin string      `json:"o"`
	Events []wireEvent `json:"e"`
}

// relay carries events between the processes on one database.
type relay struct {
	bus     *Bus
	url     string
	origin  string // this process, so it skips its own notifications
	out     chan service.Event
	dropped atomic.Int64
	stopped atomic.Bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func startRelay(ctx context.Context, b *Bus, url string) (*relay, error) {
	r := &relay{bus: b, url: url, origin: strconv.FormatUint(rand.Uint64(), 36), out: make(chan service.Event, outQueue)}
	listener, err := r.dial(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("stream: listen on PostgreSQL: %w", err)
	}
	sender, err := r.dial(ctx, false)
	if err != nil {
		closeConn(listener)
		return nil, fmt.Errorf("stream: connect to PostgreSQL: %w", err)
	}
	run, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.wg.Add(2)
	go r.listen(run, listener)
	go r.sendLoop(run, sender)
	return r, nil
}

// send queues ev for the other processes, dropping it when the queue is
// full (the database is down or slow).
func (r *relay) send(ev service.Event) {
	if r.stopped.Load() {
		return
	}
	select {
	case r.out <- ev:
	default:
		if n := r.dropped.Add(1); n&(n-1) == 0 { // 1, 2, 4, 8 …: a trickle of warnings, not a flood
			r.bus.log.Warn("stream: PostgreSQL send queue full, events dropped", "dropped", n)
		}
	}
}

// stopOnce ends both loops and closes their connections; again is harmless.
func (r *relay) stopOnce() {
	if r.stopped.Swap(true) {
		return
	}
	r.cancel()
	r.wg.Wait()
}

// dial opens one connection; a listening one also LISTENs.
func (r *relay) dial(ctx context.Context, listen bool) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, r.url)
	if err != nil {
		return nil, err
	}
	if listen {
		if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
			closeConn(conn)
			return nil, err
		}
	}
	return conn, nil
}

// redial dials until it succeeds, waiting longer after each failure (with
// jitter, so processes do not reconnect in step); nil once ctx ends.
func (r *relay) redial(ctx context.Context, listen bool) *pgx.Conn {
	delay := 100 * time.Millisecond
	for {
		conn, err := r.dial(ctx, listen)
		if err == nil {
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		r.bus.log.Warn("stream: connect to PostgreSQL", "listen", listen, "err", err, "retry_in", delay.String())
		wait := delay/2 + rand.N(delay/2+1)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		delay = min(delay*2, maxBackoff)
	}
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}

// listen delivers the other processes' events to this one's subscribers.
func (r *relay) listen(ctx context.Context, conn *pgx.Conn) {
	defer r.wg.Done()
	for {
		if conn == nil {
			if conn = r.redial(ctx, true); conn == nil {
				return
			}
			r.bus.log.Info("stream: listening on PostgreSQL again")
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			closeConn(conn)
			conn = nil
			if ctx.Err() != nil {
				return
			}
			r.bus.log.Warn("stream: lost the PostgreSQL listener", "err", err)
			continue
		}
		r.receive(n.Payload)
	}
}

func (r *relay) receive(payload string) {
	var b wireBatch
	if err := json.Unmarshal([]byte(payload), &b); err != nil {
		r.bus.log.Warn("stream: unreadable notification", "err", err)
		return
	}
	if b.Origin == r.origin {
		return // delivered in memory when published
	}
	for _, w := range b.Events {
		r.bus.deliver(w.event())
	}
}

// sendLoop sends queued events, as few NOTIFYs as the payload limit allows.
func (r *relay) sendLoop(ctx context.Context, conn *pgx.Conn) {
	defer r.wg.Done()
	defer func() {
		if conn != nil {
			closeConn(conn)
		}
	}()
	batch := make([]service.Event, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case <-ctx.Done():
			return
		case ev := <-r.out:
			batch = append(batch, ev)
		}
	more:
		for len(batch) < maxBatch {
			select {
			case ev := <-r.out:
				batch = append(batch, ev)
			default:
				break more
			}
		}
		for _, p := range r.payloads(batch) {
			if conn = r.notify(ctx, conn, p); ctx.Err() != nil {
				return
			}
		}
	}
}

// notify sends one payload, redialling once if the connection broke. It
// returns the connection to use next (nil if it is broken).
func (r *relay) notify(ctx context.Context, conn *pgx.Conn, payload string) *pgx.Conn {
	for attempt := 0; attempt < 2; attempt++ {
		if conn == nil {
			if conn = r.redial(ctx, false); conn == nil {
				return nil
			}
		}
		ectx, cancel := context.WithTimeout(ctx, dialTimeout)
		_, err := conn.Exec(ectx, "SELECT pg_notify($1, $2)", notifyChannel, payload)
		cancel()
		if err == nil {
			return conn
		}
		closeConn(conn)
		conn = nil
		if ctx.Err() != nil {
			return nil
		}
		r.bus.log.Warn("stream: NOTIFY failed", "err", err)
	}
	r.bus.log.Warn("stream: events dropped after NOTIFY failed twice")
	return nil
}

// payloads packs events into as few payloads under maxPayload as it can.
func (r *relay) payloads(events []service.Event) []string {
	head := `{"o":"` + r.origin + `","e":[`
	const tail = `]}`
	var out []string
	var sb strings.Builder
	count := 0
	flush := func() {
		if count > 0 {
			sb.WriteString(tail)
			out = append(out, sb.String())
		}
		sb.Reset()
		count = 0
	}
	for _, ev := range events {
		b, err := json.Marshal(toWire(ev))
		if err != nil || len(head)+len(b)+len(tail) > maxPayload {
			r.bus.log.Warn("stream: event too large to send", "kind", ev.Kind, "bytes", len(b))
			continue
		}
		if count > 0 && sb.Len()+1+len(b)+len(tail) > maxPayload {
			flush()
		}
		if count == 0 {
			sb.WriteString(head)
		} else {
			sb.WriteByte(',')
		}
		sb.Write(b)
		count++
	}
	flush()
	return out
}
