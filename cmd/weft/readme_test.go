package main

import (
	"os"
	"strings"
	"testing"

	"weft/internal/config"
)

// The README's configuration table must list every key weft accepts, with
// its flag, and its two commands must stay the ones a newcomer needs.
func TestReadmeStaysTrue(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, k := range config.Reference() {
		row := "| `" + k.Env + "` | `" + k.Flag + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README configuration table lacks %s (%s)", k.Env, k.Flag)
		}
	}
	for _, cmd := range []string{"go run ./cmd/weft serve", "go test ./..."} {
		if !strings.Contains(readme, "```sh\n"+cmd+"\n```") {
			t.Errorf("README lacks the command %q in its own code block", cmd)
		}
	}
}
