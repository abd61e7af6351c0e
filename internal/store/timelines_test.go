package store_test

import (
	"strconv"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

// hidden is one post of a world built to test the SQL pre-filters: who
// wrote it and whether a viewer's timelines must hide it.
type hidden struct {
	name      string
	post      *model.Status
	always    bool // hidden on every timeline
	withMutes bool // hidden where mutes apply
}

// hidingWorld makes authors in every relation to viewer, each with one
// public post (mods apply), and returns them with what must be hidden.
func (f *fx) hidingWorld(viewer *model.Account, now time.Time, mods ...func(*model.Status)) []hidden {
	f.t.Helper()
	author := func(name string) *model.Account { return f.account(name) }
	plain, blocked, blocker := author("plain"), author("blocked"), author("blocker")
	muted, expired, suspended, deleted := author("muted"), author("expired"), author("suspended"), author("deleted")
	f.block(viewer, blocked)
	f.block(blocker, viewer)
	f.mute(viewer, muted, ptr(now.Add(time.Hour)))
	f.mute(viewer, expired, ptr(now.Add(-time.Second)))
	out := []hidden{
		{name: "plain", post: f.status(plain, mods...)},
		{name: "blocked by viewer", post: f.status(blocked, mods...), always: true},
		{name: "blocks viewer", post: f.status(blocker, mods...), always: true},
		{name: "muted", post: f.status(muted, mods...), withMutes: true},
		{name: "mute expired", post: f.status(expired, mods...)},
		{name: "suspended", post: f.status(suspended, mods...), always: true},
		{name: "account deleted", post: f.status(deleted, mods...), always: true},
		{name: "post deleted", post: f.status(plain, mods...), always: true},
	}
	f.tx(func(tx *store.Tx) error {
		if err := tx.SetAccountSuspended(f.ctx, suspended.ID, &now); err != nil {
			return err
		}
		if err := tx.MarkAccountDeleted(f.ctx, deleted.ID, now); err != nil {
			return err
		}
		return tx.SoftDeleteStatus(f.ctx, out[len(out)-1].post.ID, now)
	})
	return out
}

// visibleOf lists, newest first, the posts of world a timeline must show.
func visibleOf(world []hidden, mutes bool) []int64 {
	var asc []int64
	for _, h := range world {
		if !h.always && !(mutes && h.withMutes) {
			asc = append(asc, h.post.ID)
		}
	}
	return desc(asc)
}

func TestHomeTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, friend := f.account("me"), f.account("friend")
		now := nowMS()
		world := f.hidingWorld(me, now)
		for _, h := range world {
			f.feed(me, h.post, 0)
		}
		list, err := f.q.HomeTimeline(f.ctx, me.ID, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "home", statusIDs(list), visibleOf(world, true))

		// Boosts show as the boost row; a boost by a muted account is hidden.
		var boostOf *model.Status
		for _, h := range world {
			if h.name == "muted" {
				boostOf = h.post
			}
		}
		b := f.boost(friend, boostOf)
		f.feed(me, b, 0)
		list, err = f.q.HomeTimeline(f.ctx, me.ID, model.Page{Limit: 1}, now)
		ok(t, err)
		if len(list) != 1 || list[0].ID != b.ID || list[0].ReblogOfID != boostOf.ID {
			t.Fatalf("boost entry: %+v", list)
		}
		// Another reader's timeline is separate.
		list, err = f.q.HomeTimeline(f.ctx, friend.ID, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "friend's home", statusIDs(list), []int64{})
	})
}

func TestHomeTimelinePaging(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, alice := f.account("me"), f.account("alice")
		var asc []int64
		for range 10 {
			s := f.status(alice)
			f.feed(me, s, 0)
			asc = append(asc, s.ID)
		}
		f.feed(alice, f.status(me), 0)
		checkPaging(t, asc, pageStatuses(func(p model.Page) ([]*model.Status, error) {
			return f.q.HomeTimeline(f.ctx, me.ID, p, nowMS())
		}))
	})
}

func TestPublicTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, alice, bob := f.account("me"), f.account("alice"), f.account("bob")
		now := nowMS()
		world := f.hidingWorld(me, now)
		// Posts the public timeline never shows, whoever looks.
		root := f.status(alice)
		f.boost(alice, root)
		f.status(alice, visibility(model.Unlisted))
		f.status(alice, visibility(model.Private))
		f.status(alice, visibility(model.Direct))
		f.status(bob, replyTo(root))
		f.status(alice, func(s *model.Status) { s.InReplyToID = ids.Next() }) // unknown parent and author
		self := f.status(alice, replyTo(root))                                // a thread: kept

		want := append([]int64{self.ID, root.ID}, visibleOf(world, true)...)
		list, err := f.q.PublicTimeline(f.ctx, me.ID, store.PublicFilter{Scope: store.AllOrigins}, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "public for me", statusIDs(list), want)

		// Anonymous: no blocks or mutes, still no suspended authors or deleted posts.
		var anon []int64
		for _, h := range world {
			if h.name == "plain" || h.name == "blocked by viewer" || h.name == "blocks viewer" || h.name == "muted" ||
				h.name == "mute expired" {
				anon = append(anon, h.post.ID)
			}
		}
		list, err = f.q.PublicTimeline(f.ctx, 0, store.PublicFilter{Scope: store.AllOrigins}, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "public for anonymous", statusIDs(list), append([]int64{self.ID, root.ID}, desc(anon)...))
	})
}

func TestPublicTimelineScopeAndPaging(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, far := f.account("alice"), f.account("far", remote("remote.example"))
		var local, remoteIDs, all []int64
		for range 10 {
			l, r := f.status(alice), f.status(far)
			local, remoteIDs = append(local, l.ID), append(remoteIDs, r.ID)
			all = append(all, l.ID, r.ID)
		}
		for _, c := range []struct {
			name  string
			scope store.Scope
			asc   []int64
		}{{"local", store.LocalOnly, local}, {"remote", store.RemoteOnly, remoteIDs}, {"all", store.AllOrigins, all}} {
			t.Run(c.name, func(t *testing.T) {
				checkPaging(t, c.asc, pageStatuses(func(p model.Page) ([]*model.Status, error) {
					return f.q.PublicTimeline(f.ctx, alice.ID, store.PublicFilter{Scope: c.scope}, p, nowMS())
				}))
			})
		}
	})
}

func TestTagTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, alice, far := f.account("me"), f.account("alice"), f.account("far", remote("remote.example"))
		goTag, rustTag := f.tag("Go", "go"), f.tag("Rust", "rust")
		tagged := func(tagID int64, s *model.Status) *model.Status {
			f.tx(func(tx *store.Tx) error { return tx.SetTags(f.ctx, s.ID, []int64{tagID}) })
			return s
		}
		now := nowMS()
		world := f.hidingWorld(me, now)
		for _, h := range world {
			tagged(goTag, h.post)
		}
		rust := []int64{tagged(rustTag, f.status(alice)).ID}
		tagged(goTag, f.status(alice, visibility(model.Unlisted)))
		tagged(goTag, f.status(alice, visibility(model.Private)))
		f.status(alice) // untagged
		reply := tagged(goTag, f.status(alice, replyTo(world[0].post)))
		remotePost := tagged(goTag, f.status(far))

		list, err := f.q.TagTimeline(f.ctx, me.ID, goTag, store.PublicFilter{Scope: store.AllOrigins}, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "tag timeline", statusIDs(list), append([]int64{remotePost.ID, reply.ID}, visibleOf(world, true)...))
		if list[0].Tags[0] != "Go" {
			t.Fatalf("tags not loaded: %+v", list[0])
		}
		list, err = f.q.TagTimeline(f.ctx, me.ID, goTag, store.PublicFilter{Scope: store.RemoteOnly}, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "remote only", statusIDs(list), []int64{remotePost.ID})
		list, err = f.q.TagTimeline(f.ctx, me.ID, goTag, store.PublicFilter{Scope: store.LocalOnly}, model.Page{Limit: 40}, now)
		ok(t, err)
		same(t, "local only", statusIDs(list), append([]int64{reply.ID}, visibleOf(world, true)...))

		for range 9 {
			rust = append(rust, tagged(rustTag, f.status(alice)).ID)
		}
		checkPaging(t, rust, pageStatuses(func(p model.Page) ([]*model.Status, error) {
			return f.q.TagTimeline(f.ctx, me.ID, rustTag, store.PublicFilter{Scope: store.AllOrigins}, p, now)
		}))
	})
}

// withMedia gives s n attachments, as an upload or a fetched remote post
// would, and returns s.
func (f *fx) withMedia(s *model.Status, n int) *model.Status {
	f.t.Helper()
	now := nowMS()
	f.tx(func(tx *store.Tx) error {
		for i := range n {
			mid := ids.Next()
			m := &model.Media{ID: mid, AccountID: s.AccountID, StatusID: s.ID, Position: i, Purpose: model.PurposeAttachment,
				Kind: model.MediaImage, Token: "t" + strconv.FormatInt(mid, 36), ViewedAt: now, CreatedAt: now, UpdatedAt: now}
			if err := tx.InsertMedia(f.ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	return s
}

// only_media is a condition of each timeline's query: pages stay full and
// page on, whatever lies between the posts with media.
func TestOnlyMediaTimelines(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		me, alice, bob, far := f.account("me"), f.account("alice"), f.account("bob"), f.account("far", remote("remote.example"))
		catTag, dogTag := f.tag("Cats", "cats"), f.tag("Dogs", "dogs")
		tagged := func(s *model.Status, tagIDs ...int64) *model.Status {
			f.tx(func(tx *store.Tx) error { return tx.SetTags(f.ctx, s.ID, tagIDs) })
			return s
		}
		// An upload nobody attached, and an avatar: neither gives a post media.
		f.tx(func(tx *store.Tx) error {
			now := nowMS()
			for _, p := range []model.MediaPurpose{model.PurposeAttachment, model.PurposeAvatar} {
				mid := ids.Next()
				if err := tx.InsertMedia(f.ctx, &model.Media{ID: mid, AccountID: alice.ID, Purpose: p, Kind: model.MediaImage,
					Token: "u" + strconv.FormatInt(mid, 36), ViewedAt: now, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
		bobPost := f.withMedia(f.status(bob), 1)
		var aliceMedia, catMedia, dogOrCatMedia []int64
		localMedia, allMedia := []int64{bobPost.ID}, []int64{bobPost.ID}
		for i := range 12 {
			// Alice's posts alternate: without media, then with one or two
			// attachments (two must not make the post count twice).
			tagged(f.status(alice), catTag)
			s := tagged(f.withMedia(f.status(alice), 1+i%2), catTag)
			aliceMedia, localMedia = append(aliceMedia, s.ID), append(localMedia, s.ID)
			allMedia, catMedia, dogOrCatMedia = append(allMedia, s.ID), append(catMedia, s.ID), append(dogOrCatMedia, s.ID)
			r := tagged(f.withMedia(f.status(far), 1), dogTag)
			allMedia, dogOrCatMedia = append(allMedia, r.ID), append(dogOrCatMedia, r.ID)
			f.status(far)
		}
		// Never on the public timelines, though with media: unlisted, a
		// boost (no media of its own), a reply to someone else.
		unlisted := f.withMedia(f.status(alice, visibility(model.Unlisted)), 1)
		f.boost(alice, bobPost)
		reply := f.withMedia(f.status(alice, replyTo(bobPost)), 1)
		now := nowMS()

		t.Run("public", func(t *testing.T) {
			checkPaging(t, allMedia, pageStatuses(func(p model.Page) ([]*model.Status, error) {
				return f.q.PublicTimeline(f.ctx, me.ID, store.PublicFilter{OnlyMedia: true}, p, now)
			}))
			checkPaging(t, localMedia, pageStatuses(func(p model.Page) ([]*model.Status, error) {
				return f.q.PublicTimeline(f.ctx, 0, store.PublicFilter{Scope: store.LocalOnly, OnlyMedia: true}, p, now)
			}))
			list, err := f.q.PublicTimeline(f.ctx, me.ID, store.PublicFilter{Scope: store.RemoteOnly, OnlyMedia: true}, model.Page{Limit: 1}, now)
			ok(t, err)
			same(t, "remote, newest", statusIDs(list), []int64{allMedia[len(allMedia)-1]})
			if len(list[0].Media) != 1 {
				t.Fatalf("media not loaded: %+v", list[0])
			}
		})
		t.Run("tag", func(t *testing.T) {
			checkPaging(t, catMedia, pageStatuses(func(p model.Page) ([]*model.Status, error) {
				return f.q.TagTimeline(f.ctx, me.ID, catTag, store.PublicFilter{OnlyMedia: true}, p, now)
			}))
			checkPaging(t, dogOrCatMedia, pageStatuses(func(p model.Page) ([]*model.Status, error) {
				return f.q.TaggedTimeline(f.ctx, me.ID, store.TagQuery{Any: []int64{catTag, dogTag}}, store.PublicFilter{OnlyMedia: true}, p, now)
			}))
			list, err := f.q.TaggedTimeline(f.ctx, me.ID, store.TagQuery{Any: []int64{catTag, dogTag}},
				store.PublicFilter{Scope: store.RemoteOnly, OnlyMedia: true}, model.Page{Limit: 40}, now)
			ok(t, err)
			same(t, "any, remote", len(list), 12)
			list, err = f.q.TagTimeline(f.ctx, me.ID, catTag, store.PublicFilter{Scope: store.RemoteOnly, OnlyMedia: true}, model.Page{Limit: 40}, now)
			ok(t, err)
			same(t, "cats, remote", statusIDs(list), []int64{})
		})
		t.Run("account", func(t *testing.T) {
			open := []model.Visibility{model.Public, model.Unlisted}
			withUnlisted := append(append([]int64{}, aliceMedia...), unlisted.ID)
			checkPaging(t, withUnlisted, pageStatuses(func(p model.Page) ([]*model.Status, error) {
				return f.q.AccountStatuses(f.ctx, store.AccountQuery{AccountID: alice.ID, Viewer: me.ID, Visibilities: open,
					ExcludeReplies: true, OnlyMedia: true, Page: p}, now)
			}))
			// The boost is left out; the reply to someone else is in.
			list, err := f.q.AccountStatuses(f.ctx, store.AccountQuery{AccountID: alice.ID, Visibilities: open, OnlyMedia: true,
				Page: model.Page{Limit: 3}}, now)
			ok(t, err)
			same(t, "with replies", statusIDs(list), []int64{reply.ID, unlisted.ID, aliceMedia[len(aliceMedia)-1]})
			list, err = f.q.AccountStatuses(f.ctx, store.AccountQuery{AccountID: alice.ID, Visibilities: open, OnlyMedia: true,
				TagID: catTag, Page: model.Page{Limit: 40}}, now)
			ok(t, err)
			same(t, "tagged", statusIDs(list), desc(aliceMedia))
			list, err = f.q.AccountStatuses(f.ctx, store.AccountQuery{AccountID: alice.ID, Visibilities: open, OnlyMedia: true,
				OnlyReplies: true, Page: model.Page{Limit: 40}}, now)
			ok(t, err)
			same(t, "only replies", statusIDs(list), []int64{reply.ID})
		})
	})
}
