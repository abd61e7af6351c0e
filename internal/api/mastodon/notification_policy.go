package mastodon

import (
	"net/http"

	"weft/internal/model"
	"weft/internal/service"
)

// The notification filtering policy (Mastodon 4.3), in its v2 form (an
// action per rule) and its older v1 form (a boolean per rule), and the
// notification requests endpoints. weft holds no notification aside yet
// ("filter" lets notifications through, "drop" drops them; see
// service.notificationVerdict), so there are never pending requests.
func (a *API) notificationPolicyRoutes(mux *http.ServeMux) {
	read, write := userScope("read:notifications"), userScope("write:notifications")
	a.route(mux, "GET /api/v2/notifications/policy", read, a.notificationPolicy)
	a.route(mux, "PATCH /api/v2/notifications/policy", write, a.updateNotificationPolicy)
	a.route(mux, "PUT /api/v2/notifications/policy", write, a.updateNotificationPolicy)
	a.route(mux, "GET /api/v1/notifications/policy", read, a.notificationPolicyV1)
	a.route(mux, "PATCH /api/v1/notifications/policy", write, a.updateNotificationPolicyV1)
	a.route(mux, "PUT /api/v1/notifications/policy", write, a.updateNotificationPolicyV1)

	notFound := func(*call) (any, error) { return nil, recordNotFound() }
	a.route(mux, "GET /api/v1/notifications/requests", read, func(*call) (any, error) { return []any{}, nil })
	a.route(mux, "GET /api/v1/notifications/requests/merged", read, func(*call) (any, error) {
		return map[string]bool{"merged": true}, nil
	})
	a.route(mux, "GET /api/v1/notifications/requests/{id}", read, notFound)
	a.route(mux, "POST /api/v1/notifications/requests/{id}/accept", write, notFound)
	a.route(mux, "POST /api/v1/notifications/requests/{id}/dismiss", write, notFound)
	// The bulk forms answer {} whatever the IDs, as Mastodon does.
	a.route(mux, "POST /api/v1/notifications/requests/accept", write, func(*call) (any, error) { return nil, nil })
	a.route(mux, "POST /api/v1/notifications/requests/dismiss", write, func(*call) (any, error) { return nil, nil })
}

// recordNotFound is Mastodon's 404 for a record that is not there.
func recordNotFound() error { return model.Errorf(model.ErrNotFound, "", "Record not found") }

// PolicySummary is the summary of a NotificationPolicy.
type PolicySummary struct {
	PendingRequestsCount      int64 `json:"pending_requests_count"`
	PendingNotificationsCount int64 `json:"pending_notifications_count"`
}

// NotificationPolicy is Mastodon's entity of the same name.
type NotificationPolicy struct {
	ForNotFollowing    string        `json:"for_not_following"`
	ForNotFollowers    string        `json:"for_not_followers"`
	ForNewAccounts     string        `json:"for_new_accounts"`
	ForPrivateMentions string        `json:"for_private_mentions"`
	ForLimitedAccounts string        `json:"for_limited_accounts"`
	Summary            PolicySummary `json:"summary"`
}

// NotificationPolicyV1 is Mastodon's V1::NotificationPolicy: a rule
// filters when its action is anything but accept.
type NotificationPolicyV1 struct {
	FilterNotFollowing    bool          `json:"filter_not_following"`
	FilterNotFollowers    bool          `json:"filter_not_followers"`
	FilterNewAccounts     bool          `json:"filter_new_accounts"`
	FilterPrivateMentions bool          `json:"filter_private_mentions"`
	Summary               PolicySummary `json:"summary"`
}

func summary(v service.NotificationPolicyView) PolicySummary {
	return PolicySummary{PendingRequestsCount: v.PendingRequestsCount, PendingNotificationsCount: v.PendingNotificationsCount}
}

func notificationPolicy(v service.NotificationPolicyView) NotificationPolicy {
	p := v.Policy
	return NotificationPolicy{ForNotFollowing: string(p.ForNotFollowing), ForNotFollowers: string(p.ForNotFollowers),
		ForNewAccounts: string(p.ForNewAccounts), ForPrivateMentions: string(p.ForPrivateMentions),
		ForLimitedAccounts: string(p.ForLimitedAccounts), Summary: summary(v)}
}

func notificationPolicyV1(v service.NotificationPolicyView) NotificationPolicyV1 {
	p := v.Policy
	return NotificationPolicyV1{FilterNotFollowing: p.ForNotFollowing != model.PolicyAccept,
		FilterNotFollowers: p.ForNotFollowers != model.PolicyAccept, FilterNewAccounts: p.ForNewAccounts != model.PolicyAccept,
		FilterPrivateMentions: p.ForPrivateMentions != model.PolicyAccept, Summary: summary(v)}
}

func (a *API) notificationPolicy(c *call) (any, error) {
	v, err := a.svc.NotificationPolicy(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	return notificationPolicy(v), nil
}

func (a *API) updateNotificationPolicy(c *call) (any, error) {
	var u service.NotificationPolicyUpdate
	for _, f := range []struct {
		name string
		to   **model.PolicyAction
	}{{"for_not_following", &u.ForNotFollowing}, {"for_not_followers", &u.ForNotFollowers},
		{"for_new_accounts", &u.ForNewAccounts}, {"for_private_mentions", &u.ForPrivateMentions},
		{"for_limited_accounts", &u.ForLimitedAccounts}} {
		if !c.params.Has(f.name) {
			continue
		}
		act, err := model.ParsePolicyAction(f.name, c.params.String(f.name))
		if err != nil {
			return nil, err
		}
		*f.to = &act
	}
	v, err := a.svc.SetNotificationPolicy(c.ctx(), c.viewer(), u)
	if err != nil {
		return nil, err
	}
	return notificationPolicy(v), nil
}

func (a *API) notificationPolicyV1(c *call) (any, error) {
	v, err := a.svc.NotificationPolicy(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	return notificationPolicyV1(v), nil
}

// updateNotificationPolicyV1: filter_…=true sets the rule to filter,
// false to accept.
func (a *API) updateNotificationPolicyV1(c *call) (any, error) {
	var u service.NotificationPolicyUpdate
	for _, f := range []struct {
		name string
		to   **model.PolicyAction
	}{{"filter_not_following", &u.ForNotFollowing}, {"filter_not_followers", &u.ForNotFollowers},
		{"filter_new_accounts", &u.ForNewAccounts}, {"filter_private_mentions", &u.ForPrivateMentions}} {
		on, set, err := c.params.Bool(f.name)
		if err != nil {
			return nil, err
		}
		if set {
			act := model.PolicyAccept
			if on {
				act = model.PolicyFilter
			}
			*f.to = &act
		}
	}
	v, err := a.svc.SetNotificationPolicy(c.ctx(), c.viewer(), u)
	if err != nil {
		return nil, err
	}
	return notificationPolicyV1(v), nil
}
