package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// everyKind gives alice one notification of every type.
func everyKind(t *testing.T, f *fx, alice, bob, carol *model.Account) {
	t.Helper()
	_, err := f.s.Follow(f.ctx, alice.ID, bob.ID, service.FollowOptions{Notify: ptr(true)})
	f.must(err, "alice subscribes to bob")
	f.follow(bob, alice) // follow
	p := f.post(alice, "alice's post")
	f.post(bob, "bob posts")                    // status
	f.post(carol, "hey @alice")                 // mention
	_, err = f.s.Favourite(f.ctx, bob.ID, p.ID) // favourite
	f.must(err, "like")
	_, err = f.s.Reblog(f.ctx, carol.ID, p.ID, "") // reblog
	f.must(err, "boost")
	bp := f.post(bob, "bob's post")
	_, err = f.s.Favourite(f.ctx, alice.ID, bp.ID)
	f.must(err, "alice likes bob's post")
	f.c.Settle(t)
	_, err = f.s.EditPost(f.ctx, bob.ID, bp.ID, service.EditInput{Text: "bob's post, edited"}) // update
	f.must(err, "edit")
	_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Locked: ptr(true)})
	f.must(err, "lock")
	f.follow(carol, alice) // follow_request
	f.c.Settle(t)
}

func TestNotificationFilters(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		everyKind(t, f, alice, bob, carol)
		f.wantKinds(alice, "follow:bob", "status:bob", "mention:carol", "favourite:bob", "reblog:carol",
			"update:bob", "status:bob", "follow_request:carol")

		types := func(filter service.NotificationFilter) map[model.NotificationType]int {
			out := map[model.NotificationType]int{}
			for _, n := range f.notes(alice, filter) {
				out[n.Notification.Type]++
				if n.Account == nil || n.Notification.AccountID != alice.ID {
					t.Fatalf("notification %+v without its account", n.Notification)
				}
				if (n.Notification.StatusID != 0) != (n.Status != nil) {
					t.Fatalf("notification %+v: status view %v", n.Notification, n.Status)
				}
			}
			return out
		}
		got := types(service.NotificationFilter{Types: []model.NotificationType{model.NotifyMention, model.NotifyReblog}})
		if len(got) != 2 || got[model.NotifyMention] != 1 || got[model.NotifyReblog] != 1 {
			t.Fatalf("types[] filter: %v", got)
		}
		got = types(service.NotificationFilter{ExcludeTypes: []model.NotificationType{model.NotifyStatus, model.NotifyFollow, model.NotifyFollowRequest}})
		if len(got) != 4 || got[model.NotifyStatus] != 0 || got[model.NotifyUpdate] != 1 {
			t.Fatalf("exclude_types[] filter: %v", got)
		}
		got = types(service.NotificationFilter{FromAccountID: carol.ID})
		if len(got) != 3 || got[model.NotifyMention] != 1 || got[model.NotifyFollowRequest] != 1 {
			t.Fatalf("account filter: %v", got)
		}
		got = types(service.NotificationFilter{Types: []model.NotificationType{model.NotifyStatus}, FromAccountID: bob.ID})
		if got[model.NotifyStatus] != 2 || len(got) != 1 {
			t.Fatalf("types and account: %v", got)
		}
		_, err := f.s.Notifications(f.ctx, alice.ID, service.NotificationFilter{Types: []model.NotificationType{"poll"}}, model.Page{})
		f.wantErr(err, model.ErrInvalid, "unknown type")
		_, err = f.s.Notifications(f.ctx, alice.ID, service.NotificationFilter{ExcludeTypes: []model.NotificationType{"bogus"}}, model.Page{})
		f.wantErr(err, model.ErrInvalid, "unknown excluded type")

		// Paging with the cursors.
		var walked int
		seen := map[int64]bool{}
		for p := (model.Page{Limit: 3}); ; {
			l, err := f.s.Notifications(f.ctx, alice.ID, service.NotificationFilter{}, p)
			f.must(err, "page")
			if len(l.Notifications) == 0 {
				break
			}
			for _, n := range l.Notifications {
				if seen[n.Notification.ID] {
					t.Fatalf("notification %d twice", n.Notification.ID)
				}
				seen[n.Notification.ID] = true
			}
			walked += len(l.Notifications)
			p.MaxID = l.NextMaxID
		}
		if walked != 8 {
			t.Fatalf("walked %d notifications, want 8", walked)
		}
		f.wantKinds(bob, "follow:alice", "favourite:alice")
		f.wantKinds(carol)
	})
}

func TestDismissAndClearNotifications(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		f.follow(bob, alice)
		f.follow(carol, alice)
		c.Settle(t)
		list := f.notes(alice, service.NotificationFilter{})
		if len(list) != 2 {
			t.Fatalf("%d notifications", len(list))
		}
		first := list[0].Notification
		one, err := f.s.Notification(f.ctx, alice.ID, first.ID)
		f.must(err, "one notification")
		if one.Notification.ID != first.ID || one.Account.ID != first.FromAccountID {
			t.Fatalf("notification %+v", one)
		}
		_, err = f.s.Notification(f.ctx, bob.ID, first.ID)
		f.wantErr(err, model.ErrNotFound, "someone else's notification")
		f.wantErr(f.s.DismissNotification(f.ctx, bob.ID, first.ID), model.ErrNotFound, "dismiss someone else's")
		f.must(f.s.DismissNotification(f.ctx, alice.ID, first.ID), "dismiss")
		f.wantErr(f.s.DismissNotification(f.ctx, alice.ID, first.ID), model.ErrNotFound, "dismiss twice")
		if l := f.notes(alice, service.NotificationFilter{}); len(l) != 1 || l[0].Notification.ID == first.ID {
			t.Fatalf("after dismiss %d left", len(l))
		}
		f.post(alice, "hi @bob")
		c.Settle(t)
		f.must(f.s.ClearNotifications(f.ctx, alice.ID), "clear")
		f.wantKinds(alice)
		f.wantKinds(bob, "mention:alice")
	})
}

func TestMarkers(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		m, err := f.s.Markers(f.ctx, alice.ID, []string{service.MarkerHome, service.MarkerNotifications})
		f.must(err, "markers")
		if len(m) != 0 {
			t.Fatalf("markers before any: %v", m)
		}
		first, err := f.s.SetMarker(f.ctx, alice.ID, service.MarkerHome, 100)
		f.must(err, "set")
		second, err := f.s.SetMarker(f.ctx, alice.ID, service.MarkerHome, 200)
		f.must(err, "move")
		if second.LastReadID != 200 || second.Version != first.Version+1 || second.Timeline != service.MarkerHome {
			t.Fatalf("markers %+v then %+v", first, second)
		}
		_, err = f.s.SetMarker(f.ctx, alice.ID, service.MarkerNotifications, 7)
		f.must(err, "set notifications marker")
		m, err = f.s.Markers(f.ctx, alice.ID, []string{"home", "notifications", "public"})
		f.must(err, "markers")
		if len(m) != 2 || m["home"].LastReadID != 200 || m["notifications"].LastReadID != 7 {
			t.Fatalf("markers %v", m)
		}
		if m, _ := f.s.Markers(f.ctx, bob.ID, []string{"home"}); len(m) != 0 {
			t.Fatal("markers are per account")
		}
		_, err = f.s.SetMarker(f.ctx, alice.ID, "public", 1)
		f.wantErr(err, model.ErrInvalid, "unknown timeline")
		_, err = f.s.SetMarker(f.ctx, alice.ID, service.MarkerHome, 0)
		f.wantErr(err, model.ErrInvalid, "no last_read_id")
	})
}

func TestNoNotificationForSelf(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.QuickAccount(t, "alice")
		p := f.post(alice, "me, @alice")
		f.reply(alice, p, "me again")
		_, err := f.s.Favourite(f.ctx, alice.ID, p.ID)
		f.must(err, "like own post")
		_, err = f.s.Reblog(f.ctx, alice.ID, p.ID, "")
		f.must(err, "boost own post")
		_, err = f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: "still me, @alice"})
		f.must(err, "edit")
		c.Settle(t)
		f.wantKinds(alice)
	})
}

func TestConversationMuteSuppressesNotifications(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		root := f.post(alice, "a busy thread")
		other := f.post(alice, "another thread")
		v, err := f.s.MuteConversation(f.ctx, alice.ID, root.ID)
		f.must(err, "mute conversation")
		if !v.Muted {
			t.Fatal("muted view not marked")
		}
		r := f.reply(bob, root, "reply")
		f.reply(carol, r, "deeper reply @alice")
		_, err = f.s.Favourite(f.ctx, bob.ID, root.ID)
		f.must(err, "like in the muted thread")
		f.reply(bob, other, "elsewhere")
		c.Settle(t)
		f.wantKinds(alice, "mention:bob") // only from the other thread
		if st, err := f.s.Status(f.ctx, alice.ID, r.ID); err != nil || !st.Muted {
			t.Fatalf("reply in muted conversation: muted %v, err %v", st != nil && st.Muted, err)
		}
		v, err = f.s.UnmuteConversation(f.ctx, alice.ID, r.ID) // any post of the thread
		f.must(err, "unmute")
		if v.Muted {
			t.Fatal("still muted")
		}
		f.reply(carol, root, "after unmute")
		c.Settle(t)
		f.wantKinds(alice, "mention:bob", "mention:carol")
	})
}

func TestAccountMuteHidesNotifications(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := f.post(alice, "post")
		_, err := f.s.Mute(f.ctx, alice.ID, bob.ID, service.MuteOptions{})
		f.must(err, "mute")
		f.follow(bob, alice)
		_, err = f.s.Favourite(f.ctx, bob.ID, p.ID)
		f.must(err, "like")
		f.reply(bob, p, "reply")
		c.Settle(t)
		f.wantKinds(alice)
		_, err = f.s.Mute(f.ctx, alice.ID, bob.ID, service.MuteOptions{HideNotifications: ptr(false)})
		f.must(err, "mute, notifications on")
		_, err = f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.must(err, "boost")
		c.Settle(t)
		f.wantKinds(alice, "reblog:bob")
	})
}

// Replies splits mentions into answers to the member's posts and the
// rest (the web app's Replies and Mentions tabs), on both databases.
func TestNotificationRepliesFilter(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := f.post(alice, "alice asks a question")
		f.reply(bob, p, "@alice an answer")
		f.post(bob, "@alice a mention out of the blue")
		c.Settle(t)
		texts := func(replies bool) []string {
			var out []string
			for _, n := range f.notes(alice, service.NotificationFilter{Types: []model.NotificationType{model.NotifyMention}, Replies: &replies}) {
				out = append(out, n.Status.Status.Text)
			}
			return out
		}
		if got := texts(true); len(got) != 1 || got[0] != "@alice an answer" {
			t.Fatalf("replies: %q", got)
		}
		if got := texts(false); len(got) != 1 || got[0] != "@alice a mention out of the blue" {
			t.Fatalf("other mentions: %q", got)
		}
	})
}
