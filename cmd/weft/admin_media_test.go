package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"

	"weft/internal/server"
	"weft/internal/service"
)

// `weft admin media usage` counts a member's upload (its original and
// thumbnail in storage); `prune` runs the clean-up, which keeps an upload
// younger than a day.
func TestAdminMedia(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := []string{"--data-dir", dir}
	code, out, stderr := runCmd(t, ctx, "", nil, append([]string{"admin", "user", "create", "--username", "alice", "--email", "a@example.com", "--password", "correct horse battery"}, d...)...)
	if code != 0 {
		t.Fatalf("create user: %d %q %q", code, out, stderr)
	}
	var errb bytes.Buffer
	cfg, log, _, ok := loadConfig("test", d, &env{stdin: strings.NewReader(""), stdout: &errb, stderr: &errb}, nil)
	if !ok {
		t.Fatalf("config: %s", errb.String())
	}
	core, err := server.OpenCore(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := core.Service.AccountByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 64, 48))); err != nil {
		t.Fatal(err)
	}
	if _, err := core.Service.UploadMedia(ctx, alice.ID, service.Upload{File: bytes.NewReader(buf.Bytes())}); err != nil {
		t.Fatal(err)
	}
	core.Close()

	code, out, stderr = runCmd(t, ctx, "", nil, append([]string{"admin", "media", "usage"}, d...)...)
	flat := strings.Join(strings.Fields(out), " ")
	if code != 0 || !strings.Contains(flat, "uploads (this server's members) 1 files") || !strings.Contains(flat, "in storage (local) 2 files") ||
		!strings.Contains(flat, "0 B of 1.0 GiB") {
		t.Fatalf("usage: %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCmd(t, ctx, "", nil, append([]string{"admin", "media", "prune", "--older-than", "1h"}, d...)...)
	if code != 0 || !strings.Contains(out, "removed 0 media") {
		t.Fatalf("prune: %d %q %q", code, out, stderr)
	}
	if code, _, _ := runCmd(t, ctx, "", nil, append([]string{"admin", "media", "prune", "--older-than", "-1h"}, d...)...); code != exitUsage {
		t.Fatalf("prune with a negative age: %d", code)
	}
	if code, _, _ := runCmd(t, ctx, "", nil, append([]string{"admin", "media", "shrink"}, d...)...); code != exitUsage {
		t.Fatalf("unknown media command: %d", code)
	}
}
