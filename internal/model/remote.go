package model

import "time"

// RemoteActor is what federation keeps of a remote account beyond its
// Account: where its inboxes are and the key it signs with.
type RemoteActor struct {
	AccountID    int64
	Type         string // Person, Service, Application, Group, Organization
	Inbox        string
	SharedInbox  string // "" when the server offers none
	Outbox       string
	Followers    string
	Following    string
	Featured     string
	KeyID        string
	PublicKeyPEM string
	AlsoKnownAs  []string
	MovedTo      string
	AvatarURL    string
	HeaderURL    string
	FetchedAt    time.Time
}

// DeliveryInbox is where activities for this actor go: the shared inbox
// when its server has one (one delivery per server), else its own.
func (r *RemoteActor) DeliveryInbox() string {
	if r.SharedInbox != "" {
		return r.SharedInbox
	}
	return r.Inbox
}
