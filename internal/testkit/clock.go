package testkit

import (
	"sync"
	"time"
)

// Clock is a controllable clock for service.Deps.Now: it stands still
// until Advance moves it. Safe for concurrent use (job workers read it).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock set to now.
func NewClock() *Clock { return &Clock{t: time.Now().UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
