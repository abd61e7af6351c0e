package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

// A server is unavailable only once its failures have lasted longer than
// the threshold; an answer clears it.
func TestDeliveryFailures(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		record := func(host string, at time.Time) {
			t.Helper()
			testkit.Must(t, st.InTx(ctx, func(tx *store.Tx) error {
				return tx.RecordDeliveryFailure(ctx, host, at, 72*time.Hour)
			}), "record")
		}
		unavailable := func() []string {
			t.Helper()
			list, err := st.Read().UnavailableHosts(ctx)
			testkit.Must(t, err, "list")
			return list
		}
		record("down.example", t0)
		record("down.example", t0.Add(48*time.Hour))
		record("flaky.example", t0)
		if got := unavailable(); len(got) != 0 {
			t.Fatalf("unavailable after two days of failures: %v", got)
		}
		record("down.example", t0.Add(73*time.Hour))
		if got := unavailable(); !slices.Equal(got, []string{"down.example"}) {
			t.Fatalf("unavailable = %v, want down.example", got)
		}
		testkit.Must(t, st.InTx(ctx, func(tx *store.Tx) error { return tx.ClearDeliveryFailures(ctx, "down.example") }), "clear")
		if got := unavailable(); len(got) != 0 {
			t.Fatalf("still unavailable after it answered: %v", got)
		}
		// Failures start counting afresh after an answer.
		record("down.example", t0.Add(100*time.Hour))
		if got := unavailable(); len(got) != 0 {
			t.Fatalf("unavailable right after failing again: %v", got)
		}
	})
}
