package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"weft/internal/server"
	"weft/internal/version"
)

// runServe runs the server until SIGINT/SIGTERM, then shuts down gracefully
// and exits 0.
func runServe(ctx context.Context, args []string, e *env) int {
	cfg, log, rest, ok := loadConfig("serve", args, e, nil)
	if !ok {
		return exitUsage
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "weft serve: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	tuneGC(e.environ)
	srv, err := server.New(ctx, cfg, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		return 1
	}
	if err := srv.Start(ctx); err != nil {
		srv.Core().Close()
		log.Error("cannot start", "err", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "weft %s listening on %s (domain %s)\n", version.Version, srv.URL(), cfg.Domain)
	if err := srv.Serve(ctx); err != nil {
		log.Error("server stopped with an error", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// runMigrate applies pending migrations and exits.
func runMigrate(ctx context.Context, args []string, e *env) int {
	cfg, log, _, ok := loadConfig("migrate", args, e, nil)
	if !ok {
		return exitUsage
	}
	core, err := server.OpenCore(ctx, cfg, log) // OpenCore migrates
	if err != nil {
		log.Error("migration failed", "err", err)
		return 1
	}
	defer core.Close()
	v, err := core.Store.SchemaVersion(ctx)
	if err != nil {
		log.Error("migration failed", "err", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "database is at schema version %d\n", v)
	return 0
}

func runVersion(e *env) int {
	fmt.Fprintf(e.stdout, "weft %s\n", version.String())
	return 0
}

// tuneGC lets the heap grow to three times the live data between
// collections (GOGC=200) unless GOGC is set: a server's live heap is small
// (caches of some tens of MB) and each read request allocates its answer,
// so the default of 100 spent a sixth of the CPU under load on collecting.
// A soft limit of 64 MiB (unless GOMEMLIMIT is set) makes the collector
// work harder instead of letting a busy server's heap run far past it, so
// it stays under 100 MB resident (docs/benchmarks.md).
func tuneGC(environ []string) {
	gogc, limit := false, false
	for _, kv := range environ {
		gogc = gogc || strings.HasPrefix(kv, "GOGC=")
		limit = limit || strings.HasPrefix(kv, "GOMEMLIMIT=")
	}
	if !gogc {
		debug.SetGCPercent(200)
	}
	if !limit {
		debug.SetMemoryLimit(64 << 20)
	}
}
