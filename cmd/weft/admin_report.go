package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
)

// runAdminReport runs `weft admin report list`: the reports waiting for
// moderators, from members and from other servers (until the web admin
// pages show them).
func runAdminReport(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] != "list" {
		fmt.Fprintf(e.stderr, "weft admin report: want list\n")
		return exitUsage
	}
	cfg, log, _, ok := loadConfig("admin report list", args[1:], e, nil)
	if !ok {
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	list, err := core.Service.OpenReports(ctx, 500)
	if err != nil {
		return adminFail(e, "list reports", err)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCREATED\tBY\tACCOUNT\tCATEGORY\tPOSTS\tCOMMENT")
	for _, r := range list {
		by, target := fmt.Sprint(r.AccountID), fmt.Sprint(r.TargetAccountID)
		if a, err := core.Service.AccountByID(ctx, r.AccountID); err == nil {
			by = a.Acct()
		}
		if a, err := core.Service.AccountByID(ctx, r.TargetAccountID); err == nil {
			target = a.Acct()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.CreatedAt.Format("2006-01-02 15:04"), by, target,
			r.Category, len(r.StatusIDs), strings.ReplaceAll(r.Comment, "\n", " "))
	}
	return boolExit(tw.Flush() == nil)
}
