package service

import (
	"context"
	"strings"
	"sync"
	"time"

	"weft/internal/model"
)

// domainSet is a set of blocked domains, matched as blocks are: a
// "host:port" entry covers that server only, a bare domain covers it on
// every port and its subdomains.
type domainSet struct{ domains []string }

func (d *domainSet) covers(host string) bool {
	if d == nil {
		return false
	}
	host = strings.ToLower(host)
	bare := host
	if h, _, ok := strings.Cut(host, ":"); ok {
		bare = h
	}
	for _, b := range d.domains {
		if b == host || b == bare || strings.HasSuffix(bare, "."+b) {
			return true
		}
	}
	return false
}

// domainLimitCache holds the limited servers for the public timelines,
// read at most every half minute (blocks change rarely; a change made in
// this process is seen at once).
type domainLimitCache struct {
	mu       sync.Mutex
	set      *domainSet
	loadedAt time.Time
}

// limitedDomains returns the servers whose posts stay out of public and
// hashtag timelines (nil when there are none).
func (s *Service) limitedDomains(ctx context.Context) *domainSet {
	c := &s.limits
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loadedAt.IsZero() || time.Since(c.loadedAt) > 30*time.Second {
		list, err := s.st.Read().InstanceDomainBlocks(ctx)
		if err != nil {
			s.log.Warn("could not read domain blocks", "err", err)
			return c.set
		}
		var set domainSet
		for _, b := range list {
			if b.Severity == model.DomainLimit {
				set.domains = append(set.domains, b.Domain)
			}
		}
		c.set = nil
		if len(set.domains) > 0 {
			c.set = &set
		}
		c.loadedAt = time.Now()
	}
	return c.set
}

// forgetDomainLimits makes the next read load the blocks again.
func (s *Service) forgetDomainLimits() {
	s.limits.mu.Lock()
	s.limits.loadedAt = time.Time{}
	s.limits.mu.Unlock()
}
