// Package id makes weft's IDs: 64-bit, time-sortable integers shown as decimal
// strings, like Mastodon's. Apps parse them as numbers and compare them to
// paginate, so they must grow with time; some apps crash on non-numeric IDs,
// which rules out ULIDs.
//
// Layout (as Mastodon's): the high 48 bits are milliseconds since the Unix
// epoch, the low 16 bits a sequence. The sequence starts at a random value
// each millisecond, so two processes writing to one PostgreSQL database
// rarely pick the same ID; the unique primary key catches the rest and the
// store retries with a fresh ID.
package id

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// Gen hands out IDs. It is safe for concurrent use. The zero value is not
// usable; call New.
type Gen struct {
	mu     sync.Mutex
	now    func() time.Time
	lastMS int64
	seq    uint16
	left   int // sequence values left in lastMS
}

// New returns a generator reading the given clock (time.Now when nil).
func New(now func() time.Time) *Gen {
	if now == nil {
		now = time.Now
	}
	return &Gen{now: now}
}

// Next returns a fresh ID, greater than every ID this generator returned
// before, even if the clock steps back.
func (g *Gen) Next() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := g.now().UnixMilli()
	if ms < g.lastMS {
		ms = g.lastMS // clock went back: stay monotonic
	}
	if ms == g.lastMS && g.left > 0 {
		g.seq++
		g.left--
	} else {
		if ms == g.lastMS {
			ms++ // this millisecond is used up: borrow the next one
		}
		g.lastMS = ms
		// Start low enough that a whole millisecond's worth of IDs still fits
		// without wrapping, so IDs stay increasing.
		g.seq = randomUint16() >> 1
		g.left = 0xffff - int(g.seq)
	}
	return ms<<16 | int64(g.seq)
}

// At returns an ID for a moment in the past (a remote post's publication
// time), with random low bits. It is not monotonic; callers insert it with a
// retry on conflict.
func At(t time.Time) int64 {
	return t.UnixMilli()<<16 | int64(randomUint16())
}

// MinAt is the smallest ID at time t: a max_id/min_id bound for "posts since t".
func MinAt(t time.Time) int64 { return t.UnixMilli() << 16 }

// Time returns the moment encoded in an ID.
func Time(id int64) time.Time { return time.UnixMilli(id >> 16).UTC() }

func randomUint16() uint16 {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Go ≥ 1.24
	return binary.BigEndian.Uint16(b[:])
}
