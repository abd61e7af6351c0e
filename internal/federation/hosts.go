package federation

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"time"

	"weft/internal/federation/transport"
	"weft/internal/service"
)

// hostHealth keeps what deliveries need to know about servers in memory:
// which are unavailable (refreshed from the database every minute, so
// every process agrees soon), which this process saw fail (so a success
// clears the record without a write per delivery), and how many
// deliveries run to each (a per-server limit, so one slow server cannot
// take every worker).
type hostHealth struct {
	mu          sync.Mutex
	unavailable map[string]bool
	loadedAt    time.Time
	failing     map[string]bool
	running     map[string]int
}

// perHostDeliveries bounds concurrent deliveries to one server.
const perHostDeliveries = 4

func (f *Federation) hostUnavailable(ctx context.Context, host string) bool {
	h := &f.hosts
	h.mu.Lock()
	stale := time.Since(h.loadedAt) > time.Minute
	h.mu.Unlock()
	if stale {
		list, err := f.svc.UnavailableHosts(ctx)
		if err == nil {
			m := make(map[string]bool, len(list))
			for _, x := range list {
				m[x] = true
			}
			h.mu.Lock()
			h.unavailable, h.loadedAt = m, time.Now()
			h.mu.Unlock()
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.unavailable[host]
}

// acquire takes a delivery slot for host; false when the host is busy.
func (h *hostHealth) acquire(host string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running == nil {
		h.running = map[string]int{}
	}
	if h.running[host] >= perHostDeliveries {
		return false
	}
	h.running[host]++
	return true
}

func (h *hostHealth) release(host string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running[host]--; h.running[host] <= 0 {
		delete(h.running, host)
	}
}

// failed records a failed delivery to host.
func (f *Federation) failed(ctx context.Context, host string) {
	f.hosts.mu.Lock()
	if f.hosts.failing == nil {
		f.hosts.failing = map[string]bool{}
	}
	f.hosts.failing[host] = true
	f.hosts.mu.Unlock()
	if err := f.svc.DeliveryFailed(ctx, host); err != nil {
		f.log.Warn("could not record a delivery failure", "host", host, "err", err)
	}
}

// answered clears a host's failures when it had any (as far as this
// process knows, or when it was marked unavailable).
func (f *Federation) answered(ctx context.Context, host string) {
	h := &f.hosts
	h.mu.Lock()
	known := h.failing[host] || h.unavailable[host]
	delete(h.failing, host)
	delete(h.unavailable, host)
	h.mu.Unlock()
	if !known {
		return
	}
	if err := f.svc.HostAnswered(ctx, host); err != nil {
		f.log.Warn("could not clear delivery failures", "host", host, "err", err)
	}
}

// RunProbeHosts asks every unavailable server whether it is back (its
// NodeInfo discovery document, unsigned); those that answer get
// deliveries again.
func (f *Federation) RunProbeHosts(ctx context.Context, _ service.ProbeHostsArgs) error {
	list, err := f.svc.UnavailableHosts(ctx)
	if err != nil {
		return err
	}
	for _, host := range list {
		u := url.URL{Scheme: f.cfg.Protocol, Host: host, Path: "/.well-known/nodeinfo"}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, _, err := f.client.GetJSON(pctx, u.String(), "application/json", nil)
		cancel()
		var se *transport.StatusError
		if err == nil || errors.As(err, &se) && se.Code < 500 {
			// Any HTTP answer but a server error means someone is there.
			f.hosts.mu.Lock()
			if f.hosts.unavailable == nil {
				f.hosts.unavailable = map[string]bool{}
			}
			f.hosts.unavailable[host] = true
			f.hosts.mu.Unlock()
			f.answered(ctx, host)
		}
	}
	return nil
}
