package service

import (
	"context"

	"weft/internal/model"
	"weft/internal/store"
)

// NotificationView is a notification with the account that caused it and
// the post it is about (when there is one), as the recipient sees them.
type NotificationView struct {
	Notification *model.Notification
	Account      *model.Account
	Status       *StatusView
}

// NotificationList is a page of notifications, newest first.
type NotificationList struct {
	Notifications []*NotificationView
	NextMaxID     int64
	PrevMinID     int64
}

// NotificationFilter mirrors Mastodon's types[], exclude_types[] and account_id.
type NotificationFilter = store.NotificationFilter

// Notifications lists the viewer's notifications. Ones about posts the
// viewer can no longer see, or from accounts now blocked or gone, are left out.
func (s *Service) Notifications(ctx context.Context, viewer int64, f NotificationFilter, p model.Page) (NotificationList, error) {
	for _, t := range append(append([]model.NotificationType{}, f.Types...), f.ExcludeTypes...) {
		if !model.ValidNotificationType(string(t)) {
			return NotificationList{}, model.Invalid("types", "unknown notification type %q", t)
		}
	}
	q := s.st.Read()
	list, err := q.Notifications(ctx, viewer, f, p.Clamp(80))
	if err != nil {
		return NotificationList{}, err
	}
	views, err := s.notificationViews(ctx, q, viewer, list)
	if err != nil {
		return NotificationList{}, err
	}
	out := NotificationList{Notifications: views}
	if len(list) > 0 {
		out.PrevMinID, out.NextMaxID = list[0].ID, list[len(list)-1].ID
	}
	return out, nil
}

// Notification returns one of the viewer's notifications.
func (s *Service) Notification(ctx context.Context, viewer, id int64) (*NotificationView, error) {
	q := s.st.Read()
	n, err := q.Notification(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	views, err := s.notificationViews(ctx, q, viewer, []*model.Notification{n})
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, model.NotFound("notification")
	}
	return views[0], nil
}

func (s *Service) notificationViews(ctx context.Context, q store.Queries, viewer int64, list []*model.Notification) ([]*NotificationView, error) {
	var accountIDs, statusIDs []int64
	for _, n := range list {
		accountIDs = append(accountIDs, n.FromAccountID)
		if n.StatusID != 0 {
			statusIDs = append(statusIDs, n.StatusID)
		}
	}
	accounts, err := q.AccountsByIDs(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	rel, err := q.RelationsOf(ctx, viewer, accountIDs, s.clock())
	if err != nil {
		return nil, err
	}
	byID, err := q.StatusesByIDs(ctx, statusIDs)
	if err != nil {
		return nil, err
	}
	statuses := make([]*model.Status, 0, len(byID))
	for _, id := range statusIDs {
		if st := byID[id]; st != nil {
			statuses = append(statuses, st)
		}
	}
	views, err := s.hydrate(ctx, q, viewer, statuses, filter{})
	if err != nil {
		return nil, err
	}
	visible := make(map[int64]*StatusView, len(views))
	for _, v := range views {
		visible[v.Status.ID] = v
	}
	out := make([]*NotificationView, 0, len(list))
	for _, n := range list {
		from := accounts[n.FromAccountID]
		if from == nil || from.Gone() || rel.Blocking[from.ID] || rel.BlockedBy[from.ID] {
			continue
		}
		nv := &NotificationView{Notification: n, Account: from}
		if n.StatusID != 0 {
			if nv.Status = visible[n.StatusID]; nv.Status == nil {
				continue
			}
		}
		out = append(out, nv)
	}
	return out, nil
}

// DismissNotification removes one notification.
func (s *Service) DismissNotification(ctx context.Context, viewer, id int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		removed, err := tx.DeleteNotification(ctx, viewer, id)
		if err == nil && !removed {
			err = model.NotFound("notification")
		}
		return err
	})
}

// ClearNotifications removes all the viewer's notifications.
func (s *Service) ClearNotifications(ctx context.Context, viewer int64) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error { return tx.ClearNotifications(ctx, viewer) })
}

// Marker timelines, as on Mastodon.
const (
	MarkerHome          = "home"
	MarkerNotifications = "notifications"
)

// Markers returns the viewer's read positions for the named timelines.
func (s *Service) Markers(ctx context.Context, viewer int64, timelines []string) (map[string]*model.Marker, error) {
	out := map[string]*model.Marker{}
	q := s.st.Read()
	for _, t := range timelines {
		if t != MarkerHome && t != MarkerNotifications {
			continue // Mastodon ignores unknown timelines
		}
		m, err := q.Marker(ctx, viewer, t)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[t] = m
	}
	return out, nil
}

// SetMarker moves a read position.
func (s *Service) SetMarker(ctx context.Context, viewer int64, timeline string, lastReadID int64) (*model.Marker, error) {
	if timeline != MarkerHome && timeline != MarkerNotifications {
		return nil, model.Invalid("timeline", "must be home or notifications")
	}
	if lastReadID <= 0 {
		return nil, model.Invalid("last_read_id", "must be a positive ID")
	}
	var m *model.Marker
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetMarker(ctx, viewer, timeline, lastReadID, s.clock()); err != nil {
			return err
		}
		var err error
		m, err = tx.Marker(ctx, viewer, timeline)
		return err
	})
	return m, err
}
