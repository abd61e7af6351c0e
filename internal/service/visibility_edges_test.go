package service_test

// Privacy edges beyond the matrix: boosts, replies to direct posts, deleted
// posts, suspended authors, mutes, blocks of earlier posts, ended follows.

import (
	"context"
	"errors"
	"slices"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// vmPlaces lists the read paths on which the viewer sees the status (itself
// or boosted): single fetch, the thread below root, home, public timelines,
// the hashtag, the given profiles, bookmarks and notifications (as
// "notification:<type>").
func vmPlaces(t *testing.T, c *testkit.Core, viewer int64, target, root *model.Status, tag string, profiles ...int64) []string {
	t.Helper()
	ctx, s := context.Background(), c.Service
	page := model.Page{Limit: model.MaxLimit}
	var out []string
	add := func(place string, views []*service.StatusView, err error) {
		t.Helper()
		if !vmHidden(t, err, place) && vmShows(views, target.ID) {
			out = append(out, place)
		}
	}
	v, err := s.Status(ctx, viewer, target.ID)
	if !vmHidden(t, err, "status") && v != nil {
		out = append(out, "status")
	}
	if cx, err := s.StatusContext(ctx, viewer, root.ID); !vmHidden(t, err, "thread") &&
		(vmShows(cx.Descendants, target.ID) || vmTreeShows(cx.Tree, target.ID)) {
		out = append(out, "thread")
	}
	tl, err := s.HomeTimeline(ctx, viewer, page)
	add("home", tl.Statuses, err)
	tl, err = s.PublicTimeline(ctx, viewer, store.AllOrigins, page)
	add("public", tl.Statuses, err)
	tl, err = s.PublicTimeline(ctx, viewer, store.LocalOnly, page)
	add("public-local", tl.Statuses, err)
	tl, err = s.TagTimeline(ctx, viewer, tag, store.AllOrigins, page)
	add("hashtag", tl.Statuses, err)
	for _, p := range profiles {
		tl, err = s.AccountTimeline(ctx, viewer, p, service.AccountTimelineOptions{}, page)
		add("account", tl.Statuses, err)
	}
	tl, err = s.Bookmarks(ctx, viewer, page)
	add("bookmarks", tl.Statuses, err)
	nl, err := s.Notifications(ctx, viewer, service.NotificationFilter{}, model.Page{Limit: 80})
	testkit.Must(t, err, "notifications")
	for _, n := range nl.Notifications {
		if n.Notification.StatusID == target.ID {
			out = append(out, "notification:"+string(n.Notification.Type))
		}
	}
	return out
}

func vmWantPlaces(t *testing.T, who string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s sees it on %v, want %v", who, got, want)
	}
}

func vmWantErr(t *testing.T, err, kind error, what string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: err = %v, want %v", what, err, kind)
	}
}

func TestPrivacyBoosts(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		ctx, s := context.Background(), c.Service
		alice, bob, carol := c.User(t, "alice"), c.User(t, "bob"), c.User(t, "carol")
		reader, blocked, blocking := c.User(t, "reader"), c.User(t, "blocked"), c.User(t, "blocking")
		stranger := c.User(t, "stranger")
		for _, a := range []*model.Account{reader, blocked, blocking} {
			_, err := s.Follow(ctx, a.ID, bob.ID, service.FollowOptions{})
			testkit.Must(t, err, "%s follows bob", a.Username)
		}
		_, err := s.Follow(ctx, bob.ID, alice.ID, service.FollowOptions{})
		testkit.Must(t, err, "bob follows alice")
		c.Settle(t)

		// A boost of a public post by an account the reader follows is in
		// their home, with the post inside.
		pub := c.Post(t, alice, service.PostInput{Text: "public, by alice"})
		boost, err := s.Reblog(ctx, bob.ID, pub.ID, "")
		testkit.Must(t, err, "bob boosts alice")
		c.Settle(t)
		home, err := s.HomeTimeline(ctx, reader.ID, model.Page{})
		testkit.Must(t, err, "home")
		if len(home.Statuses) != 1 || home.Statuses[0].Status.ID != boost.Status.ID || home.Statuses[0].Reblog == nil ||
			home.Statuses[0].Reblog.Status.ID != pub.ID {
			t.Fatalf("reader's home %v, want bob's boost of alice's post", viewIDs(home.Statuses))
		}

		// A boost of a post whose author blocks the viewer (or whom the
		// viewer blocks) never shows: neither one boosted before the block
		// nor one boosted after it.
		early := c.Post(t, carol, service.PostInput{Text: "carol, before the blocks"})
		earlyBoost, err := s.Reblog(ctx, bob.ID, early.ID, "")
		testkit.Must(t, err, "bob boosts carol")
		c.Settle(t)
		for _, a := range []*model.Account{blocked, blocking} {
			if got := vmPlaces(t, c, a.ID, early, early, "none", bob.ID); !slices.Contains(got, "home") {
				t.Fatalf("before the block %s does not see the boost: %v", a.Username, got)
			}
		}
		_, err = s.Block(ctx, carol.ID, blocked.ID)
		testkit.Must(t, err, "carol blocks")
		_, err = s.Block(ctx, blocking.ID, carol.ID)
		testkit.Must(t, err, "carol is blocked")
		late := c.Post(t, carol, service.PostInput{Text: "carol, after the blocks"})
		lateBoost, err := s.Reblog(ctx, bob.ID, late.ID, "")
		testkit.Must(t, err, "bob boosts carol again")
		c.Settle(t)
		for _, a := range []*model.Account{blocked, blocking} {
			for _, p := range []*model.Status{early, late} {
				vmWantPlaces(t, a.Username+" (carol's post)", vmPlaces(t, c, a.ID, p, p, "none", bob.ID, carol.ID))
			}
			for _, b := range []*service.StatusView{earlyBoost, lateBoost} {
				_, err := s.Status(ctx, a.ID, b.Status.ID)
				vmWantErr(t, err, model.ErrNotFound, a.Username+" fetches bob's boost of carol")
				_, err = s.StatusContext(ctx, a.ID, b.Status.ID)
				vmWantErr(t, err, model.ErrNotFound, a.Username+" opens the thread of bob's boost of carol")
			}
		}
		vmWantPlaces(t, "reader (carol's late post)", vmPlaces(t, c, reader.ID, late, late, "none", bob.ID),
			"status", "thread", "home", "public", "public-local", "account")

		// Followers-only posts cannot be boosted by others, even followers.
		priv := c.Post(t, alice, service.PostInput{Text: "followers only", Visibility: model.Private})
		_, err = s.Reblog(ctx, bob.ID, priv.ID, "")
		vmWantErr(t, err, model.ErrForbidden, "a follower boosts a followers-only post")
		_, err = s.Reblog(ctx, stranger.ID, priv.ID, "")
		vmWantErr(t, err, model.ErrNotFound, "a stranger boosts a followers-only post")

		// The author's own boost of a followers-only post is followers-only.
		self, err := s.Reblog(ctx, alice.ID, priv.ID, "")
		testkit.Must(t, err, "alice boosts her own followers-only post")
		c.Settle(t)
		if self.Status.Visibility != model.Private {
			t.Fatalf("self-boost visibility %s, want private", self.Status.Visibility)
		}
		for _, v := range []struct {
			who  string
			id   int64
			sees bool
		}{{"alice", alice.ID, true}, {"bob (follower)", bob.ID, true}, {"reader (follows bob only)", reader.ID, false},
			{"stranger", stranger.ID, false}, {"anonymous", 0, false}} {
			_, err := s.Status(ctx, v.id, self.Status.ID)
			if hidden := vmHidden(t, err, "self-boost"); hidden == v.sees {
				t.Errorf("%s fetches the self-boost: hidden %v, want seen %v", v.who, hidden, v.sees)
			}
			tl, err := s.AccountTimeline(ctx, v.id, alice.ID, service.AccountTimelineOptions{}, model.Page{Limit: model.MaxLimit})
			testkit.Must(t, err, "alice's profile")
			if got := slices.Contains(viewIDs(tl.Statuses), self.Status.ID); got != v.sees {
				t.Errorf("%s sees the self-boost on alice's profile: %v, want %v", v.who, got, v.sees)
			}
			if !v.sees {
				vmWantPlaces(t, v.who+" (the followers-only post)", vmPlaces(t, c, v.id, priv, priv, "none", alice.ID))
			}
		}
	})
}

func TestPrivacyReplyToDirect(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		ctx, s := context.Background(), c.Service
		alice, bob, fan := c.User(t, "alice"), c.User(t, "bob"), c.User(t, "fan")
		notify := true
		for _, target := range []*model.Account{bob, alice} { // fan follows both, so a reply would qualify for home
			_, err := s.Follow(ctx, fan.ID, target.ID, service.FollowOptions{Notify: &notify})
			testkit.Must(t, err, "fan follows")
		}
		_, err := s.Follow(ctx, alice.ID, bob.ID, service.FollowOptions{}) // a mentioned follower: the reply reaches her home
		testkit.Must(t, err, "alice follows bob")
		c.Settle(t)
		dm := c.Post(t, alice, service.PostInput{Text: "@bob just between us #weftdm", Visibility: model.Direct})
		reply := c.Post(t, bob, service.PostInput{Text: "sure, between us #weftdm", Visibility: model.Direct, InReplyToID: dm.ID})
		c.Settle(t)
		if !reply.Mentioned(alice.ID) || reply.Mentioned(fan.ID) {
			t.Fatalf("reply mentions %v, want alice only", reply.Mentions)
		}
		vmWantPlaces(t, "fan (the reply)", vmPlaces(t, c, fan.ID, reply, dm, "weftdm", bob.ID, alice.ID))
		vmWantPlaces(t, "fan (the post)", vmPlaces(t, c, fan.ID, dm, dm, "weftdm", bob.ID, alice.ID))
		vmWantPlaces(t, "anonymous (the reply)", vmPlaces(t, c, 0, reply, dm, "weftdm", bob.ID, alice.ID))
		vmWantPlaces(t, "alice (the reply)", vmPlaces(t, c, alice.ID, reply, dm, "weftdm", bob.ID),
			"status", "thread", "home", "account", "notification:mention")
		vmWantPlaces(t, "bob (the reply)", vmPlaces(t, c, bob.ID, reply, dm, "weftdm", bob.ID),
			"status", "thread", "home", "account")
	})
}

// vmVanishing sets up a post seen on every path, makes it go with gone,
// and checks that it went from every path for every viewer.
func vmVanishing(t *testing.T, c *testkit.Core, gone func(t *testing.T, author *model.Account, post *model.Status)) {
	ctx, s := context.Background(), c.Service
	alice, fan, pal := c.User(t, "alice"), c.User(t, "fan"), c.User(t, "pal")
	watcher, stranger := c.User(t, "watcher"), c.User(t, "stranger")
	notify := true
	_, err := s.Follow(ctx, fan.ID, alice.ID, service.FollowOptions{Notify: &notify})
	testkit.Must(t, err, "fan follows alice")
	_, err = s.Follow(ctx, watcher.ID, fan.ID, service.FollowOptions{})
	testkit.Must(t, err, "watcher follows fan")
	c.Settle(t)
	root := c.Post(t, alice, service.PostInput{Text: "a thread"})
	post := c.Post(t, alice, service.PostInput{Text: "@pal soon gone #weftgone", InReplyToID: root.ID})
	c.Post(t, alice, service.PostInput{Text: "below it", InReplyToID: post.ID})
	_, err = s.Reblog(ctx, fan.ID, post.ID, "")
	testkit.Must(t, err, "fan boosts")
	_, err = s.Bookmark(ctx, pal.ID, post.ID)
	testkit.Must(t, err, "pal bookmarks")
	c.Settle(t)
	everywhere := []string{"status", "thread", "public", "public-local", "hashtag", "account", "account"}
	vmWantPlaces(t, "stranger, before", vmPlaces(t, c, stranger.ID, post, root, "weftgone", alice.ID, fan.ID), everywhere...)
	vmWantPlaces(t, "fan, before", vmPlaces(t, c, fan.ID, post, root, "weftgone", alice.ID, fan.ID),
		"status", "thread", "home", "public", "public-local", "hashtag", "account", "account", "notification:status")
	vmWantPlaces(t, "watcher, before", vmPlaces(t, c, watcher.ID, post, root, "weftgone", alice.ID, fan.ID),
		"status", "thread", "home", "public", "public-local", "hashtag", "account", "account")
	vmWantPlaces(t, "pal, before", vmPlaces(t, c, pal.ID, post, root, "weftgone", alice.ID, fan.ID),
		append(everywhere, "bookmarks", "notification:mention")...)

	gone(t, alice, post)
	c.Settle(t)
	for _, v := range []*model.Account{fan, pal, watcher, stranger, {Username: "anonymous"}} {
		vmWantPlaces(t, v.Username, vmPlaces(t, c, v.ID, post, root, "weftgone", alice.ID, fan.ID))
	}
}

func TestPrivacyDeletedPostVanishes(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		vmVanishing(t, c, func(t *testing.T, author *model.Account, post *model.Status) {
			_, err := c.Service.DeletePost(context.Background(), author.ID, post.ID)
			testkit.Must(t, err, "delete")
			_, err = c.Service.Status(context.Background(), author.ID, post.ID)
			vmWantErr(t, err, model.ErrNotFound, "the author fetches their deleted post")
		})
	})
}

func TestPrivacySuspendedAuthorVanishes(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		vmVanishing(t, c, func(t *testing.T, author *model.Account, _ *model.Status) {
			testkit.Must(t, c.Service.SuspendAccount(context.Background(), author.ID), "suspend")
		})
	})
}

func TestPrivacyMute(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		ctx, s := context.Background(), c.Service
		alice, bob, viewer := c.User(t, "alice"), c.User(t, "bob"), c.User(t, "viewer")
		for _, target := range []*model.Account{alice, bob} {
			_, err := s.Follow(ctx, viewer.ID, target.ID, service.FollowOptions{})
			testkit.Must(t, err, "viewer follows")
		}
		_, err := s.Mute(ctx, viewer.ID, alice.ID, service.MuteOptions{})
		testkit.Must(t, err, "viewer mutes alice")
		c.Settle(t)
		root := c.Post(t, alice, service.PostInput{Text: "a thread"})
		post := c.Post(t, alice, service.PostInput{Text: "@viewer hello #weftmute", InReplyToID: root.ID})
		_, err = s.Reblog(ctx, bob.ID, post.ID, "")
		testkit.Must(t, err, "bob boosts alice")
		c.Settle(t)
		// Muted: not in home (neither the post nor bob's boost of it), the
		// public timelines, the hashtag or among the replies of a thread
		// (as on Mastodon), and no notification; still there when fetched,
		// as the post a thread is opened on, and on the profiles.
		vmWantPlaces(t, "viewer", vmPlaces(t, c, viewer.ID, post, root, "weftmute", alice.ID, bob.ID),
			"status", "account", "account")
		cx, err := s.StatusContext(ctx, viewer.ID, post.ID)
		testkit.Must(t, err, "context of the muted post itself")
		if cx.Tree == nil || cx.Tree.View == nil || cx.Tree.View.Status.ID != post.ID {
			t.Fatalf("the muted post a thread is opened on must show, got tree %+v", cx.Tree)
		}

		// A mute that keeps notifications lets the mention through.
		keep := false
		_, err = s.Mute(ctx, viewer.ID, alice.ID, service.MuteOptions{HideNotifications: &keep})
		testkit.Must(t, err, "mute without hiding notifications")
		again := c.Post(t, alice, service.PostInput{Text: "@viewer again #weftmute", InReplyToID: root.ID})
		c.Settle(t)
		vmWantPlaces(t, "viewer (notifications on)", vmPlaces(t, c, viewer.ID, again, root, "weftmute", alice.ID),
			"status", "account", "notification:mention")
	})
}

func TestPrivacyBlockHidesEarlierPosts(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		ctx, s := context.Background(), c.Service
		alice, blocked, blocking := c.User(t, "alice"), c.User(t, "blocked"), c.User(t, "blocking")
		notify := true
		for _, a := range []*model.Account{blocked, blocking} {
			_, err := s.Follow(ctx, a.ID, alice.ID, service.FollowOptions{Notify: &notify})
			testkit.Must(t, err, "%s follows alice", a.Username)
		}
		c.Settle(t)
		root := c.Post(t, alice, service.PostInput{Text: "a thread"})
		var posts []*model.Status
		for _, vis := range vmVisibilities {
			posts = append(posts, c.Post(t, alice, service.PostInput{InReplyToID: root.ID, Visibility: vis,
				Text: "@blocked @blocking before the block #weftearly"}))
		}
		c.Settle(t)
		for _, a := range []*model.Account{blocked, blocking} {
			got := vmPlaces(t, c, a.ID, posts[2], root, "weftearly", alice.ID)
			// Mentioned, so notified of the mention only: the "new post"
			// notification would tell them the same thing twice.
			vmWantPlaces(t, a.Username+" (followers-only, before the block)", got,
				"status", "thread", "home", "account", "notification:mention")
		}
		_, err := s.Block(ctx, alice.ID, blocked.ID)
		testkit.Must(t, err, "alice blocks")
		_, err = s.Block(ctx, blocking.ID, alice.ID)
		testkit.Must(t, err, "alice is blocked")
		c.Settle(t)
		for _, a := range []*model.Account{blocked, blocking} {
			for _, p := range posts {
				vmWantPlaces(t, a.Username+" ("+string(p.Visibility)+", after the block)",
					vmPlaces(t, c, a.ID, p, root, "weftearly", alice.ID))
			}
		}
	})
}

// Followers-only posts are for current followers: not for an ex-follower,
// nor for someone whose follow request is still pending.
func TestPrivacyFollowEnds(t *testing.T) {
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		ctx, s := context.Background(), c.Service
		alice, fan, asker := c.User(t, "alice"), c.User(t, "fan"), c.User(t, "asker")
		notify, locked := true, true
		_, err := s.Follow(ctx, fan.ID, alice.ID, service.FollowOptions{Notify: &notify})
		testkit.Must(t, err, "fan follows alice")
		_, err = s.UpdateProfile(ctx, alice.ID, service.ProfileUpdate{Locked: &locked})
		testkit.Must(t, err, "alice locks her account")
		rel, err := s.Follow(ctx, asker.ID, alice.ID, service.FollowOptions{Notify: &notify})
		testkit.Must(t, err, "asker asks to follow alice")
		if !rel.Requested || rel.Following {
			t.Fatalf("asker → alice %+v, want a pending request", rel)
		}
		c.Settle(t)
		post := c.Post(t, alice, service.PostInput{Text: "followers only #weftfollow", Visibility: model.Private})
		c.Settle(t)
		vmWantPlaces(t, "fan, following", vmPlaces(t, c, fan.ID, post, post, "weftfollow", alice.ID),
			"status", "thread", "home", "account", "notification:status")
		vmWantPlaces(t, "asker, requested", vmPlaces(t, c, asker.ID, post, post, "weftfollow", alice.ID))
		_, err = s.Unfollow(ctx, fan.ID, alice.ID)
		testkit.Must(t, err, "fan unfollows")
		c.Settle(t)
		vmWantPlaces(t, "fan, unfollowed", vmPlaces(t, c, fan.ID, post, post, "weftfollow", alice.ID))
	})
}
