package service

import (
	"context"
	"net"
	"strings"

	"weft/internal/model"
	"weft/internal/store"
)

// DomainBlockInput is an admin's block of another server.
type DomainBlockInput struct {
	Domain      string // host or host:port
	Severity    string // model.DomainSuspend (default) or model.DomainNoop
	RejectMedia bool
	Comment     string
}

// normalDomain checks and lower-cases a domain to block.
func normalDomain(d string) (string, error) {
	d = strings.ToLower(strings.TrimSpace(d))
	d = strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
	d = strings.TrimSuffix(d, "/")
	host := d
	if h, port, err := net.SplitHostPort(d); err == nil {
		if port == "" {
			return "", model.Invalid("domain", "%q has an empty port", d)
		}
		host = h
	}
	if host == "" || len(d) > 253 || strings.ContainsAny(host, "/?#@ *%_") {
		return "", model.Invalid("domain", "%q is not a domain name", d)
	}
	return d, nil
}

// BlockInstanceDomain blocks a server for the whole instance. A suspension
// suspends the accounts of that server known here (their posts disappear
// from every view, nothing is delivered to them); lifting the block lifts
// those suspensions, so follows come back as they were.
func (s *Service) BlockInstanceDomain(ctx context.Context, in DomainBlockInput) (*model.InstanceDomainBlock, error) {
	d, err := normalDomain(in.Domain)
	if err != nil {
		return nil, err
	}
	if s.localDomain(d) {
		return nil, model.Invalid("domain", "this server cannot block itself")
	}
	if in.Severity == "" {
		in.Severity = model.DomainSuspend
	}
	if in.Severity != model.DomainSuspend && in.Severity != model.DomainLimit && in.Severity != model.DomainNoop {
		return nil, model.Invalid("severity", "must be suspend, limit or noop")
	}
	defer s.forgetDomainLimits()
	b := &model.InstanceDomainBlock{ID: s.newID(), Domain: d, Severity: in.Severity, RejectMedia: in.RejectMedia, Comment: in.Comment, CreatedAt: s.clock()}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if old, err := tx.InstanceDomainBlockFor(ctx, d); err == nil && old.Domain == d {
			b.CreatedAt = old.CreatedAt // a changed block keeps the mark of the suspensions it made
			if old.ID != 0 {
				b.ID = old.ID
			}
			if old.Severity == model.DomainSuspend && b.Severity != model.DomainSuspend {
				if err := tx.UnsuspendDomainAccounts(ctx, d, old.CreatedAt, s.clock()); err != nil {
					return err
				}
			}
		}
		if err := tx.UpsertInstanceDomainBlock(ctx, b); err != nil {
			return err
		}
		if b.Severity == model.DomainSuspend {
			return tx.SuspendDomainAccounts(ctx, d, b.CreatedAt)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// UnblockInstanceDomain lifts a block and the suspensions it made.
func (s *Service) UnblockInstanceDomain(ctx context.Context, domain string) error {
	d, err := normalDomain(domain)
	if err != nil {
		return err
	}
	defer s.forgetDomainLimits()
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.InstanceDomainBlockFor(ctx, d)
		if err != nil || old.Domain != d {
			return model.NotFound("domain block")
		}
		if _, err := tx.DeleteInstanceDomainBlock(ctx, d); err != nil {
			return err
		}
		return tx.UnsuspendDomainAccounts(ctx, d, old.CreatedAt, s.clock())
	})
}

// InstanceDomainBlocks lists the instance's blocks.
func (s *Service) InstanceDomainBlocks(ctx context.Context) ([]*model.InstanceDomainBlock, error) {
	return s.st.Read().InstanceDomainBlocks(ctx)
}

// DomainSuspended reports whether the instance exchanges nothing with the
// server at host (host or host:port): federation asks before every fetch,
// delivery and inbox activity.
func (s *Service) DomainSuspended(ctx context.Context, host string) (bool, error) {
	if s.outsideAllowlist(host) {
		return true, nil // allow-list mode: only the listed servers
	}
	b, err := s.st.Read().InstanceDomainBlockFor(ctx, host)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return b.Severity == model.DomainSuspend, nil
}

// InstanceDomainBlockByID returns one block (the admin API).
func (s *Service) InstanceDomainBlockByID(ctx context.Context, id int64) (*model.InstanceDomainBlock, error) {
	return s.st.Read().InstanceDomainBlockByID(ctx, id)
}

// CheckAdmin refuses a caller who is not an admin of this server.
func (s *Service) CheckAdmin(ctx context.Context, accountID int64) error {
	u, err := s.st.Read().UserByAccountID(ctx, accountID)
	if err != nil || !u.Admin {
		return model.Errorf(model.ErrForbidden, "", "This action is allowed to admins only")
	}
	return nil
}

// outsideAllowlist: in allow-list mode, the server at host is not listed.
func (s *Service) outsideAllowlist(host string) bool {
	return len(s.cfg.FederationAllowlist) > 0 && !(&domainSet{domains: s.cfg.FederationAllowlist}).covers(host)
}
