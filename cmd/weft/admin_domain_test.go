package main

import (
	"context"
	"strings"
	"testing"
)

func TestAdminDomainCommands(t *testing.T) {
	ctx := context.Background()
	d := []string{"--data-dir", t.TempDir()}
	code, out, stderr := runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "block", "Spam.Example", "--comment", "spam"}, d...)...)
	if code != 0 || !strings.Contains(out, "spam.example blocked (suspend)") {
		t.Fatalf("block: %d %q %q", code, out, stderr)
	}
	code, out, _ = runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "block", "media.example", "--severity", "noop", "--reject-media"}, d...)...)
	if code != 0 || !strings.Contains(out, "media.example blocked (noop, media rejected)") {
		t.Fatalf("block noop: %d %q", code, out)
	}
	code, _, stderr = runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "block", "bad domain", "--severity", "noop"}, d...)...)
	if code != 1 || !strings.Contains(stderr, "not a domain name") {
		t.Fatalf("bad domain: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "block", "x.example", "--severity", "silence"}, d...)...)
	if code != 1 || !strings.Contains(stderr, "severity") {
		t.Fatalf("bad severity: %d %q", code, stderr)
	}
	code, out, _ = runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "list"}, d...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[1], "media.example") || !strings.HasPrefix(lines[2], "spam.example") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	if code, out, _ := runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "unblock", "spam.example"}, d...)...); code != 0 || !strings.Contains(out, "unblocked") {
		t.Fatalf("unblock: %d %q", code, out)
	}
	if code, _, stderr := runCmd(t, ctx, "", nil, append([]string{"admin", "domain", "unblock", "spam.example"}, d...)...); code != 1 || !strings.Contains(stderr, "not found") {
		t.Fatalf("unblock again: %d %q", code, stderr)
	}
}

func TestAdminReportList(t *testing.T) {
	ctx := context.Background()
	d := []string{"--data-dir", t.TempDir()}
	code, out, stderr := runCmd(t, ctx, "", nil, append([]string{"admin", "report", "list"}, d...)...)
	if code != 0 || !strings.HasPrefix(out, "ID") {
		t.Fatalf("report list: %d %q %q", code, out, stderr)
	}
	if code, _, _ := runCmd(t, ctx, "", nil, append([]string{"admin", "report", "close"}, d...)...); code != exitUsage {
		t.Fatalf("unknown report command: %d", code)
	}
}
