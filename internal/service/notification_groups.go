package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/store"
)

// Grouped notifications, as Mastodon 4.3's: likes and boosts of one post,
// and follows, that arrive within groupSpan of the first one of their
// group share a group key and are shown as one group. Every other
// notification is a group of its own, keyed "ungrouped-<id>".

// GroupableNotificationTypes are the types weft groups, as Mastodon does
// (admin.sign_up aside: weft does not notify sign-ups).
var GroupableNotificationTypes = []model.NotificationType{model.NotifyFavourite, model.NotifyFollow, model.NotifyReblog}

const (
	groupSpanHours = 12 // a group takes what arrives within 12 hours of its start, as on Mastodon
	// GroupSampleAccounts is how many of a group's newest accounts it shows.
	GroupSampleAccounts = 8
	// MaxGroupAccounts bounds the accounts of one group listed at once.
	MaxGroupAccounts = 200
	ungroupedPrefix  = "ungrouped-"
	// How the grouped listing reads notifications: in batches, and at most
	// groupScanMax of them for one page (a page of few large groups would
	// otherwise read every notification of its groups).
	groupScanBatch = 100
	groupScanMax   = 2000
	// groupCountScan bounds the unread notifications the grouped unread
	// count looks at.
	groupCountScan = 5000
)

// notificationGroupKey gives a new notification its group key: the key of
// the newest notification of its group if that group began less than
// groupSpanHours ago, otherwise a new group starting this hour. "" for the
// types that are not grouped.
func (s *Service) notificationGroupKey(ctx context.Context, q store.Queries, n *model.Notification) (string, error) {
	var prefix string
	switch n.Type {
	case model.NotifyFavourite, model.NotifyReblog:
		prefix = string(n.Type) + "-" + itoa(n.StatusID)
	case model.NotifyFollow:
		prefix = string(n.Type)
	default:
		return "", nil
	}
	hour := n.CreatedAt.Unix() / 3600
	since := id.MinAt(n.CreatedAt.Add(-groupSpanHours * time.Hour))
	prev, err := q.LatestGroupKey(ctx, n.AccountID, n.Type, n.StatusID, since)
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(prev, prefix+"-"); ok {
		if start, err := strconv.ParseInt(rest, 10, 64); err == nil && start <= hour && hour < start+groupSpanHours {
			hour = start
		}
	}
	return prefix + "-" + strconv.FormatInt(hour, 10), nil
}

// GroupedNotificationFilter is NotificationFilter with Mastodon's
// grouped_types[]: the types that may be grouped (nil: all groupable ones).
type GroupedNotificationFilter struct {
	NotificationFilter
	GroupedTypes []model.NotificationType
}

func (f GroupedNotificationFilter) grouped() []model.NotificationType {
	if f.GroupedTypes == nil {
		return GroupableNotificationTypes
	}
	return slices.DeleteFunc(slices.Clone(f.GroupedTypes), func(t model.NotificationType) bool {
		return !slices.Contains(GroupableNotificationTypes, t)
	})
}

// NotificationGroup is one group of the viewer's notifications.
type NotificationGroup struct {
	Key   string
	Type  model.NotificationType
	Count int64 // notifications in the group (up to the page's newest one when paginated)
	// MostRecentID is the group's newest notification (up to the page's
	// newest one when paginated).
	MostRecentID int64
	// Paginated: the group comes from a page of groups, and the Page fields
	// say which of its notifications are on that page.
	Paginated          bool
	PageMinID          int64
	PageMaxID          int64
	LatestPageNotifyAt time.Time
	SampleAccounts     []*model.Account // newest first
	Status             *StatusView      // for the types about a post
}

// NotificationGroupList is a page of groups, newest first.
type NotificationGroupList struct {
	Groups    []*NotificationGroup
	NextMaxID int64
	PrevMinID int64
}

// pageGroup collects one group while reading a page.
type pageGroup struct {
	key     string
	members []*NotificationView // newest first once the page is read
}

func effectiveGroupKey(n *model.Notification, grouped []model.NotificationType) string {
	if n.GroupKey != "" && slices.Contains(grouped, n.Type) {
		return n.GroupKey
	}
	return ungroupedPrefix + itoa(n.ID)
}

// GroupedNotifications lists a page of the viewer's notifications grouped,
// Mastodon's GET /api/v2/notifications: the page holds up to p.Limit
// groups, each with the notifications of the page that belong to it, and
// is read from the newest notification down (or, with p.MinID, from just
// above MinID up). The same notifications are left out as when listing
// them one by one (Notifications).
func (s *Service) GroupedNotifications(ctx context.Context, viewer int64, f GroupedNotificationFilter, p model.Page) (NotificationGroupList, error) {
	for _, t := range append(append([]model.NotificationType{}, f.Types...), f.ExcludeTypes...) {
		if !model.ValidNotificationType(string(t)) {
			return NotificationGroupList{}, model.Invalid("types", "unknown notification type %q", t)
		}
	}
	p = p.Clamp(80)
	grouped := f.grouped()
	q := s.st.Read()
	ascending := p.MinID != 0
	var (
		groups  []*pageGroup
		byKey   = map[string]*pageGroup{}
		scanned int
		last    int64 // the last notification read: the lowest (descending) or highest (ascending)
		full    bool  // the page has its groups; the next notification starts another
		more    bool  // reading stopped at groupScanMax with notifications left
	)
	cursor := p
	cursor.Limit = groupScanBatch
	for !full {
		batch, err := q.Notifications(ctx, viewer, f.NotificationFilter, cursor)
		if err != nil {
			return NotificationGroupList{}, err
		}
		if ascending {
			slices.Reverse(batch) // oldest first: read upwards from min_id
		}
		views, err := s.notificationViews(ctx, q, viewer, batch)
		if err != nil {
			return NotificationGroupList{}, err
		}
		for _, v := range views {
			key := effectiveGroupKey(v.Notification, grouped)
			g := byKey[key]
			if g == nil {
				if len(groups) == p.Limit {
					full = true
					break
				}
				g = &pageGroup{key: key}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.members = append(g.members, v)
		}
		if full || len(batch) < groupScanBatch {
			break // the page is full, or nothing is left to read
		}
		scanned += len(batch)
		last = batch[len(batch)-1].ID
		if scanned >= groupScanMax {
			more = true
			break
		}
		if ascending {
			cursor.MinID = last
		} else {
			cursor.MaxID = last
		}
	}
	var out NotificationGroupList
	var pageMin, pageMax int64
	for _, g := range groups {
		if ascending {
			slices.Reverse(g.members)
		}
		newest, oldest := g.members[0].Notification.ID, g.members[len(g.members)-1].Notification.ID
		if pageMax == 0 || newest > pageMax {
			pageMax = newest
		}
		if pageMin == 0 || oldest < pageMin {
			pageMin = oldest
		}
	}
	out.NextMaxID, out.PrevMinID = pageMin, pageMax
	if more {
		// Every notification read up to last is on the page or hidden from
		// the viewer: the next page in that direction starts past them.
		if ascending {
			out.PrevMinID = max(out.PrevMinID, last)
		} else if out.NextMaxID == 0 || last < out.NextMaxID {
			out.NextMaxID = last
		}
	}
	if len(groups) == 0 {
		return out, nil
	}
	built, err := s.buildGroups(ctx, q, viewer, groups, pageMax, f.FromAccountID, true)
	if err != nil {
		return NotificationGroupList{}, err
	}
	slices.SortFunc(built, func(a, b *NotificationGroup) int {
		switch {
		case a.PageMaxID > b.PageMaxID:
			return -1
		case a.PageMaxID < b.PageMaxID:
			return 1
		}
		return 0
	})
	out.Groups = built
	return out, nil
}

// buildGroups completes groups read from the page: a real group's count
// and sample accounts cover its notifications up to maxID (from fromID
// only, unless 0), on the page or not; a group of one is its notification.
func (s *Service) buildGroups(ctx context.Context, q store.Queries, viewer int64, groups []*pageGroup, maxID, fromID int64, paginated bool) ([]*NotificationGroup, error) {
	var keys []string
	for _, g := range groups {
		if !strings.HasPrefix(g.key, ungroupedPrefix) {
			keys = append(keys, g.key)
		}
	}
	sums, err := q.NotificationGroupSummaries(ctx, viewer, keys, maxID, fromID, GroupSampleAccounts)
	if err != nil {
		return nil, err
	}
	var accountIDs []int64
	for _, sum := range sums {
		accountIDs = append(accountIDs, sum.SampleAccount...)
	}
	accounts, err := q.AccountsByIDs(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*NotificationGroup, 0, len(groups))
	for _, g := range groups {
		newest := g.members[0]
		ng := &NotificationGroup{Key: g.key, Type: newest.Notification.Type, Count: int64(len(g.members)),
			MostRecentID: newest.Notification.ID, Paginated: paginated,
			PageMinID: g.members[len(g.members)-1].Notification.ID, PageMaxID: newest.Notification.ID,
			LatestPageNotifyAt: newest.Notification.CreatedAt, Status: newest.Status}
		if sum := sums[g.key]; sum != nil {
			ng.Count, ng.MostRecentID = max(sum.Count, ng.Count), max(sum.NewestID, ng.MostRecentID)
			for _, id := range sum.SampleAccount {
				if a := accounts[id]; a != nil {
					ng.SampleAccounts = append(ng.SampleAccounts, a)
				}
			}
		}
		if len(ng.SampleAccounts) == 0 { // a group of one, or one that went meanwhile
			for _, m := range g.members {
				if len(ng.SampleAccounts) < GroupSampleAccounts && !slices.Contains(ng.SampleAccounts, m.Account) {
					ng.SampleAccounts = append(ng.SampleAccounts, m.Account)
				}
			}
		}
		out = append(out, ng)
	}
	return out, nil
}

// groupMembers returns the viewer's notifications in the group with this
// key that they may see, newest first, up to limit of them (before
// leaving out those they may not see).
func (s *Service) groupMembers(ctx context.Context, q store.Queries, viewer int64, key string, limit int) ([]*NotificationView, error) {
	if rest, ok := strings.CutPrefix(key, ungroupedPrefix); ok {
		nid, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || nid <= 0 {
			return nil, nil
		}
		n, err := q.Notification(ctx, viewer, nid)
		if isNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return s.notificationViews(ctx, q, viewer, []*model.Notification{n})
	}
	list, err := q.GroupNotifications(ctx, viewer, key, limit)
	if err != nil {
		return nil, err
	}
	return s.notificationViews(ctx, q, viewer, list)
}

// NotificationGroupByKey returns one of the viewer's notification groups,
// whole, or ErrNotFound when they have none by that key they may see.
func (s *Service) NotificationGroupByKey(ctx context.Context, viewer int64, key string) (*NotificationGroup, error) {
	q := s.st.Read()
	members, err := s.groupMembers(ctx, q, viewer, key, GroupSampleAccounts)
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, model.NotFound("notification group")
	}
	groups, err := s.buildGroups(ctx, q, viewer, []*pageGroup{{key: key, members: members}}, 1<<62, 0, false)
	if err != nil {
		return nil, err
	}
	return groups[0], nil
}

// NotificationGroupAccounts lists the accounts of a group's notifications,
// newest first, each once (at most MaxGroupAccounts of them).
func (s *Service) NotificationGroupAccounts(ctx context.Context, viewer int64, key string) ([]*model.Account, error) {
	members, err := s.groupMembers(ctx, s.st.Read(), viewer, key, MaxGroupAccounts)
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, model.NotFound("notification group")
	}
	out := make([]*model.Account, 0, len(members))
	seen := map[int64]bool{}
	for _, m := range members {
		if !seen[m.Account.ID] {
			seen[m.Account.ID] = true
			out = append(out, m.Account)
		}
	}
	return out, nil
}

// DismissNotificationGroup removes every notification of one of the
// viewer's groups. Dismissing a group that is not there is harmless, as on
// Mastodon.
func (s *Service) DismissNotificationGroup(ctx context.Context, viewer int64, key string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if rest, ok := strings.CutPrefix(key, ungroupedPrefix); ok {
			nid, err := strconv.ParseInt(rest, 10, 64)
			if err != nil || nid <= 0 {
				return nil
			}
			_, err = tx.DeleteNotification(ctx, viewer, nid)
			return err
		}
		return tx.DeleteNotificationGroup(ctx, viewer, key)
	})
}

// UnreadNotificationGroupCount counts, up to limit, the groups of the
// viewer's notifications newer than their notifications read marker that
// match f (among the newest groupCountScan of them). Like
// UnreadNotificationCount, it counts rows.
func (s *Service) UnreadNotificationGroupCount(ctx context.Context, viewer int64, f GroupedNotificationFilter, limit int) (int64, error) {
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
	return q.CountNotificationGroupsAfter(ctx, viewer, after, f.NotificationFilter, f.grouped(), limit, groupCountScan)
}
