package store_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every UPDATE of a status or account row must bump its revision, or the
// model and JSON caches would serve the old row (see modelcache.go). This
// reads the store's own source, so a new UPDATE cannot forget it.
func TestEveryUpdateBumpsRevision(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	update := regexp.MustCompile(`(?i)UPDATE\s+(statuses|accounts)\s+SET\s+([^` + "`" + `]*)`)
	checked := 0
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range update.FindAllSubmatch(src, -1) {
			checked++
			if !regexp.MustCompile(`^rev = rev \+ 1(,| WHERE)`).Match(m[2]) {
				t.Errorf("%s: %q does not start with rev = rev + 1", f, string(m[0][:min(len(m[0]), 80)]))
			}
		}
	}
	if checked < 8 {
		t.Fatalf("found only %d UPDATE statements: the pattern no longer matches the code", checked)
	}
}
