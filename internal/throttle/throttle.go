// Package throttle remembers when something was last done per key, to
// skip repeating it within a period (fetching a thread's replies, a key
// after a failed signature). It is a shortcut, never the only guard: its
// memory is per process, bounded, and lost on restart.
package throttle

import (
	"sync"
	"time"
)

// maxKeys bounds the memory: past it, everything is forgotten at once
// (a burst of repeats is the worst that follows).
const maxKeys = 10_000

// Throttle is safe for concurrent use; the zero value is ready.
type Throttle[K comparable] struct {
	mu   sync.Mutex
	last map[K]time.Time
}

// Due reports whether key may be acted on now (not within every of the
// last time), and if so records now as its last time.
func (t *Throttle[K]) Due(key K, now time.Time, every time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil || len(t.last) >= maxKeys {
		t.last = map[K]time.Time{}
	}
	if at, ok := t.last[key]; ok && now.Sub(at) < every {
		return false
	}
	t.last[key] = now
	return true
}
