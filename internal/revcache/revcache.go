// Package revcache is a bounded in-memory cache of values derived from
// database rows that carry a revision number: statuses and accounts, whose
// `rev` column goes up by one with every committed change to the row.
//
// A reader asks the database for the current (id, rev) pairs — one small
// indexed query — and takes from the cache only entries of exactly that
// revision. A stale entry can therefore never be served, whichever process
// (another weft on the same PostgreSQL, the admin CLI on SQLite) made the
// change, and nothing needs to be told to invalidate anything. Entries are
// filled only from committed data read outside transactions: a rolled-back
// transaction would otherwise leave behind an entry for a revision number
// that a later, different commit will reuse.
//
// Written by hand because what it needs is small and specific (a
// revision-checked map with cheap random eviction); general-purpose caches
// bring TTLs and cost functions that do not apply here.
package revcache

import "sync"

// Cache maps an ID to a value of a given revision. It is safe for
// concurrent use. The zero value is not usable: call New.
type Cache[V any] struct {
	mu  sync.RWMutex
	max int
	m   map[int64]entry[V]
}

type entry[V any] struct {
	rev int64
	val V
}

// New returns a cache holding at most max entries.
func New[V any](max int) *Cache[V] {
	if max < 16 {
		max = 16
	}
	return &Cache[V]{max: max, m: make(map[int64]entry[V], max/4)}
}

// Get returns the value of id at revision rev, if cached.
func (c *Cache[V]) Get(id, rev int64) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[id]
	c.mu.RUnlock()
	if !ok || e.rev != rev {
		var zero V
		return zero, false
	}
	return e.val, true
}

// Put stores the value of id at revision rev. An entry of a newer revision
// is kept: a slow reader must not put back an older one.
func (c *Cache[V]) Put(id, rev int64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[id]; ok && e.rev > rev {
		return
	}
	if _, ok := c.m[id]; !ok && len(c.m) >= c.max {
		c.evict()
	}
	c.m[id] = entry[V]{rev: rev, val: v}
}

// evict drops about a tenth of the entries. Go's map iteration order is
// random, so this is random eviction: for timelines, where recent posts are
// read far more than old ones and a miss costs one query, it keeps the hit
// rate close to an LRU's without any bookkeeping on the read path.
func (c *Cache[V]) evict() {
	n := c.max / 10
	if n < 1 {
		n = 1
	}
	for id := range c.m {
		delete(c.m, id)
		n--
		if n == 0 {
			return
		}
	}
}

// Len is the number of entries.
func (c *Cache[V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
