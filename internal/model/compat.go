package model

import "time"

// PolicyAction is what a notification policy does with the notifications
// one of its rules catches.
type PolicyAction string

const (
	PolicyAccept PolicyAction = "accept" // notify as usual
	PolicyFilter PolicyAction = "filter" // keep aside, for the recipient to review
	PolicyDrop   PolicyAction = "drop"   // do not notify at all
)

// ParsePolicyAction checks an action given by a client.
func ParsePolicyAction(field, s string) (PolicyAction, error) {
	switch a := PolicyAction(s); a {
	case PolicyAccept, PolicyFilter, PolicyDrop:
		return a, nil
	}
	return "", Invalid(field, "must be one of accept, filter, drop")
}

// NotificationPolicy is an account's notification filtering policy
// (Mastodon's NotificationPolicy): what to do with notifications from
// accounts it does not follow, that do not follow it, that were created in
// the last 30 days, from private mentions, and from accounts moderators
// limited.
type NotificationPolicy struct {
	ForNotFollowing    PolicyAction
	ForNotFollowers    PolicyAction
	ForNewAccounts     PolicyAction
	ForPrivateMentions PolicyAction
	ForLimitedAccounts PolicyAction
}

// DefaultNotificationPolicy accepts everything.
func DefaultNotificationPolicy() NotificationPolicy {
	return NotificationPolicy{PolicyAccept, PolicyAccept, PolicyAccept, PolicyAccept, PolicyAccept}
}

// FeaturedTag is a hashtag an account features on its profile, with its
// use in the account's public and unlisted posts.
type FeaturedTag struct {
	ID            int64
	Tag           Tag
	StatusesCount int64
	LastStatusAt  *time.Time
}
