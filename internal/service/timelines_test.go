package service_test

import (
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// TestTimelinePagination checks Mastodon's max_id / since_id / min_id /
// limit semantics and the cursors on the home, public and account timelines.
func TestTimelinePagination(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		f.follow(bob, alice)
		var p []*model.Status // p[0] oldest
		for i := range 45 {
			p = append(p, f.post(alice, "post "+string(rune('A'+i))))
		}
		c.Settle(t)
		newest := func(from, n int) []int64 { // p[from], p[from-1], … n of them
			var out []int64
			for i := from; i > from-n; i-- {
				out = append(out, p[i].ID)
			}
			return out
		}
		timelines := map[string]func(model.Page) (service.Timeline, error){
			"home": func(pg model.Page) (service.Timeline, error) { return f.s.HomeTimeline(f.ctx, bob.ID, pg) },
			"public": func(pg model.Page) (service.Timeline, error) {
				return f.s.PublicTimeline(f.ctx, 0, store.AllOrigins, pg)
			},
			"local": func(pg model.Page) (service.Timeline, error) {
				return f.s.PublicTimeline(f.ctx, bob.ID, store.LocalOnly, pg)
			},
			"account": func(pg model.Page) (service.Timeline, error) {
				return f.s.AccountTimeline(f.ctx, bob.ID, alice.ID, service.AccountTimelineOptions{}, pg)
			},
		}
		for name, read := range timelines {
			page := func(pg model.Page) service.Timeline {
				t.Helper()
				tl, err := read(pg)
				f.must(err, name)
				return tl
			}
			if got := page(model.Page{}); len(got.Statuses) != model.DefaultLimit || got.Statuses[0].Status.ID != p[44].ID {
				t.Fatalf("%s default page: %d statuses", name, len(got.Statuses))
			}
			if got := page(model.Page{Limit: 1000}); len(got.Statuses) != model.MaxLimit {
				t.Fatalf("%s: limit 1000 gave %d, want the maximum %d", name, len(got.Statuses), model.MaxLimit)
			}
			first := page(model.Page{Limit: 3})
			f.wantIDs(viewIDs(first.Statuses), newest(44, 3), name+" first page")
			if first.PrevMinID != p[44].ID || first.NextMaxID != p[42].ID {
				t.Fatalf("%s cursors prev %d next %d", name, first.PrevMinID, first.NextMaxID)
			}
			second := page(model.Page{Limit: 3, MaxID: first.NextMaxID})
			f.wantIDs(viewIDs(second.Statuses), newest(41, 3), name+" max_id page")
			// since_id: the newest above it; min_id: the ones just above it.
			f.wantIDs(viewIDs(page(model.Page{Limit: 2, SinceID: p[10].ID}).Statuses), newest(44, 2), name+" since_id")
			f.wantIDs(viewIDs(page(model.Page{Limit: 2, MinID: p[10].ID}).Statuses), newest(12, 2), name+" min_id")
			back := page(model.Page{Limit: 3, MinID: second.PrevMinID})
			f.wantIDs(viewIDs(back.Statuses), newest(44, 3), name+" back to the first page")
			f.wantIDs(viewIDs(page(model.Page{MaxID: p[20].ID, SinceID: p[17].ID}).Statuses), newest(19, 2), name+" max_id and since_id")
			f.wantIDs(viewIDs(page(model.Page{MaxID: p[20].ID, MinID: p[17].ID, Limit: 1}).Statuses), newest(18, 1), name+" max_id and min_id")
			end := page(model.Page{MaxID: p[0].ID})
			if len(end.Statuses) != 0 || end.NextMaxID != 0 || end.PrevMinID != 0 {
				t.Fatalf("%s past the end: %+v", name, end)
			}
			// Walking with the cursors visits every post once, newest first.
			var walked []int64
			for pg := (model.Page{Limit: 7}); ; {
				tl := page(pg)
				if len(tl.Statuses) == 0 {
					break
				}
				walked = append(walked, viewIDs(tl.Statuses)...)
				pg.MaxID = tl.NextMaxID
			}
			f.wantIDs(walked, newest(44, 45), name+" walked with next cursors")
		}
	})
}

func TestPublicTimelineContent(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := f.post(alice, "public")
		thread := f.reply(alice, p, "self-reply: a thread")
		f.reply(bob, p, "reply to alice")
		f.postVis(alice, "unlisted", model.Unlisted)
		f.postVis(alice, "private", model.Private)
		f.postVis(alice, "direct @bob", model.Direct)
		_, err := f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.must(err, "boost")
		bp := f.post(bob, "bob's own")
		c.Settle(t)
		want := statusIDs(bp, thread, p)
		f.wantIDs(f.publicIDs(0), want, "public, anonymous")
		f.wantIDs(f.publicIDs(bob.ID), want, "public, bob")
		tl, err := f.s.PublicTimeline(f.ctx, 0, store.RemoteOnly, model.Page{})
		f.must(err, "remote only")
		f.wantIDs(viewIDs(tl.Statuses), nil, "remote-only public timeline")
	})
}

func TestAccountTimelineOptions(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		bp := f.post(bob, "bob's")
		root := f.post(alice, "root #Cats")
		self := f.reply(alice, root, "self-reply #cats")
		toBob := f.reply(alice, bp, "reply to bob #dogs")
		boost, err := f.s.Reblog(f.ctx, alice.ID, bp.ID, "")
		f.must(err, "boost")
		last := f.post(alice, "last")

		all := f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{})
		f.wantIDs(all, []int64{last.ID, boost.Status.ID, toBob.ID, self.ID, root.ID}, "everything")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{ExcludeReplies: true}),
			[]int64{last.ID, boost.Status.ID, self.ID, root.ID}, "exclude_replies keeps threads")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{OnlyReplies: true}),
			statusIDs(toBob), "only replies to others")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{ExcludeReblogs: true}),
			statusIDs(last, toBob, self, root), "exclude_reblogs")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{Tagged: "CATS"}),
			statusIDs(self, root), "tagged, any case")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{Tagged: "nosuchtag"}),
			nil, "tagged with an unused tag")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{ExcludeReplies: true, ExcludeReblogs: true, Tagged: "cats"}),
			statusIDs(self, root), "options combined")
		_, err = f.s.AccountTimeline(f.ctx, bob.ID, alice.ID, service.AccountTimelineOptions{Tagged: "not a tag!"}, model.Page{})
		f.wantErr(err, model.ErrInvalid, "invalid tag")
		_, err = f.s.AccountTimeline(f.ctx, bob.ID, 999, service.AccountTimelineOptions{}, model.Page{})
		f.wantErr(err, model.ErrNotFound, "missing account")

		tl, err := f.s.AccountTimeline(f.ctx, bob.ID, alice.ID, service.AccountTimelineOptions{}, model.Page{})
		f.must(err, "timeline")
		if b := tl.Statuses[1]; b.Reblog == nil || b.Reblog.Status.ID != bp.ID || b.Reblog.Account.ID != bob.ID {
			t.Fatalf("boost in the profile %+v", b)
		}
		if tags := tl.Statuses[3].Status.Tags; len(tags) != 1 || !strings.EqualFold(tags[0], "cats") {
			t.Fatalf("tags %v", tl.Statuses[3].Status.Tags)
		}
	})
}

func TestTagTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p1 := f.post(alice, "#Weft one")
		f.postVis(alice, "#weft unlisted", model.Unlisted)
		f.postVis(alice, "#weft private", model.Private)
		p2 := f.reply(bob, p1, "#WEFT a reply is in tag timelines")
		f.post(bob, "#other")
		tl, err := f.s.TagTimeline(f.ctx, 0, "weft", store.AllOrigins, model.Page{})
		f.must(err, "tag timeline")
		f.wantIDs(viewIDs(tl.Statuses), statusIDs(p2, p1), "#weft")
		tl, err = f.s.TagTimeline(f.ctx, 0, "unused", store.AllOrigins, model.Page{})
		f.must(err, "unused tag")
		if len(tl.Statuses) != 0 {
			t.Fatal("unused tag has posts")
		}
		_, err = f.s.TagTimeline(f.ctx, 0, "no spaces", store.AllOrigins, model.Page{})
		f.wantErr(err, model.ErrInvalid, "invalid tag")
	})
}
