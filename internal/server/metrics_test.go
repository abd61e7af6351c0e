package server_test

import (
	"regexp"
	"strconv"
	"testing"

	"weft/internal/store"
	"weft/internal/testkit"
)

// On SQLite the metrics show the write-ahead log's size, the figure an
// admin watches for the disk, and how often it was emptied.
func TestMetricsShowTheSQLiteLog(t *testing.T) {
	a := testkit.NewAPI(t, store.SQLite, nil)
	_, tok := a.Account(t, "alice")
	if r := a.Do(t, "POST", "/api/v1/statuses", tok, map[string]any{"status": "written to the log"}); r.Status != 200 {
		t.Fatalf("post: %d %s", r.Status, r.Body)
	}
	m := metrics(t, a)
	size := regexp.MustCompile(`(?m)^weft_sqlite_wal_bytes (\S+)$`).FindStringSubmatch(m)
	if size == nil {
		t.Fatalf("no weft_sqlite_wal_bytes in the metrics")
	}
	if n, err := strconv.ParseFloat(size[1], 64); err != nil || n <= 0 {
		t.Errorf("weft_sqlite_wal_bytes %s right after a post, want the log's size", size[1])
	}
	if !regexp.MustCompile(`(?m)^weft_sqlite_wal_resets_total \d+$`).MatchString(m) {
		t.Errorf("no weft_sqlite_wal_resets_total in the metrics")
	}
}
