package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"weft/internal/model"
)

// UpsertInstanceDomainBlock stores or changes an instance-level block.
func (q Queries) UpsertInstanceDomainBlock(ctx context.Context, b *model.InstanceDomainBlock) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO instance_domain_blocks (id, domain, severity, reject_media, comment, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (domain) DO UPDATE SET severity = excluded.severity,
		reject_media = excluded.reject_media, comment = excluded.comment`,
		b.ID, b.Domain, b.Severity, b.RejectMedia, b.Comment, ms(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("store domain block %s: %w", b.Domain, err)
	}
	return nil
}

// DeleteInstanceDomainBlock lifts a block; false when there was none.
func (q Queries) DeleteInstanceDomainBlock(ctx context.Context, domain string) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM instance_domain_blocks WHERE domain = $1`, domain)
	if err != nil {
		return false, fmt.Errorf("delete domain block %s: %w", domain, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// InstanceDomainBlocks lists every block, by domain.
func (q Queries) InstanceDomainBlocks(ctx context.Context) ([]*model.InstanceDomainBlock, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+domainBlockColumns+`
		FROM instance_domain_blocks ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("list domain blocks: %w", err)
	}
	defer rows.Close()
	var out []*model.InstanceDomainBlock
	for rows.Next() {
		b, err := scanDomainBlock(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// InstanceDomainBlockFor returns the block covering a host (the host
// itself or a parent domain; the most specific wins), or ErrNotFound.
func (q Queries) InstanceDomainBlockFor(ctx context.Context, host string) (*model.InstanceDomainBlock, error) {
	host = strings.ToLower(host)
	// A block of "host:port" covers that server only (two instances on one
	// host are two servers); a block of a bare domain covers it on every
	// port, and its subdomains.
	candidates := []any{host}
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "[") {
		host = h
	} else {
		candidates = nil
	}
	for d := host; d != ""; {
		candidates = append(candidates, d)
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = rest
	}
	if len(candidates) > 16 {
		candidates = candidates[:16]
	}
	ph := make([]string, len(candidates))
	for i := range candidates {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	b, err := scanDomainBlock(q.db.QueryRowContext(ctx, `SELECT `+domainBlockColumns+` FROM instance_domain_blocks
		WHERE domain IN (`+strings.Join(ph, ", ")+`) ORDER BY LENGTH(domain) DESC LIMIT 1`, candidates...))
	if err != nil {
		return nil, notFound(err, "domain block")
	}
	return b, nil
}

// InstanceDomainBlockByID returns one block, or ErrNotFound.
func (q Queries) InstanceDomainBlockByID(ctx context.Context, id int64) (*model.InstanceDomainBlock, error) {
	b, err := scanDomainBlock(q.db.QueryRowContext(ctx, `SELECT `+domainBlockColumns+` FROM instance_domain_blocks
		WHERE id = $1 AND id <> 0`, id))
	if err != nil {
		return nil, notFound(err, "domain block")
	}
	return b, nil
}

const domainBlockColumns = `id, domain, severity, reject_media, comment, created_at`

func scanDomainBlock(row scanner) (*model.InstanceDomainBlock, error) {
	var b model.InstanceDomainBlock
	var created int64
	if err := row.Scan(&b.ID, &b.Domain, &b.Severity, &b.RejectMedia, &b.Comment, &created); err != nil {
		return nil, err
	}
	b.CreatedAt = fromMS(created)
	return &b, nil
}

// SuspendDomainAccounts suspends the remote accounts of a domain and its
// subdomains that are not suspended yet, marking them with at.
func (q Queries) SuspendDomainAccounts(ctx context.Context, domain string, at time.Time) error {
	a, b, c := domainPatterns(domain)
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, suspended_at = $2, updated_at = $2
		WHERE domain <> '' AND suspended_at IS NULL AND (domain = $1 OR domain LIKE $3 OR domain LIKE $4 OR domain LIKE $5)`,
		domain, ms(at), a, b, c)
	if err != nil {
		return fmt.Errorf("suspend accounts of %s: %w", domain, err)
	}
	return nil
}

// UnsuspendDomainAccounts lifts the suspensions a domain block made (those
// marked with its time), not others.
func (q Queries) UnsuspendDomainAccounts(ctx context.Context, domain string, at, now time.Time) error {
	a, b, c := domainPatterns(domain)
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET rev = rev + 1, suspended_at = NULL, updated_at = $3
		WHERE domain <> '' AND suspended_at = $2 AND (domain = $1 OR domain LIKE $4 OR domain LIKE $5 OR domain LIKE $6)`,
		domain, ms(at), ms(now), a, b, c)
	if err != nil {
		return fmt.Errorf("unsuspend accounts of %s: %w", domain, err)
	}
	return nil
}

// domainPatterns are the LIKE patterns of the accounts a block covers:
// none beyond the exact domain for a "host:port" block; for a bare domain,
// it on any port and its subdomains on any port. (Domains hold no LIKE
// wildcards: they are host names.)
func domainPatterns(domain string) (string, string, string) {
	if strings.Contains(domain, ":") {
		return domain, domain, domain
	}
	return domain + ":%", "%." + domain, "%." + domain + ":%"
}
