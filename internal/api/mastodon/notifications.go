package mastodon

import (
	"net/http"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) notificationRoutes(mux *http.ServeMux) {
	read, write := userScope("read:notifications"), userScope("write:notifications")
	a.route(mux, "GET /api/v1/notifications", read, a.notifications)
	a.route(mux, "GET /api/v1/notifications/unread_count", read, a.unreadNotificationCount)
	a.route(mux, "GET /api/v1/notifications/{id}", read, a.getNotification)
	a.route(mux, "POST /api/v1/notifications/clear", write, a.clearNotifications)
	a.route(mux, "POST /api/v1/notifications/{id}/dismiss", write, a.dismissNotification)
	// Mastodon's older form, still sent by some clients: the ID as a parameter.
	a.route(mux, "POST /api/v1/notifications/dismiss", write, a.dismissNotification)
	a.markerRoutes(mux)
	a.groupedNotificationRoutes(mux)
}

// notificationFilter reads types[], exclude_types[] and account_id. Types
// weft does not know (poll, admin.sign_up …: Mastodon's, or a newer
// server's) are ignored, as Mastodon ignores unknown ones; none=true when
// types[] named only such types, so that nothing can match.
func notificationFilter(c *call) (f service.NotificationFilter, none bool, err error) {
	known := func(names []string) []model.NotificationType {
		var out []model.NotificationType
		for _, n := range names {
			if model.ValidNotificationType(n) {
				out = append(out, model.NotificationType(n))
			}
		}
		return out
	}
	types := c.params.Strings("types")
	f.Types, f.ExcludeTypes = known(types), known(c.params.Strings("exclude_types"))
	if f.FromAccountID, err = c.params.ID("account_id"); err != nil {
		return f, false, err
	}
	return f, len(types) > 0 && len(f.Types) == 0, nil
}

func (a *API) notifications(c *call) (any, error) {
	pg, err := c.params.Page(40, 80)
	if err != nil {
		return nil, err
	}
	f, none, err := notificationFilter(c)
	if err != nil || none {
		return []Notification{}, err
	}
	list, err := a.svc.Notifications(c.ctx(), c.viewer(), f, pg)
	if err != nil {
		return nil, err
	}
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, list.NextMaxID, list.PrevMinID)
	return a.filteredNotifications(c, list.Notifications)
}

// UnreadCount is the answer of notifications/unread_count.
type UnreadCount struct {
	Count int64 `json:"count"`
}

func (a *API) unreadNotificationCount(c *call) (any, error) {
	limit, err := c.params.Int("limit", 100, 1, 1<<30)
	if err != nil {
		return nil, err
	}
	limit = min(limit, service.MaxUnreadCount) // Mastodon clamps rather than refuses
	f, none, err := notificationFilter(c)
	if err != nil || none {
		return UnreadCount{}, err
	}
	n, err := a.svc.UnreadNotificationCount(c.ctx(), c.viewer(), f, limit)
	if err != nil {
		return nil, err
	}
	return UnreadCount{Count: n}, nil
}

func (a *API) getNotification(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	n, err := a.svc.Notification(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return a.notification(n), nil
}

func (a *API) clearNotifications(c *call) (any, error) {
	return nil, a.svc.ClearNotifications(c.ctx(), c.viewer())
}

// dismissNotification takes the ID from the path, or from the id parameter
// in the older form.
func (a *API) dismissNotification(c *call) (any, error) {
	var id int64
	var err error
	if c.r.PathValue("id") != "" {
		id, err = pathID(c, "id")
	} else if id, err = c.params.ID("id"); err == nil && id == 0 {
		err = model.Invalid("id", "can't be blank")
	}
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DismissNotification(c.ctx(), c.viewer(), id)
}
