package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"weft/internal/service"
)

// runAdminMedia runs `weft admin media usage|prune`.
func runAdminMedia(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || (args[0] != "usage" && args[0] != "prune") {
		fmt.Fprintf(e.stderr, "weft admin media: want usage or prune\n")
		return exitUsage
	}
	if args[0] == "usage" {
		return adminMediaUsage(ctx, args[1:], e)
	}
	return adminMediaPrune(ctx, args[1:], e)
}

// adminMediaUsage prints what media take: members' uploads, the cache of
// other servers' media against its budget, and what the storage holds.
func adminMediaUsage(ctx context.Context, args []string, e *env) int {
	cfg, log, _, ok := loadConfig("admin media usage", args, e, nil)
	if !ok {
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	u, err := core.Service.MediaUsage(ctx)
	if err != nil {
		return adminFail(e, "media usage", err)
	}
	budget := "unlimited"
	if u.CacheBudget > 0 {
		budget = humanBytes(u.CacheBudget)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "uploads (this server's members)\t%d files\t%s\n", u.LocalFiles, humanBytes(u.LocalBytes))
	fmt.Fprintf(tw, "remote media cache\t%d files\t%s of %s\n", u.CachedFiles, humanBytes(u.CachedBytes), budget)
	fmt.Fprintf(tw, "remote media known\t%d\t\n", u.RemoteKnown)
	fmt.Fprintf(tw, "in storage (%s)\t%d files\t%s\n", cfg.Media.Storage, u.StoredFiles, humanBytes(u.StoredBytes))
	return boolExit(tw.Flush() == nil)
}

// adminMediaPrune runs the media clean-up now: unattached uploads older
// than a day, media of deleted posts, replaced avatars and headers, the
// cache brought within its budget; with --older-than also every cached
// remote file not viewed for that long.
func adminMediaPrune(ctx context.Context, args []string, e *env) int {
	var olderThan time.Duration
	cfg, log, rest, ok := loadConfig("admin media prune", args, e, func(fs *flag.FlagSet) {
		fs.DurationVar(&olderThan, "older-than", 0, "also evict cached remote media not viewed for this long (e.g. 720h)")
	})
	if !ok || len(rest) > 0 || olderThan < 0 {
		if ok {
			fmt.Fprintln(e.stderr, "weft admin media prune: takes only --older-than DURATION")
		}
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	var args2 service.MediaCleanupArgs
	if olderThan > 0 {
		args2.EvictViewedBefore = time.Now().Add(-olderThan).UnixMilli()
	}
	res, err := core.Service.CleanUpMedia(ctx, args2)
	if err != nil {
		return adminFail(e, "media prune", err)
	}
	fmt.Fprintf(e.stdout, "removed %d media (with their files), evicted %d cached remote files\n", res.Removed, res.Evicted)
	return 0
}

// humanBytes writes a size as people read it (binary units).
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
