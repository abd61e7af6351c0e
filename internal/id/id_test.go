package id

import (
	"testing"
	"time"
)

func TestNextIsIncreasingWithinOneMillisecond(t *testing.T) {
	fixed := time.UnixMilli(1_700_000_000_000)
	g := New(func() time.Time { return fixed })
	prev := int64(0)
	for i := 0; i < 200_000; i++ { // more than one millisecond's sequence
		n := g.Next()
		if n <= prev {
			t.Fatalf("id %d not greater than previous %d at step %d", n, prev, i)
		}
		prev = n
	}
}

func TestNextSurvivesClockGoingBack(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	g := New(func() time.Time { return now })
	a := g.Next()
	now = now.Add(-time.Hour)
	if b := g.Next(); b <= a {
		t.Fatalf("id went back: %d then %d", a, b)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if got := Time(At(at)); !got.Equal(at) {
		t.Fatalf("Time(At(%v)) = %v", at, got)
	}
	if MinAt(at) > At(at) {
		t.Fatal("MinAt must not exceed At for the same moment")
	}
	if Time(New(nil).Next()).Before(time.Now().Add(-time.Minute)) {
		t.Fatal("Next is not based on the current time")
	}
}
