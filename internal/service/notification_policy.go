package service

import (
	"context"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// newAccountAge is how young an account counts as new for the notification
// policy, as on Mastodon.
const newAccountAge = 30 * 24 * time.Hour

// NotificationPolicyView is an account's notification policy with the
// summary of what it holds aside (nothing yet: weft does not hold
// notifications aside, see notificationVerdict).
type NotificationPolicyView struct {
	Policy                    model.NotificationPolicy
	PendingRequestsCount      int64
	PendingNotificationsCount int64
}

// NotificationPolicyUpdate changes some rules of a policy; nil leaves one as it is.
type NotificationPolicyUpdate struct {
	ForNotFollowing, ForNotFollowers, ForNewAccounts, ForPrivateMentions, ForLimitedAccounts *model.PolicyAction
}

// NotificationPolicy returns the viewer's notification policy.
func (s *Service) NotificationPolicy(ctx context.Context, viewer int64) (NotificationPolicyView, error) {
	p, err := s.st.Read().NotificationPolicy(ctx, viewer)
	return NotificationPolicyView{Policy: p}, err
}

// SetNotificationPolicy changes the viewer's notification policy. It
// applies to notifications made from then on.
func (s *Service) SetNotificationPolicy(ctx context.Context, viewer int64, u NotificationPolicyUpdate) (NotificationPolicyView, error) {
	var p model.NotificationPolicy
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, viewer); err != nil {
			return err
		}
		var err error
		if p, err = tx.NotificationPolicy(ctx, viewer); err != nil {
			return err
		}
		for _, c := range []struct {
			to   *model.PolicyAction
			from *model.PolicyAction
		}{{&p.ForNotFollowing, u.ForNotFollowing}, {&p.ForNotFollowers, u.ForNotFollowers}, {&p.ForNewAccounts, u.ForNewAccounts},
			{&p.ForPrivateMentions, u.ForPrivateMentions}, {&p.ForLimitedAccounts, u.ForLimitedAccounts}} {
			if c.from != nil {
				*c.to = *c.from
			}
		}
		return tx.SetNotificationPolicy(ctx, viewer, p, s.clock())
	})
	return NotificationPolicyView{Policy: p}, err
}

// policyFilterable reports whether a notification type is subject to the
// notification policy: not the posts of accounts one asked to be notified
// of, nor edits of posts one interacted with (as on Mastodon).
func policyFilterable(t model.NotificationType) bool {
	return t != model.NotifyStatus && t != model.NotifyUpdate
}

// notificationVerdict applies the recipient's notification policy to a
// notification about to be made: the strictest action among the rules
// that catch it. Accounts the recipient follows are never caught by the
// new-account and private-mention rules.
//
// weft does not hold notifications aside yet (Mastodon's notification
// requests), so "filter" lets them through like "accept"; "drop" is
// applied. The policy endpoints store and return "filter" as set.
func (s *Service) notificationVerdict(ctx context.Context, q store.Queries, args NotifyArgs) (model.PolicyAction, error) {
	if !policyFilterable(model.NotificationType(args.Type)) {
		return model.PolicyAccept, nil
	}
	p, err := q.NotificationPolicy(ctx, args.AccountID)
	if err != nil || p == model.DefaultNotificationPolicy() {
		return model.PolicyAccept, err
	}
	rel, err := q.RelationsOf(ctx, args.AccountID, []int64{args.FromAccountID}, s.clock())
	if err != nil {
		return "", err
	}
	_, following := rel.Following[args.FromAccountID]
	followedBy := rel.FollowedBy[args.FromAccountID]
	var caught []model.PolicyAction
	if !following {
		caught = append(caught, p.ForNotFollowing)
	}
	if !followedBy {
		caught = append(caught, p.ForNotFollowers)
	}
	if !following && (p.ForNewAccounts != model.PolicyAccept || p.ForPrivateMentions != model.PolicyAccept) {
		from, err := q.AccountByID(ctx, args.FromAccountID)
		if err != nil {
			return "", err
		}
		if s.clock().Sub(from.CreatedAt) < newAccountAge {
			caught = append(caught, p.ForNewAccounts)
		}
		if args.Type == string(model.NotifyMention) && args.StatusID != 0 {
			st, err := q.StatusByID(ctx, args.StatusID)
			if err != nil && !isNotFound(err) {
				return "", err
			}
			// A private mention, unless it answers the recipient.
			if st != nil && st.Visibility == model.Direct && st.InReplyToAccountID != args.AccountID {
				caught = append(caught, p.ForPrivateMentions)
			}
		}
	}
	verdict := model.PolicyAccept
	for _, a := range caught {
		switch {
		case a == model.PolicyDrop:
			return model.PolicyDrop, nil
		case a == model.PolicyFilter:
			verdict = model.PolicyFilter
		}
	}
	return verdict, nil
}
