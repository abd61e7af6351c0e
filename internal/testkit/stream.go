package testkit

import (
	"context"
	"testing"

	"weft/internal/store"
	"weft/internal/stream"
)

// NewBus makes a live event bus for a core on st, as a server would: in
// memory on SQLite, across processes over LISTEN/NOTIFY on PostgreSQL. It
// closes when the test ends.
func NewBus(t testing.TB, st *store.Store) *stream.Bus {
	t.Helper()
	o := stream.Options{}
	if st.Dialect == store.Postgres {
		o.PostgresURL = st.URL
	}
	bus, err := stream.New(context.Background(), o)
	if err != nil {
		t.Fatalf("event bus: %v", err)
	}
	t.Cleanup(bus.Close)
	return bus
}
