package service

import "context"

// InstanceStats are the public counts of this server.
type InstanceStats struct {
	Users, Statuses, Domains int64
}

// InstanceStats counts local users and posts and known servers.
func (s *Service) InstanceStats(ctx context.Context) (InstanceStats, error) {
	u, st, d, err := s.st.Read().InstanceStats(ctx)
	return InstanceStats{Users: u, Statuses: st, Domains: d}, err
}
