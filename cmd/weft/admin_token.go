package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// runAdminToken is `weft admin token create --username U --scopes "read write"`
// (prints the new access token and nothing else, for bots, scripts and
// tests) and `weft admin token revoke TOKEN` (or `--token-stdin`).
func runAdminToken(ctx context.Context, action string, args []string, e *env) int {
	switch action {
	case "create":
		var username, scopes string
		cfg, log, rest, ok := loadConfig("admin token create", args, e, func(fs *flag.FlagSet) {
			fs.StringVar(&username, "username", "", "the account the token acts for")
			fs.StringVar(&scopes, "scopes", "read", `space-separated OAuth scopes, e.g. "read write follow"`)
		})
		if !ok {
			return exitUsage
		}
		if len(rest) > 0 || username == "" {
			fmt.Fprintln(e.stderr, "weft admin token create: --username is required")
			return exitUsage
		}
		core, code := openCore(ctx, cfg, log)
		if core == nil {
			return code
		}
		defer core.Close()
		a, err := core.Service.AccountByUsername(ctx, strings.TrimPrefix(username, "@"))
		if err != nil {
			return adminFail(e, "create token for "+username, err)
		}
		t, err := core.Service.CreateToken(ctx, a.ID, scopes)
		if err != nil {
			return adminFail(e, "create token for "+username, err)
		}
		fmt.Fprintln(e.stdout, t.AccessToken)
		return 0
	case "revoke":
		var fromStdin bool
		cfg, log, rest, ok := loadConfig("admin token revoke", args, e, func(fs *flag.FlagSet) {
			fs.BoolVar(&fromStdin, "token-stdin", false, "read the token from standard input")
		})
		if !ok {
			return exitUsage
		}
		var token string
		switch {
		case fromStdin && len(rest) == 0:
			line, _ := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
			token = strings.TrimSpace(line)
		case !fromStdin && len(rest) == 1:
			token = rest[0]
		default:
			fmt.Fprintln(e.stderr, "weft admin token revoke: give the token as the argument or with --token-stdin")
			return exitUsage
		}
		core, code := openCore(ctx, cfg, log)
		if core == nil {
			return code
		}
		defer core.Close()
		if err := core.Service.RevokeTokenValue(ctx, token); err != nil {
			return adminFail(e, "revoke token", err)
		}
		fmt.Fprintln(e.stdout, "token revoked")
		return 0
	}
	fmt.Fprintf(e.stderr, "weft admin token: unknown command %q (want create or revoke)\n", action)
	return exitUsage
}
