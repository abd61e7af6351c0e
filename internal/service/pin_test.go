package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestPins(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		var posts []*model.Status
		for i := range 6 {
			posts = append(posts, f.post(alice, "post "+string(rune('a'+i))))
		}
		pinOrder := []*model.Status{posts[3], posts[0], posts[4], posts[1], posts[2]}
		for _, p := range pinOrder {
			v, err := f.s.Pin(f.ctx, alice.ID, p.ID)
			f.must(err, "pin")
			if !v.Pinned {
				t.Fatal("pinned view not marked pinned")
			}
		}
		_, err := f.s.Pin(f.ctx, alice.ID, posts[5].ID)
		f.wantErr(err, model.ErrLimit, "sixth pin")
		v, err := f.s.Pin(f.ctx, alice.ID, posts[0].ID)
		f.must(err, "pin a pinned post again, at the limit")
		if !v.Pinned {
			t.Fatal("re-pinned view not pinned")
		}

		pinned := service.AccountTimelineOptions{Pinned: true}
		want := statusIDs(posts[2], posts[1], posts[4], posts[0], posts[3]) // newest pin first
		f.wantIDs(f.accountIDs(bob.ID, alice, pinned), want, "alice's pins seen by bob")
		f.wantIDs(f.accountIDs(0, alice, pinned), want, "alice's pins seen by a visitor")
		tl, err := f.s.AccountTimeline(f.ctx, alice.ID, alice.ID, pinned, model.Page{})
		f.must(err, "own pins")
		for _, v := range tl.Statuses {
			if !v.Pinned {
				t.Fatalf("own pinned post %d not flagged", v.Status.ID)
			}
		}
		tl, err = f.s.AccountTimeline(f.ctx, bob.ID, alice.ID, pinned, model.Page{MaxID: posts[4].ID})
		f.must(err, "pins, next page")
		if len(tl.Statuses) != 0 {
			t.Fatalf("pins have a next page: %v", viewIDs(tl.Statuses))
		}

		v, err = f.s.Unpin(f.ctx, alice.ID, posts[0].ID)
		f.must(err, "unpin")
		if v.Pinned {
			t.Fatal("unpinned view still pinned")
		}
		_, err = f.s.Pin(f.ctx, alice.ID, posts[5].ID)
		f.must(err, "pin after unpinning one")
		_, err = f.s.Unpin(f.ctx, alice.ID, posts[0].ID)
		f.must(err, "unpin twice")
		if got := f.accountIDs(bob.ID, alice, pinned); len(got) != 5 || got[0] != posts[5].ID {
			t.Fatalf("pins after changes = %v", got)
		}
	})
}

func TestPinRules(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		public := f.post(alice, "public")
		private := f.postVis(alice, "private", model.Private)
		direct := f.postVis(alice, "hi @bob", model.Direct)
		_, err := f.s.Pin(f.ctx, bob.ID, public.ID)
		f.wantErr(err, model.ErrForbidden, "pin someone else's post")
		_, err = f.s.Pin(f.ctx, bob.ID, private.ID)
		f.wantErr(err, model.ErrNotFound, "pin someone else's invisible post")
		_, err = f.s.Pin(f.ctx, alice.ID, direct.ID)
		f.wantErr(err, model.ErrInvalid, "pin a direct post")
		b, err := f.s.Reblog(f.ctx, alice.ID, public.ID, "")
		f.must(err, "self-boost")
		_, err = f.s.Pin(f.ctx, alice.ID, b.Status.ID)
		f.wantErr(err, model.ErrNotFound, "pin a boost")
		_, err = f.s.Pin(f.ctx, alice.ID, private.ID)
		f.must(err, "pin own followers-only post")
		// The followers-only pin shows only to those who may see it.
		pinned := service.AccountTimelineOptions{Pinned: true}
		f.wantIDs(f.accountIDs(bob.ID, alice, pinned), nil, "pins seen by a non-follower")
		f.follow(bob, alice)
		f.wantIDs(f.accountIDs(bob.ID, alice, pinned), statusIDs(private), "pins seen by a follower")
	})
}
