package service

import (
	"context"
	"time"

	"weft/internal/store"
)

// unavailableAfter is how long a server may fail every delivery before it
// is marked unavailable (deliveries to it then stop until it is heard from).
const unavailableAfter = 3 * 24 * time.Hour

// ProbeHostsArgs checks once a day whether unavailable servers are back.
type ProbeHostsArgs struct{}

func (ProbeHostsArgs) Kind() string  { return "probe_hosts" }
func (ProbeHostsArgs) Queue() string { return QueueFederation }

// DeliveryFailed counts a failed delivery to a server.
func (s *Service) DeliveryFailed(ctx context.Context, host string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		return tx.RecordDeliveryFailure(ctx, host, s.clock(), unavailableAfter)
	})
}

// HostAnswered forgets a server's failures: a delivery to it succeeded, it
// sent us an activity, or the probe reached it.
func (s *Service) HostAnswered(ctx context.Context, host string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error { return tx.ClearDeliveryFailures(ctx, host) })
}

// UnavailableHosts lists the servers deliveries skip.
func (s *Service) UnavailableHosts(ctx context.Context) ([]string, error) {
	return s.st.Read().UnavailableHosts(ctx)
}
