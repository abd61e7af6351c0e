package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"weft/internal/config"
	"weft/internal/model"
	"weft/internal/server"
	"weft/internal/service"
)

// runAdmin dispatches `weft admin user …`. Admin commands work beside a
// running server on the same data: SQLite waits for its write lock, and the
// server reads everything from the database, so it sees changes at once.
func runAdmin(ctx context.Context, args []string, e *env) int {
	if len(args) >= 2 && args[0] == "token" {
		return runAdminToken(ctx, args[1], args[2:], e)
	}
	if len(args) >= 1 && args[0] == "domain" {
		return runAdminDomain(ctx, args[1:], e)
	}
	if len(args) >= 1 && args[0] == "report" {
		return runAdminReport(ctx, args[1:], e)
	}
	if len(args) >= 1 && args[0] == "media" {
		return runAdminMedia(ctx, args[1:], e)
	}
	if len(args) < 2 || args[0] != "user" {
		fmt.Fprintf(e.stderr, "weft admin: want `weft admin user create|list|suspend|unsuspend|delete`, `weft admin token create|revoke` `weft admin domain block|unblock|list`, `weft admin report list` or `weft admin media usage|prune`\n")
		return exitUsage
	}
	switch args[1] {
	case "create":
		return adminUserCreate(ctx, args[2:], e)
	case "list":
		return adminUserList(ctx, args[2:], e)
	case "suspend", "unsuspend", "delete":
		return adminUserAction(ctx, args[1], args[2:], e)
	}
	fmt.Fprintf(e.stderr, "weft admin user: unknown command %q\n", args[1])
	return exitUsage
}

// adminFail prints a refused or failed admin action on one line: status 1.
func adminFail(e *env, what string, err error) int {
	fmt.Fprintf(e.stderr, "weft: %s: %s\n", what, model.Message(err))
	var me *model.Error
	if !errors.As(err, &me) {
		fmt.Fprintf(e.stderr, "weft: %v\n", err)
	}
	return 1
}

func adminUserCreate(ctx context.Context, args []string, e *env) int {
	var username, email, password string
	var passwordStdin, admin bool
	cfg, log, rest, ok := loadConfig("admin user create", args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "username (letters, digits, underscore; up to 30)")
		fs.StringVar(&email, "email", "", "email address")
		fs.StringVar(&password, "password", "", "password (visible in the process list: prefer --password-stdin)")
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
		fs.BoolVar(&admin, "admin", false, "make the user an administrator")
	})
	if !ok {
		return exitUsage
	}
	if len(rest) > 0 || username == "" || email == "" {
		fmt.Fprintln(e.stderr, "weft admin user create: --username and --email are required")
		return exitUsage
	}
	if password != "" && passwordStdin {
		fmt.Fprintln(e.stderr, "weft admin user create: give --password or --password-stdin, not both")
		return exitUsage
	}
	generated := false
	switch {
	case passwordStdin:
		line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintf(e.stderr, "weft admin user create: read password: %v\n", err)
			return 1
		}
		password = strings.TrimRight(line, "\r\n")
	case password == "":
		var b [18]byte
		_, _ = rand.Read(b[:])
		password, generated = base64.RawURLEncoding.EncodeToString(b[:]), true
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	a, err := core.Service.Register(ctx, service.Registration{Username: username, Email: email, Password: password, Admin: admin})
	if err != nil {
		return adminFail(e, "create user", err)
	}
	fmt.Fprintf(e.stdout, "created user %s (account id %d)\n", a.Username, a.ID)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s\n", password)
	}
	return 0
}

func adminUserList(ctx context.Context, args []string, e *env) int {
	cfg, log, _, ok := loadConfig("admin user list", args, e, nil)
	if !ok {
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tEMAIL\tROLE\tSTATE\tCREATED")
	var after int64
	for {
		accounts, err := core.Service.ListLocalAccounts(ctx, after, 500)
		if err != nil {
			return adminFail(e, "list users", err)
		}
		for _, a := range accounts {
			email, role := "", "user"
			if u, err := core.Service.User(ctx, a.ID); err == nil {
				email = u.Email
				if u.Admin {
					role = "admin"
				}
			}
			state := "active"
			switch {
			case a.DeletedAt != nil:
				state = "deleted"
			case a.SuspendedAt != nil:
				state = "suspended"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Username, email, role, state, a.CreatedAt.Format("2006-01-02"))
		}
		if len(accounts) < 500 {
			break
		}
		after = accounts[len(accounts)-1].ID
	}
	return boolExit(tw.Flush() == nil)
}

func adminUserAction(ctx context.Context, action string, args []string, e *env) int {
	cfg, log, rest, ok := loadConfig("admin user "+action, args, e, nil)
	if !ok {
		return exitUsage
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "weft admin user %s: want exactly one USERNAME\n", action)
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	a, err := core.Service.AccountByUsername(ctx, strings.TrimPrefix(rest[0], "@"))
	if err != nil {
		return adminFail(e, action+" "+rest[0], err)
	}
	switch action {
	case "suspend":
		err = core.Service.SuspendAccount(ctx, a.ID)
	case "unsuspend":
		err = core.Service.UnsuspendAccount(ctx, a.ID)
	case "delete":
		err = core.Service.DeleteAccount(ctx, a.ID)
	}
	if err != nil {
		return adminFail(e, action+" "+a.Username, err)
	}
	past := map[string]string{"suspend": "suspended", "unsuspend": "unsuspended",
		"delete": "deleted (its posts and follows are removed in the background by the server)"}
	fmt.Fprintf(e.stdout, "%s %s\n", a.Username, past[action])
	return 0
}

// openCore opens the database for an admin command; on failure it logs why
// and returns the exit status.
func openCore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*server.Core, int) {
	core, err := server.OpenCore(ctx, cfg, log)
	if err != nil {
		log.Error("cannot open database", "err", err)
		return nil, 1
	}
	return core, 0
}

func boolExit(ok bool) int {
	if ok {
		return 0
	}
	return 1
}
