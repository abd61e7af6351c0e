package revcache

import (
	"sync"
	"testing"
)

func TestRevisionMustMatch(t *testing.T) {
	c := New[string](100)
	c.Put(1, 3, "three")
	if v, ok := c.Get(1, 3); !ok || v != "three" {
		t.Fatalf("Get(1,3) = %q, %v", v, ok)
	}
	for _, rev := range []int64{2, 4} {
		if v, ok := c.Get(1, rev); ok {
			t.Errorf("Get(1,%d) served %q: a stale or future revision must miss", rev, v)
		}
	}
	if _, ok := c.Get(2, 0); ok {
		t.Error("unknown id served")
	}
}

func TestOlderRevisionNeverReplacesNewer(t *testing.T) {
	c := New[string](100)
	c.Put(1, 5, "five")
	c.Put(1, 4, "four") // a slow reader that loaded the row before the change
	if v, ok := c.Get(1, 5); !ok || v != "five" {
		t.Fatalf("newer entry lost: %q %v", v, ok)
	}
	c.Put(1, 6, "six")
	if v, ok := c.Get(1, 6); !ok || v != "six" {
		t.Fatalf("newer revision not stored: %q %v", v, ok)
	}
}

func TestBounded(t *testing.T) {
	c := New[int](100)
	for i := range int64(10_000) {
		c.Put(i, 0, int(i))
		if c.Len() > 100 {
			t.Fatalf("%d entries after %d puts, max 100", c.Len(), i+1)
		}
	}
	hits := 0
	for i := range int64(10_000) {
		if v, ok := c.Get(i, 0); ok {
			if v != int(i) {
				t.Fatalf("id %d holds %d", i, v)
			}
			hits++
		}
	}
	if hits < 80 {
		t.Errorf("only %d entries survive, want the cache kept near full", hits)
	}
}

func TestConcurrent(t *testing.T) {
	c := New[int64](1000)
	var wg sync.WaitGroup
	for w := range int64(4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range int64(5000) {
				id := i % 1500
				c.Put(id, w, id*10+w)
				if v, ok := c.Get(id, w); ok && v != id*10+w {
					t.Errorf("id %d rev %d holds %d", id, w, v)
					return
				}
			}
		}()
	}
	wg.Wait()
}
