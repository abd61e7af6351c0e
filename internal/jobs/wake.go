package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"weft/internal/service"
)

// On SQLite, River learns of new jobs from an outbox table that its
// listener reads every 50 ms, and its workers look for jobs on their own
// every FetchPollInterval: together some forty queries a second, each one
// re-prepared by SQLite, which kept an idle weft at 5% of a core. But on
// SQLite this process is the only one that runs jobs, and every job it
// inserts goes through Queue.Enqueue in a store transaction: so the queue
// is woken in-process once that transaction commits (store.Tx.AfterCommit
// → Queue.Wake), nothing is written to the outbox, and the workers poll
// only rarely, for what comes from elsewhere (retries coming due, periodic
// jobs, a `weft admin` command beside `weft serve`).
//
// River has no public call to wake its workers, so localDriver wraps its
// SQLite driver and hands River a listener of our own (localListener), on
// which Wake publishes River's insert notification. The driver interface
// is marked unstable; the River version is pinned in go.mod and
// TestWakeStartsJobsAtOnce fails if an upgrade changes how it is used.
type localDriver struct {
	riverdriver.Driver[*sql.Tx]
	listener *localListener
}

// SupportsListener: River subscribes its workers to our listener.
func (d *localDriver) SupportsListener() bool { return true }

// SupportsListenNotify: River writes no notifications to the database; the
// only ones are Wake's, published after commit.
func (d *localDriver) SupportsListenNotify() bool { return false }

func (d *localDriver) GetListener(*riverdriver.GetListenenerParams) riverdriver.Listener {
	return d.listener
}

// insertTopic and insertPayload are what River's workers listen for
// (river/internal/notifier.NotificationTopicInsert, producer.insertPayload).
const insertTopic = "river_insert"

type insertPayload struct {
	Queue string `json:"queue"`
}

// localListener delivers notifications published in this process.
type localListener struct {
	mu        sync.Mutex
	connected bool
	topics    map[string]bool
	ch        chan *riverdriver.Notification
}

func newLocalListener() *localListener {
	// A full buffer drops a wake-up, which costs only latency: the workers
	// already have that many to fetch for, and they poll besides.
	return &localListener{topics: map[string]bool{}, ch: make(chan *riverdriver.Notification, 256)}
}

// publish hands a notification to River if it listens on topic.
func (l *localListener) publish(topic, payload string) {
	l.mu.Lock()
	listening := l.connected && l.topics[topic]
	l.mu.Unlock()
	if !listening {
		return
	}
	select {
	case l.ch <- &riverdriver.Notification{Topic: topic, Payload: payload}:
	default:
	}
}

func (l *localListener) Connect(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.connected {
		return errors.New("listener already connected")
	}
	l.connected = true
	return nil
}

func (l *localListener) Close(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.connected = false
	clear(l.topics)
	return nil
}

func (l *localListener) Listen(_ context.Context, topic string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.connected {
		return errors.New("listener is not connected")
	}
	l.topics[topic] = true
	return nil
}

func (l *localListener) Unlisten(_ context.Context, topic string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.topics, topic)
	return nil
}

func (l *localListener) Ping(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.connected {
		return errors.New("listener is not connected")
	}
	return nil
}

func (l *localListener) Schema() string             { return "" }
func (l *localListener) SetAfterConnectExec(string) {}

func (l *localListener) WaitForNotification(ctx context.Context) (*riverdriver.Notification, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case n := <-l.ch:
		return n, nil
	}
}

// queueOf is the queue a job goes to (Enqueue's choice).
func queueOf(args service.JobArgs) string {
	if qa, ok := args.(interface{ Queue() string }); ok {
		return qa.Queue()
	}
	return river.QueueDefault
}

// Wake tells the workers of args' queue that a job was committed. On
// PostgreSQL River's own NOTIFY, sent at commit, already did.
func (q *Queue) Wake(args service.JobArgs) {
	if q.local != nil {
		q.wakeQueue(queueOf(args))
	}
}

// wakeQueue wakes the workers of a queue, on every process: in-process on
// SQLite (the only process that runs jobs), with River's NOTIFY on
// PostgreSQL.
func (q *Queue) wakeQueue(queue string) {
	b, _ := json.Marshal(insertPayload{Queue: queue})
	if q.local != nil {
		q.local.publish(insertTopic, string(b))
		return
	}
	if q.exec == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// A failed wake costs only latency (the workers look on their own).
	_ = q.exec.NotifyMany(ctx, &riverdriver.NotifyManyParams{Payload: []string{string(b)}, Topic: insertTopic})
}

// Jobs that wait — snoozed (a busy or rate-limiting server) or retried
// after an error — become runnable at a set time, which no insert
// announces, and the workers' own looks are seconds apart. So a process
// wakes the job's queue itself when the time comes: a timer per queue and
// tenth of a second, for waits up to timedWakeMax (longer ones are found
// by the workers' next look, at most idlePoll late). River keeps a wait
// longer than its scheduler's interval (5 s) as "retryable" until the
// scheduler makes it available; on PostgreSQL the scheduler then notifies,
// on SQLite the wake may come first and the job starts at the workers'
// next look: at most some 10 s late for a retry due minutes away.
const (
	timedWakeMax    = time.Hour
	timedWakeBucket = 100 * time.Millisecond
	// timedWakeMargin covers the database's clock running a little behind
	// ours (PostgreSQL on another machine): the job must be due by its own
	// clock when the workers look.
	timedWakeMargin = 50 * time.Millisecond
)

type timedWakes struct {
	mu     sync.Mutex
	timers map[timedWake]*time.Timer
	closed bool
	wake   func(queue string)
}

type timedWake struct {
	queue string
	at    int64 // UnixNano, rounded up to timedWakeBucket
}

func newTimedWakes(wake func(queue string)) *timedWakes {
	return &timedWakes{timers: map[timedWake]*time.Timer{}, wake: wake}
}

// at wakes queue's workers once t has passed.
func (w *timedWakes) at(queue string, t time.Time) {
	if time.Until(t) > timedWakeMax {
		return
	}
	due := t.Add(timedWakeMargin).Truncate(timedWakeBucket).Add(timedWakeBucket)
	key := timedWake{queue: queue, at: due.UnixNano()}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.timers[key] != nil {
		return
	}
	w.timers[key] = time.AfterFunc(time.Until(due), func() {
		w.mu.Lock()
		delete(w.timers, key)
		closed := w.closed
		w.mu.Unlock()
		if !closed {
			w.wake(queue)
		}
	})
}

// pending is how many wakes are set (for tests).
func (w *timedWakes) pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.timers)
}

// stop cancels every wake: the process is stopping.
func (w *timedWakes) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	for k, t := range w.timers {
		t.Stop()
		delete(w.timers, k)
	}
}

// wakingRetryPolicy is River's default retry schedule, with the queue woken
// when each retry comes due.
type wakingRetryPolicy struct {
	river.DefaultClientRetryPolicy
	wakes *timedWakes
}

func (p *wakingRetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	t := p.DefaultClientRetryPolicy.NextRetry(job)
	p.wakes.at(job.Queue, t)
	return t
}
