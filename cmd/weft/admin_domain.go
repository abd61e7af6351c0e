package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"weft/internal/model"
	"weft/internal/service"
)

// runAdminDomain runs `weft admin domain block|unblock|list`: blocks of
// other servers for the whole instance.
func runAdminDomain(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "weft admin domain: want block, unblock or list\n")
		return exitUsage
	}
	switch args[0] {
	case "block":
		return adminDomainBlock(ctx, args[1:], e)
	case "unblock":
		return adminDomainUnblock(ctx, args[1:], e)
	case "list":
		return adminDomainList(ctx, args[1:], e)
	}
	fmt.Fprintf(e.stderr, "weft admin domain: unknown command %q\n", args[0])
	return exitUsage
}

func adminDomainBlock(ctx context.Context, args []string, e *env) int {
	var in service.DomainBlockInput
	cfg, log, rest, ok := loadConfig("admin domain block", args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&in.Severity, "severity", model.DomainSuspend, "suspend (no exchange at all), limit (its posts stay out of public and hashtag timelines) or noop (only --reject-media applies)")
		fs.BoolVar(&in.RejectMedia, "reject-media", false, "never fetch media from this server")
		fs.StringVar(&in.Comment, "comment", "", "why (for the admins)")
	})
	if !ok {
		return exitUsage
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "weft admin domain block: want exactly one DOMAIN\n")
		return exitUsage
	}
	in.Domain = rest[0]
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	b, err := core.Service.BlockInstanceDomain(ctx, in)
	if err != nil {
		return adminFail(e, "block "+rest[0], err)
	}
	fmt.Fprintf(e.stdout, "%s blocked (%s%s)\n", b.Domain, b.Severity, map[bool]string{true: ", media rejected"}[b.RejectMedia])
	return 0
}

func adminDomainUnblock(ctx context.Context, args []string, e *env) int {
	cfg, log, rest, ok := loadConfig("admin domain unblock", args, e, nil)
	if !ok {
		return exitUsage
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "weft admin domain unblock: want exactly one DOMAIN\n")
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	if err := core.Service.UnblockInstanceDomain(ctx, rest[0]); err != nil {
		return adminFail(e, "unblock "+rest[0], err)
	}
	fmt.Fprintf(e.stdout, "%s unblocked\n", rest[0])
	return 0
}

func adminDomainList(ctx context.Context, args []string, e *env) int {
	cfg, log, _, ok := loadConfig("admin domain list", args, e, nil)
	if !ok {
		return exitUsage
	}
	core, code := openCore(ctx, cfg, log)
	if core == nil {
		return code
	}
	defer core.Close()
	list, err := core.Service.InstanceDomainBlocks(ctx)
	if err != nil {
		return adminFail(e, "list domain blocks", err)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tSEVERITY\tREJECT MEDIA\tSINCE\tCOMMENT")
	for _, b := range list {
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", b.Domain, b.Severity, b.RejectMedia, b.CreatedAt.Format("2006-01-02"), b.Comment)
	}
	return boolExit(tw.Flush() == nil)
}
