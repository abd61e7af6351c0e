package mastodon

import (
	"weft/internal/model"
	"weft/internal/service"
)

// Relationship is Mastodon's Relationship entity.
type Relationship struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	Languages           []string `json:"languages"`
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	MutingExpiresAt     *string  `json:"muting_expires_at"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
}

func relationship(r model.Relationship) Relationship {
	return Relationship{ID: idStr(r.ID), Following: r.Following, ShowingReblogs: r.ShowingReblogs, Notifying: r.Notifying,
		Languages: nil, FollowedBy: r.FollowedBy, Blocking: r.Blocking, BlockedBy: r.BlockedBy, Muting: r.Muting,
		MutingNotifications: r.MutingNotifications, MutingExpiresAt: timestampPtr(r.MuteExpiresAt),
		Requested: r.Requested, RequestedBy: r.RequestedBy, Endorsed: r.Endorsed}
}

// Notification is Mastodon's Notification entity.
type Notification struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	CreatedAt string  `json:"created_at"`
	GroupKey  string  `json:"group_key"`
	Account   Account `json:"account"`
	Status    *Status `json:"status,omitempty"`
}

func (a *API) notification(n *service.NotificationView) Notification {
	out := Notification{ID: idStr(n.Notification.ID), Type: string(n.Notification.Type),
		CreatedAt: timestamp(n.Notification.CreatedAt), GroupKey: n.Notification.GroupKey,
		Account: a.account(n.Account)}
	if out.GroupKey == "" {
		out.GroupKey = "ungrouped-" + idStr(n.Notification.ID)
	}
	if n.Status != nil {
		s := a.status(n.Status, true)
		out.Status = &s
	}
	return out
}

// Context is a status's thread.
type Context struct {
	Ancestors   statusList `json:"ancestors"`
	Descendants statusList `json:"descendants"`
}

// rawJSON writes the context from its rendered lists.
func (c Context) rawJSON() []byte {
	b := make([]byte, 0, len(c.Ancestors)+len(c.Descendants)+32)
	b = append(b, `{"ancestors":`...)
	b = append(b, c.Ancestors...)
	b = append(b, `,"descendants":`...)
	b = append(b, c.Descendants...)
	return append(b, '}')
}

// accounts renders a list of accounts.
func (a *API) accounts(list []*model.Account) []Account {
	out := make([]Account, 0, len(list))
	for _, acc := range list {
		out = append(out, a.account(acc))
	}
	return out
}
