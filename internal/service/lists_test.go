package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// The fan-out tells the streams of the lists a post reaches, and of the
// home timelines a followed hashtag brings it to; an exclusive list keeps
// the post (and its event) out of the owner's home.
func TestListAndTagFanOutEvents(t *testing.T) {
	t.Parallel()
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			rec := &recorder{}
			c := testkit.NewCoreWith(t, d, func(deps *service.Deps) { deps.Publisher = rec })
			f := newFx(t, c)
			alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
			f.follow(alice, bob)
			c.Settle(t)
			exclusive := true
			title := "Bob"
			l, err := f.s.CreateList(f.ctx, alice.ID, service.ListInput{Title: &title, Exclusive: &exclusive})
			f.must(err, "create list")
			f.must(f.s.AddListAccounts(f.ctx, alice.ID, l.ID, []int64{bob.ID}), "add member")
			_, err = f.s.FollowTag(f.ctx, carol.ID, "weft")
			f.must(err, "follow tag")

			p := f.post(bob, "hello #weft")
			c.Settle(t)
			if !rec.hasEvent(service.StreamList, alice.ID, l.ID, p.ID) {
				t.Error("no list event for alice's list")
			}
			if rec.hasEvent(service.StreamUser, alice.ID, 0, p.ID) {
				t.Error("home update event for a post of an exclusive list's member")
			}
			if !rec.hasEvent(service.StreamUser, carol.ID, 0, p.ID) {
				t.Error("no home update event for the hashtag's follower")
			}
			home, err := f.s.HomeTimeline(f.ctx, carol.ID, model.Page{})
			f.must(err, "carol's home")
			if len(home.Statuses) != 1 || home.Statuses[0].Status.ID != p.ID {
				t.Errorf("carol's home: %d statuses", len(home.Statuses))
			}
		})
	}
}

// hasEvent reports an update event on a stream of an account (and list).
func (r *recorder) hasEvent(stream string, account, listID, statusID int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range r.events {
		if ev.Kind == "update" && ev.Stream == stream && ev.AccountID == account && ev.ListID == listID && ev.StatusID == statusID {
			return true
		}
	}
	return false
}
