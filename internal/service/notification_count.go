package service

import (
	"context"

	"weft/internal/model"
)

// MaxUnreadCount caps the unread notifications count, as on Mastodon.
const MaxUnreadCount = 1000

// UnreadNotificationCount counts, up to limit, the viewer's notifications
// newer than their notifications read marker that match f. It counts rows,
// so a notification hidden when listing (from an account blocked since)
// may still be counted.
func (s *Service) UnreadNotificationCount(ctx context.Context, viewer int64, f NotificationFilter, limit int) (int64, error) {
	if limit <= 0 || limit > MaxUnreadCount {
		return 0, model.Invalid("limit", "must be a number from 1 to %d", MaxUnreadCount)
	}
	q := s.st.Read()
	var after int64
	m, err := q.Marker(ctx, viewer, MarkerNotifications)
	switch {
	case err == nil:
		after = m.LastReadID
	case !isNotFound(err):
		return 0, err
	}
	return q.CountNotificationsAfter(ctx, viewer, after, f, limit)
}
