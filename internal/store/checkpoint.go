package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite writes every change to its write-ahead log (the -wal file) first;
// checkpoints copy the log into the database file. The writer does not
// checkpoint on commit (that made one request in a hundred wait ~10 ms for
// the copy and its fsync): the checkpointer below does, off the request
// path, and keeps the log small.
//
// A PASSIVE checkpoint never blocks anyone, but it can neither copy what
// readers may still need nor start the log over while any reader uses it.
// On a server that reads all the time, the log then only grows: 1 GB
// during ten seconds of posting, kept until shutdown. So past
// walResetBytes the checkpointer resets it (TRUNCATE): it takes the writer
// connection when it is free, waits briefly for older readers, copies the
// rest and empties the file. When the writes stop it does the same, so an
// idle server's log holds at most walIdleBytes (a log that small is only
// copied, PASSIVE). And an idle server's checkpointer sleeps: the writer
// wakes it.
const (
	// checkpointTick is how often the log's size is looked at while
	// writes go on (a stat: about a microsecond). A burst of posts writes
	// 100 MB a second into it, so looks far apart let it overshoot.
	checkpointTick = 25 * time.Millisecond
	// quietTicks looks without growth tell that the writes have stopped.
	quietTicks = 4
	// checkpointPassive is how often, while writes go on, the log is
	// copied without blocking anyone, so that a reset has little left to copy.
	checkpointPassive = time.Second
	// walResetBytes is the log's size past which it is reset at once.
	walResetBytes = 16 << 20
	// walIdleBytes is what the log may keep when the writes stop (the
	// job queue's bookkeeping writes a page every few seconds; resetting
	// for each would keep an idle server busy).
	walIdleBytes = 1 << 20
	// resetWait bounds how long a reset waits for readers of older
	// snapshots, while writers wait for it; a reset that could not finish
	// is tried again later, backing off up to resetBackoffMax.
	resetWait       = 200 * time.Millisecond
	resetBackoffMax = 5 * time.Second
	// journalSizeLimit is SQLite's own bound: whenever the log starts
	// over, a file bigger than this is cut back to it.
	journalSizeLimit = 64 << 20
)

// checkpointer keeps SQLite's log copied into the database and small.
type checkpointer struct {
	ckpt  *sql.DB // its own connection, for PASSIVE copies
	write *sql.DB // the writer's pool: resets run on it, when it is free
	wal   string  // the -wal file

	// writes counts the writer's statements; asleep is set while the
	// checkpointer waits for kick, which the next write sends.
	writes atomic.Int64
	asleep atomic.Bool
	kick   chan struct{}

	copied walState     // the log when last copied or reset (run's goroutine only)
	resets atomic.Int64 // completed resets, for metrics
	stop   chan struct{}
	done   sync.WaitGroup
}

func newCheckpointer(walPath string) *checkpointer {
	return &checkpointer{wal: walPath, kick: make(chan struct{}, 1), stop: make(chan struct{})}
}

// wrote records a statement on the writer; it wakes a sleeping
// checkpointer. It is on every write's path, so it only touches atomics.
func (c *checkpointer) wrote() {
	c.writes.Add(1)
	if c.asleep.Load() {
		select {
		case c.kick <- struct{}{}:
		default:
		}
	}
}

func (s *Store) startCheckpointer(c *checkpointer, dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open checkpoint connection: %w", err)
	}
	db.SetMaxOpenConns(1)
	c.ckpt, c.write = db, s.write
	c.done.Add(1)
	go c.run()
	s.checkpointer = c
	return nil
}

func (c *checkpointer) run() {
	defer c.done.Done()
	for {
		// Asleep until a write; a write between the last look and
		// falling asleep is caught by the second look at the counter.
		seen := c.writes.Load()
		c.asleep.Store(true)
		if c.writes.Load() == seen {
			select {
			case <-c.stop:
				return
			case <-c.kick:
			}
		}
		c.asleep.Store(false)
		if !c.burst() {
			return
		}
	}
}

// burst follows a run of writes until quietTicks looks in a row find the
// log unchanged: then the log, if it holds more than walIdleBytes, is
// reset, else copied, and the checkpointer goes back to sleep. Meanwhile a
// log past walResetBytes is reset at once, and what it holds is copied
// every checkpointPassive. (The log's file is the measure: writes append
// to it or, after a complete checkpoint, write over it from its start;
// each reset empties it. A statement that changes nothing, like the job
// queue's look for work, leaves it as it was, and costs no checkpoint.)
// It returns false when stopped.
func (c *checkpointer) burst() bool {
	t := time.NewTicker(checkpointTick)
	defer t.Stop()
	last := c.walState()
	still := 0 // looks in a row without a change
	var lastPassive, nextReset time.Time
	backoff := checkpointTick
	for {
		select {
		case <-c.stop:
			return false
		case now := <-t.C:
			state := c.walState()
			if state == last {
				still++
			} else {
				still = 0
			}
			last = state
			size := state.size
			quiet := still >= quietTicks
			if quiet && size <= walIdleBytes {
				// A small log is kept, but what it holds is copied into
				// the database file (nobody waits for that).
				if state != c.copied {
					c.passive()
					c.copied = state
				}
				return true
			}
			if (quiet || size > walResetBytes) && !now.Before(nextReset) {
				if c.reset() {
					backoff, lastPassive, last, still = checkpointTick, now, c.walState(), 0
					c.copied = last
					if quiet {
						return true
					}
					continue
				}
				// Readers held on: try again later, so as not to keep
				// writers waiting again and again.
				backoff = min(2*backoff, resetBackoffMax)
				nextReset = now.Add(backoff)
			}
			if !quiet && now.Sub(lastPassive) >= checkpointPassive {
				c.passive()
				lastPassive = now
			}
		}
	}
}

// passive copies what it can of the log, blocking no one.
func (c *checkpointer) passive() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// An error (a busy database) only means the next look tries again.
	_, _ = c.ckpt.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
}

// reset copies the whole log into the database and empties it. It runs on
// the writer's connection, taken when no write transaction is open (writes
// queue behind it meanwhile), and waits at most resetWait for readers of
// older snapshots. It tells whether the log was reset.
func (c *checkpointer) reset() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := c.write.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, resetWait.Milliseconds())); err != nil {
		return false
	}
	var busy, logFrames, copied int
	err = conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &copied)
	if _, rerr := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeout.Milliseconds())); rerr != nil {
		// The writer must not keep the short timeout: drop the connection.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return false
	}
	if err != nil || busy != 0 {
		return false
	}
	c.resets.Add(1)
	return true
}

// walState is the log file's size and when it was last written.
type walState struct {
	size int64
	mod  int64 // UnixNano
}

func (c *checkpointer) walState() walState {
	fi, err := os.Stat(c.wal)
	if err != nil {
		return walState{}
	}
	return walState{fi.Size(), fi.ModTime().UnixNano()}
}

// stopCheckpointer stops the background checkpoints; the last connection to
// close checkpoints the rest, as SQLite does.
func (s *Store) stopCheckpointer() {
	if s.checkpointer == nil {
		return
	}
	close(s.checkpointer.stop)
	s.checkpointer.done.Wait()
	s.checkpointer.ckpt.Close()
	s.checkpointer = nil
}

// isPragma tells statements that are no writes (the checkpointer's own).
func isPragma(query string) bool {
	return len(query) >= 6 && strings.EqualFold(query[:6], "PRAGMA")
}
