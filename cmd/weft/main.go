// Command weft is a federated social server: `weft serve` runs it, `weft
// migrate` updates its database, `weft admin …` manages users, `weft
// version` says which build this is. All wiring happens here and in
// internal/server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"weft/internal/config"
)

// exitUsage is the status for a bad command line or configuration: nothing
// was done.
const exitUsage = 2

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(),
		stderrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
	}))
}

// env is the outside world of one command run, so tests can run commands in
// process.
type env struct {
	stdin            io.Reader
	stdout, stderr   io.Writer
	environ          []string
	stderrIsTerminal bool
}

const usage = `weft — a federated social server

Usage:
  weft serve [flags]          run the server
  weft migrate [flags]        apply pending database migrations and exit
  weft admin user create --username U --email E [--password P | --password-stdin] [--admin]
  weft admin user list
  weft admin user suspend|unsuspend|delete USERNAME
  weft admin token create --username U [--scopes "read write follow"]   prints a new access token
  weft admin token revoke TOKEN
  weft admin domain block DOMAIN [--severity suspend|limit|noop] [--reject-media] [--comment C]
  weft admin domain unblock DOMAIN
  weft admin domain list
  weft admin report list                       reports waiting for moderators
  weft version                print the version
  weft help config            list every configuration key

Every command takes the configuration flags (weft help config), e.g. --data-dir, --database-url.
`

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], e)
	case "migrate":
		return runMigrate(ctx, args[1:], e)
	case "admin":
		return runAdmin(ctx, args[1:], e)
	case "version", "--version", "-version":
		return runVersion(e)
	case "help", "-h", "--help", "-help":
		if len(args) > 1 && args[1] == "config" {
			printConfigHelp(e.stdout)
			return 0
		}
		fmt.Fprint(e.stdout, usage)
		return 0
	}
	fmt.Fprintf(e.stderr, "weft: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// loadConfig parses a command's flags (the configuration flags plus the
// command's own, registered by extra) and resolves the configuration. On a
// bad flag or value it prints one line and returns ok=false; the caller
// exits with status 2 having done nothing.
func loadConfig(name string, args []string, e *env, extra func(fs *flag.FlagSet)) (*config.Config, *slog.Logger, []string, bool) {
	fs := flag.NewFlagSet("weft "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	flags := config.BindFlags(fs)
	if extra != nil {
		extra(fs)
	}
	var positional []string
	err := fs.Parse(args)
	// Positional arguments may come before flags (`weft admin user delete
	// bob --data-dir x`): the flag package stops at the first one, so keep
	// parsing after it.
	for err == nil && fs.NArg() > 0 {
		rest := fs.Args()
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			break
		}
		positional = append(positional, rest[0])
		err = fs.Parse(rest[1:])
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fmt.Fprintf(e.stdout, "Usage of weft %s:\n", name)
			fs.PrintDefaults()
			return nil, nil, nil, false
		}
		fmt.Fprintf(e.stderr, "weft %s: %v\n", name, err)
		return nil, nil, nil, false
	}
	cfg, warnings, err := config.Load(flags, e.environ)
	log := newLogger(e, cfg)
	for _, w := range warnings {
		log.Warn(w)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "weft: %v\n", err)
		return nil, nil, nil, false
	}
	return cfg, log, positional, true
}

// newLogger logs to stderr: text on a terminal, JSON otherwise (for log
// collectors), unless the configuration says which.
func newLogger(e *env, cfg *config.Config) *slog.Logger {
	level, format := slog.LevelInfo, "auto"
	if cfg != nil {
		level, format = cfg.LogLevel, cfg.LogFormat
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "text" || (format == "auto" && e.stderrIsTerminal) {
		return slog.New(slog.NewTextHandler(e.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(e.stderr, opts))
}

func printConfigHelp(w io.Writer) {
	fmt.Fprintln(w, "Configuration: flags override environment variables, which override the file named by --config / WEFT_CONFIG (TOML).")
	fmt.Fprintln(w)
	for _, k := range config.Reference() {
		fmt.Fprintf(w, "  %s / %s / %s (default: %s)\n      %s\n", k.Flag, k.Env, k.Key, k.Default, k.Description)
	}
}
