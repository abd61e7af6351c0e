package mastodon

import (
	"net/http"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// Grouped notifications (Mastodon 4.3, API version 2).
func (a *API) groupedNotificationRoutes(mux *http.ServeMux) {
	read, write := userScope("read:notifications"), userScope("write:notifications")
	a.route(mux, "GET /api/v2/notifications", read, a.groupedNotifications)
	a.route(mux, "GET /api/v2/notifications/unread_count", read, a.unreadNotificationGroupCount)
	a.route(mux, "GET /api/v2/notifications/{group_key}", read, a.notificationGroup)
	// Mastodon's documentation names write:notifications here, its code
	// read:notifications; either will do.
	a.route(mux, "GET /api/v2/notifications/{group_key}/accounts", userScope("read:notifications", "write:notifications"),
		a.notificationGroupAccounts)
	a.route(mux, "POST /api/v2/notifications/{group_key}/dismiss", write, a.dismissNotificationGroup)
	a.notificationPolicyRoutes(mux)
}

// GroupedNotificationsResults is Mastodon's entity of the same name.
type GroupedNotificationsResults struct {
	Accounts []Account `json:"accounts"`
	// PartialAccounts is sent (empty: weft renders every account in full)
	// when expand_accounts=partial_avatars asks for it.
	PartialAccounts    *[]Account          `json:"partial_accounts,omitempty"`
	Statuses           []Status            `json:"statuses"`
	NotificationGroups []NotificationGroup `json:"notification_groups"`
}

// NotificationGroup is Mastodon's entity of the same name. Mastodon sends
// most_recent_notification_id as a JSON number (and Mastodon's iOS app
// decodes it as one), unlike the other IDs.
type NotificationGroup struct {
	GroupKey                 string   `json:"group_key"`
	NotificationsCount       int64    `json:"notifications_count"`
	Type                     string   `json:"type"`
	MostRecentNotificationID int64    `json:"most_recent_notification_id"`
	PageMinID                string   `json:"page_min_id,omitempty"`
	PageMaxID                string   `json:"page_max_id,omitempty"`
	LatestPageNotificationAt string   `json:"latest_page_notification_at,omitempty"`
	SampleAccountIDs         []string `json:"sample_account_ids"`
	StatusID                 string   `json:"status_id,omitempty"`
}

// groupedResults renders groups with the accounts and statuses they name,
// each once, with the caller's notification filters applied to their
// posts as for v1's list: when hide is set, a group about a post a hide
// filter matches is left out.
func (a *API) groupedResults(c *call, groups []*service.NotificationGroup, partial, hide bool) (GroupedNotificationsResults, error) {
	out := GroupedNotificationsResults{Accounts: []Account{}, Statuses: []Status{},
		NotificationGroups: make([]NotificationGroup, 0, len(groups))}
	if partial {
		out.PartialAccounts = &[]Account{}
	}
	var views []*service.StatusView
	for _, g := range groups {
		if g.Status != nil {
			views = append(views, g.Status)
		}
	}
	kept, marks, err := a.applyFilters(c.ctx(), c.viewer(), model.FilterNotifications, views)
	if err != nil {
		return out, err
	}
	keep := make(map[*service.StatusView]bool, len(kept))
	for _, v := range kept {
		keep[v] = true
	}
	accounts, statuses := map[int64]bool{}, map[int64]bool{}
	for _, g := range groups {
		if hide && g.Status != nil && !keep[g.Status] {
			continue
		}
		ng := NotificationGroup{GroupKey: g.Key, NotificationsCount: g.Count, Type: string(g.Type),
			MostRecentNotificationID: g.MostRecentID, SampleAccountIDs: make([]string, 0, len(g.SampleAccounts))}
		if g.Paginated {
			ng.PageMinID, ng.PageMaxID = idStr(g.PageMinID), idStr(g.PageMaxID)
			ng.LatestPageNotificationAt = timestamp(g.LatestPageNotifyAt)
		}
		for _, acc := range g.SampleAccounts {
			ng.SampleAccountIDs = append(ng.SampleAccountIDs, idStr(acc.ID))
			if !accounts[acc.ID] {
				accounts[acc.ID] = true
				out.Accounts = append(out.Accounts, a.account(acc))
			}
		}
		if g.Status != nil {
			ng.StatusID = idStr(g.Status.Status.ID)
			if !statuses[g.Status.Status.ID] {
				statuses[g.Status.Status.ID] = true
				st := a.status(g.Status, true)
				marks.mark(&st, g.Status)
				out.Statuses = append(out.Statuses, st)
			}
		}
		out.NotificationGroups = append(out.NotificationGroups, ng)
	}
	return out, nil
}

// groupedFilter reads notificationFilter's parameters and grouped_types[]
// (unknown and ungroupable types ignored; none left: nothing is grouped).
func groupedFilter(c *call) (f service.GroupedNotificationFilter, none bool, err error) {
	if f.NotificationFilter, none, err = notificationFilter(c); err != nil || none {
		return f, none, err
	}
	if c.params.Has("grouped_types") {
		f.GroupedTypes = []model.NotificationType{}
		for _, t := range c.params.Strings("grouped_types") {
			if model.ValidNotificationType(t) {
				f.GroupedTypes = append(f.GroupedTypes, model.NotificationType(t))
			}
		}
	}
	return f, false, nil
}

func (a *API) groupedNotifications(c *call) (any, error) {
	pg, err := c.params.Page(40, 80)
	if err != nil {
		return nil, err
	}
	// weft holds no notification aside (see the notification policy), so
	// include_filtered changes nothing; it is still checked.
	if _, _, err := c.params.Bool("include_filtered"); err != nil {
		return nil, err
	}
	expand := c.params.String("expand_accounts")
	if expand != "" && expand != "full" && expand != "partial_avatars" {
		return nil, model.Invalid("expand_accounts", "must be full or partial_avatars")
	}
	partial := expand == "partial_avatars"
	f, none, err := groupedFilter(c)
	if err != nil {
		return nil, err
	}
	if none {
		return a.groupedResults(c, nil, partial, true)
	}
	list, err := a.svc.GroupedNotifications(c.ctx(), c.viewer(), f, pg)
	if err != nil {
		return nil, err
	}
	// The page's own cursors, so that a page emptied by filters still leads on.
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, list.NextMaxID, list.PrevMinID)
	return a.groupedResults(c, list.Groups, partial, true)
}

// groupKey reads the group key from the path; an absurd one finds nothing.
func groupKey(c *call) (string, error) {
	k := c.r.PathValue("group_key")
	if k == "" || len(k) > 100 {
		return "", model.Errorf(model.ErrNotFound, "", "Record not found")
	}
	return k, nil
}

func (a *API) notificationGroup(c *call) (any, error) {
	key, err := groupKey(c)
	if err != nil {
		return nil, err
	}
	g, err := a.svc.NotificationGroupByKey(c.ctx(), c.viewer(), key)
	if err != nil {
		return nil, err
	}
	return a.groupedResults(c, []*service.NotificationGroup{g}, false, false)
}

func (a *API) notificationGroupAccounts(c *call) (any, error) {
	key, err := groupKey(c)
	if err != nil {
		return nil, err
	}
	list, err := a.svc.NotificationGroupAccounts(c.ctx(), c.viewer(), key)
	if err != nil {
		return nil, err
	}
	return a.accounts(list), nil
}

func (a *API) dismissNotificationGroup(c *call) (any, error) {
	key, err := groupKey(c)
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DismissNotificationGroup(c.ctx(), c.viewer(), key)
}

// unreadNotificationGroupCount counts unread groups: limit defaults to 100
// and is clamped to 1000, as on Mastodon.
func (a *API) unreadNotificationGroupCount(c *call) (any, error) {
	limit, err := c.params.Int("limit", 100, 1, 1<<30)
	if err != nil {
		return nil, err
	}
	limit = min(limit, service.MaxUnreadCount)
	f, none, err := groupedFilter(c)
	if err != nil || none {
		return UnreadCount{}, err
	}
	n, err := a.svc.UnreadNotificationGroupCount(c.ctx(), c.viewer(), f, limit)
	if err != nil {
		return nil, err
	}
	return UnreadCount{Count: n}, nil
}
