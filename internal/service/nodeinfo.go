package service

import (
	"context"
	"sync"
	"time"
)

// NodeInfoUsage is how much this server is used, as NodeInfo
// (nodeinfo.diaspora.software) reports it.
//
// Every local account counts, whether it shares with the fediverse or not:
// NodeInfo describes the server, not the part of it other servers can
// see, and Mastodon counts all its local users the same way.
type NodeInfoUsage struct {
	Users int64 // local accounts, neither suspended nor deleted
	// ActiveMonth and ActiveHalfyear are those of Users that posted or
	// boosted in the last 30 and 180 days. Mastodon counts sign-ins, but
	// weft records none (the last-use times of tokens and sessions are not
	// kept up to date), so posting is the activity it can see.
	ActiveMonth    int64
	ActiveHalfyear int64
	LocalPosts     int64 // local posts, not deleted, boosts not counted
}

// The activity windows: NodeInfo's month and half year, in days.
const (
	nodeInfoMonth    = 30 * 24 * time.Hour
	nodeInfoHalfyear = 180 * 24 * time.Hour
)

// NodeInfoUsage counts the usage now. The counts scan accounts and
// statuses; requests from the fediverse go through a NodeInfoCache.
func (s *Service) NodeInfoUsage(ctx context.Context) (NodeInfoUsage, error) {
	now := s.clock()
	var u NodeInfoUsage
	var err error
	u.Users, u.ActiveMonth, u.ActiveHalfyear, u.LocalPosts, err = s.st.Read().NodeInfoUsage(ctx,
		now.Add(-nodeInfoMonth), now.Add(-nodeInfoHalfyear))
	return u, err
}

// nodeInfoTTL is how long counted usage is served again. Crawlers and
// other servers fetch NodeInfo often and the counts are full scans; usage
// ten minutes old is exact enough for statistics.
const nodeInfoTTL = 10 * time.Minute

// NodeInfoCache serves NodeInfoUsage counted at most nodeInfoTTL ago. One
// belongs to each server that serves NodeInfo, so tests and several
// servers in one process never share counts.
type NodeInfoCache struct {
	svc   *Service
	mu    sync.Mutex
	usage NodeInfoUsage
	at    time.Time // when usage was counted; zero until the first count
}

// NewNodeInfoCache makes an empty cache: the first request counts.
func (s *Service) NewNodeInfoCache() *NodeInfoCache { return &NodeInfoCache{svc: s} }

// Usage returns the cached usage, counting it again when it is older than
// nodeInfoTTL. The lock is held while counting, so a burst of requests
// after expiry waits for one count instead of each running the scans. A
// failed count is not cached: the next request tries again.
func (c *NodeInfoCache) Usage(ctx context.Context) (NodeInfoUsage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.svc.clock()
	if !c.at.IsZero() && now.Sub(c.at) < nodeInfoTTL {
		return c.usage, nil
	}
	u, err := c.svc.NodeInfoUsage(ctx)
	if err != nil {
		return NodeInfoUsage{}, err
	}
	c.usage, c.at = u, now
	return u, nil
}
