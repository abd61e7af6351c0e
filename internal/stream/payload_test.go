package stream

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"weft/internal/service"
)

// Payloads stay under PostgreSQL's NOTIFY limit, however many events there
// are, and carry every event that fits at all, in order.
func TestPayloadsStayUnderTheLimit(t *testing.T) {
	r := &relay{bus: &Bus{log: slog.New(slog.DiscardHandler)}, origin: "node1"}
	var events []service.Event
	for i := range 200 {
		events = append(events, service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: strings.Repeat("t", i%120),
			StatusID: int64(i) << 40, Local: i%2 == 0})
	}
	events = append(events, service.Event{Kind: "update", Stream: service.StreamHashtag, Tag: strings.Repeat("x", 9000)}) // too big alone
	events = append(events, service.Event{Kind: "delete", AccountID: 1, StatusID: 2})
	payloads := r.payloads(events)
	if len(payloads) < 2 {
		t.Fatalf("%d payloads: expected the events to need several", len(payloads))
	}
	var got []service.Event
	for _, p := range payloads {
		if len(p) >= 8000 {
			t.Fatalf("payload of %d bytes", len(p))
		}
		var b wireBatch
		if err := json.Unmarshal([]byte(p), &b); err != nil {
			t.Fatal(err)
		}
		if b.Origin != "node1" {
			t.Fatalf("origin %q", b.Origin)
		}
		for _, w := range b.Events {
			got = append(got, w.event())
		}
	}
	want := append(events[:200:200], events[201])
	if len(got) != len(want) {
		t.Fatalf("%d events decoded, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
