package service_test

import (
	"strconv"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// groupKeys returns the group keys of alice's notifications, oldest first.
func (f *fx) groupKeys(of *model.Account) []string {
	f.t.Helper()
	l, err := f.s.Notifications(f.ctx, of.ID, service.NotificationFilter{}, model.Page{Limit: 80})
	f.must(err, "notifications")
	var out []string
	for i := len(l.Notifications) - 1; i >= 0; i-- {
		out = append(out, l.Notifications[i].Notification.GroupKey)
	}
	return out
}

// TestNotificationGroupKeys: likes and boosts of one post, and follows,
// join the group that began less than 12 hours before (Mastodon's rule);
// later ones start a new group; other types have no key.
func TestNotificationGroupKeys(t *testing.T) {
	t.Parallel()
	var clock *testkit.Clock
	on := func(d *service.Deps) {
		clock = testkit.NewClock()
		// Start one minute into an hour, so the hours below are exact.
		now := clock.Now()
		clock.Advance(now.Truncate(time.Hour).Add(time.Hour + time.Minute).Sub(now))
		d.Now = clock.Now
	}
	testkit.EachCoreWith(t, on, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		var fans []*model.Account
		for _, n := range []string{"bob", "carol", "dave", "erin", "fred", "gina"} {
			fans = append(fans, c.QuickAccount(t, n))
		}
		alice := c.QuickAccount(t, "alice")
		p := f.post(alice, "like me")
		start := clock.Now().Unix() / 3600
		like := func(i int) {
			_, err := f.s.Favourite(f.ctx, fans[i].ID, p.ID)
			f.must(err, "like")
			c.Settle(t)
		}
		likeKey := func(hour int64) string {
			return "favourite-" + strconv.FormatInt(p.ID, 10) + "-" + strconv.FormatInt(hour, 10)
		}
		like(0)
		clock.Advance(5 * time.Hour)
		like(1)
		f.follow(fans[0], alice)
		c.Settle(t)
		clock.Advance(6*time.Hour + 57*time.Minute) // 11:58 after the first like: still its group
		like(2)
		_, err := f.s.Reblog(f.ctx, fans[0].ID, p.ID, "")
		f.must(err, "boost")
		c.Settle(t)
		clock.Advance(5 * time.Minute) // 12:03: a new group
		like(3)
		f.follow(fans[1], alice)
		c.Settle(t)
		clock.Advance(20 * time.Hour)
		like(4) // long after: a new group
		f.post(fans[5], "hello @alice")
		c.Settle(t)
		want := []string{likeKey(start), likeKey(start), "follow-" + strconv.FormatInt(start+5, 10), likeKey(start),
			"reblog-" + strconv.FormatInt(p.ID, 10) + "-" + strconv.FormatInt(start+11, 10),
			likeKey(start + 12), "follow-" + strconv.FormatInt(start+5, 10), likeKey(start + 32), ""}
		got := f.groupKeys(alice)
		if len(got) != len(want) {
			t.Fatalf("keys %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("key %d: %q, want %q (all: %v)", i, got[i], want[i], got)
			}
		}

		// Grouped, the newest group first; a group counts its
		// notifications whatever page they are on.
		l, err := f.s.GroupedNotifications(f.ctx, alice.ID, service.GroupedNotificationFilter{}, model.Page{Limit: 40})
		f.must(err, "grouped")
		var summary []string
		for _, g := range l.Groups {
			summary = append(summary, string(g.Type)+":"+strconv.FormatInt(g.Count, 10))
		}
		wantSummary := []string{"mention:1", "favourite:1", "follow:2", "favourite:1", "reblog:1", "favourite:3"}
		if len(summary) != len(wantSummary) {
			t.Fatalf("groups %v, want %v", summary, wantSummary)
		}
		for i := range wantSummary {
			if summary[i] != wantSummary[i] {
				t.Fatalf("groups %v, want %v", summary, wantSummary)
			}
		}
	})
}
