package throttle

import (
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	var th Throttle[string]
	t0 := time.Now()
	if !th.Due("a", t0, time.Minute) {
		t.Fatal("first time not due")
	}
	if th.Due("a", t0.Add(30*time.Second), time.Minute) {
		t.Fatal("due again within the period")
	}
	if !th.Due("b", t0.Add(30*time.Second), time.Minute) {
		t.Fatal("another key is held back")
	}
	if !th.Due("a", t0.Add(61*time.Second), time.Minute) {
		t.Fatal("not due after the period")
	}
	for i := range maxKeys + 5 {
		th.Due(string(rune(i)), t0, time.Minute)
	}
	if len(th.last) > maxKeys {
		t.Fatalf("memory not bounded: %d keys", len(th.last))
	}
}
