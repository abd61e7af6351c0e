package service_test

import (
	"context"
	"sync"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Undoing an action takes its notification back, as on Mastodon, even when
// the undo comes before the notification job has run.
func TestUndoTakesNotificationsBack(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := f.post(alice, "like me")
		c.Settle(t)

		_, err := f.s.Favourite(f.ctx, bob.ID, p.ID)
		f.must(err, "like")
		_, err = f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.must(err, "boost")
		f.follow(bob, alice)
		c.Settle(t)
		f.wantKinds(alice, "favourite:bob", "reblog:bob", "follow:bob")

		_, err = f.s.Unfavourite(f.ctx, bob.ID, p.ID)
		f.must(err, "unlike")
		_, err = f.s.Unreblog(f.ctx, bob.ID, p.ID)
		f.must(err, "unboost")
		_, err = f.s.Unfollow(f.ctx, bob.ID, alice.ID)
		f.must(err, "unfollow")
		c.Settle(t)
		f.wantKinds(alice)

		// Undone before the job ran: the job finds nothing to tell.
		_, err = f.s.Favourite(f.ctx, bob.ID, p.ID)
		f.must(err, "like again")
		_, err = f.s.Unfavourite(f.ctx, bob.ID, p.ID)
		f.must(err, "unlike again")
		c.Settle(t)
		f.wantKinds(alice)
	})
}

func TestWithdrawnFollowRequestTakesItsNotificationBack(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		locked := true
		_, err := f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Locked: &locked})
		f.must(err, "lock")
		f.follow(bob, alice)
		c.Settle(t)
		f.wantKinds(alice, "follow_request:bob")
		_, err = f.s.Unfollow(f.ctx, bob.ID, alice.ID)
		f.must(err, "withdraw")
		f.wantKinds(alice)
	})
}

// Asking again while a request waits changes the request's options.
func TestFollowAgainWhilePendingUpdatesTheRequest(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		locked, off, on := true, false, true
		_, err := f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Locked: &locked})
		f.must(err, "lock")
		_, err = f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{})
		f.must(err, "request")
		rel, err := f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{Reblogs: &off, Notify: &on})
		f.must(err, "request again")
		if !rel.Requested || rel.ShowingReblogs || !rel.Notifying {
			t.Fatalf("relationship after asking again = %+v, want requested without boosts, with notify", rel)
		}
		_, err = f.s.AuthorizeFollowRequest(f.ctx, alice.ID, bob.ID)
		f.must(err, "authorize")
		if rel := f.rel(bob, alice); !rel.Following || rel.ShowingReblogs || !rel.Notifying {
			t.Fatalf("relationship after authorize = %+v, want the updated options", rel)
		}
	})
}

// "Notify me when they post" is about their posts and threads: not replies
// to others, and not posts that mention the follower (the mention notifies).
func TestStatusNotificationsSkipRepliesToOthersAndMentions(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		on := true
		_, err := f.s.Follow(f.ctx, bob.ID, alice.ID, service.FollowOptions{Notify: &on})
		f.must(err, "follow with notify")
		f.follow(bob, carol)
		c.Settle(t)
		root := f.post(alice, "a thread")
		f.reply(alice, root, "its second part")
		carols := f.post(carol, "carol writes")
		f.reply(alice, carols, "alice answers carol")
		f.post(alice, "hello @bob")
		c.Settle(t)
		got := 0
		for _, n := range f.notes(bob, service.NotificationFilter{}) {
			switch n.Notification.Type {
			case model.NotifyStatus:
				got++
				if n.Status.Status.InReplyToAccountID == carol.ID {
					t.Fatalf("notified of a reply to someone else")
				}
			case model.NotifyMention:
			default:
				t.Fatalf("unexpected notification %s", n.Notification.Type)
			}
		}
		if got != 2 {
			t.Fatalf("status notifications = %d, want 2 (the thread's two parts)", got)
		}
	})
}

// A reply with no visibility given is not wider than its parent.
func TestReplyVisibilityDefaultsToTheParents(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		for _, vis := range []model.Visibility{model.Public, model.Unlisted, model.Private, model.Direct} {
			parent := f.postVis(alice, "@bob a "+string(vis)+" post", vis)
			r := f.reply(bob, parent, "an answer")
			if r.Visibility != vis {
				t.Fatalf("reply to a %s post is %s", vis, r.Visibility)
			}
		}
		parent := f.postVis(alice, "@bob followers only", model.Private)
		r := c.Post(t, bob, service.PostInput{Text: "answered in public on purpose", InReplyToID: parent.ID, Visibility: model.Public})
		if r.Visibility != model.Public {
			t.Fatalf("an explicit visibility was overridden: %s", r.Visibility)
		}
	})
}

// The pinned posts lead the first page of a profile, once.
func TestPinnedFirst(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.QuickAccount(t, "alice")
		old := f.post(alice, "old but pinned")
		mid := f.post(alice, "middle")
		last := f.post(alice, "newest")
		_, err := f.s.Pin(f.ctx, alice.ID, old.ID)
		f.must(err, "pin")
		f.wantIDs(f.accountIDs(0, alice, service.AccountTimelineOptions{PinnedFirst: true}), statusIDs(old, last, mid), "profile")
		tl, err := f.s.AccountTimeline(f.ctx, 0, alice.ID, service.AccountTimelineOptions{PinnedFirst: true}, model.Page{MaxID: mid.ID})
		f.must(err, "second page")
		f.wantIDs(viewIDs(tl.Statuses), statusIDs(old), "second page has no pins on top")
	})
}

// recorder keeps the live events the service publishes.
type recorder struct {
	mu     sync.Mutex
	events []service.Event
}

func (r *recorder) Publish(_ context.Context, ev service.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) has(kind string, account, status int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range r.events {
		if ev.Kind == kind && ev.AccountID == account && (status == 0 || ev.StatusID == status) {
			return true
		}
	}
	return false
}

// Every home timeline a post enters gets a live "update" event, and every
// notification a "notification" event, for the streaming API.
func TestLiveEvents(t *testing.T) {
	t.Parallel()
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			rec := &recorder{}
			c := testkit.NewCoreWith(t, d, func(deps *service.Deps) { deps.Publisher = rec })
			f := newFx(t, c)
			alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
			f.follow(bob, alice)
			f.follow(carol, alice)
			c.Settle(t)
			p := f.post(alice, "hello @carol")
			c.Settle(t)
			for _, who := range []*model.Account{alice, bob, carol} {
				if !rec.has("update", who.ID, p.ID) {
					t.Errorf("no update event for %s", who.Username)
				}
			}
			if !rec.has("notification", carol.ID, 0) || !rec.has("notification", alice.ID, 0) {
				t.Errorf("missing notification events: %+v", rec.events)
			}
			_, err := f.s.DeletePost(f.ctx, alice.ID, p.ID)
			f.must(err, "delete")
			if !rec.has("delete", alice.ID, p.ID) {
				t.Errorf("no delete event")
			}
		})
	}
}
