package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestFavourite(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		p := f.post(alice, "like me")
		for range 2 {
			v, err := f.s.Favourite(f.ctx, bob.ID, p.ID)
			f.must(err, "like")
			if !v.Favourited || v.Status.FavouritesCount != 1 {
				t.Fatalf("after like: favourited %v, count %d", v.Favourited, v.Status.FavouritesCount)
			}
		}
		// Liking through a boost likes the post.
		b, err := f.s.Reblog(f.ctx, carol.ID, p.ID, "")
		f.must(err, "boost")
		v, err := f.s.Favourite(f.ctx, carol.ID, b.Status.ID)
		f.must(err, "like via boost")
		if v.Status.ID != p.ID || f.status(p.ID).FavouritesCount != 2 {
			t.Fatalf("like via boost hit %d; count %d", v.Status.ID, f.status(p.ID).FavouritesCount)
		}
		by, err := f.s.FavouritedBy(f.ctx, 0, p.ID, model.Page{})
		f.must(err, "favourited by")
		if got := accountNames(by); len(got) != 2 || got[0] != "carol" || got[1] != "bob" {
			t.Fatalf("favourited by %v, want carol, bob", got)
		}
		page, err := f.s.FavouritedBy(f.ctx, 0, p.ID, model.Page{Limit: 1})
		f.must(err, "favourited by, one")
		page2, err := f.s.FavouritedBy(f.ctx, 0, p.ID, model.Page{Limit: 1, MaxID: page.RowIDs[0]})
		f.must(err, "favourited by, next")
		if accountNames(page)[0] != "carol" || len(page2.Accounts) != 1 || accountNames(page2)[0] != "bob" {
			t.Fatalf("favourited-by pages %v, %v", accountNames(page), accountNames(page2))
		}
		c.Settle(t)
		f.wantKinds(alice, "favourite:bob", "favourite:carol", "reblog:carol")

		for range 2 {
			v, err = f.s.Unfavourite(f.ctx, bob.ID, p.ID)
			f.must(err, "unlike")
			if v.Favourited || v.Status.FavouritesCount != 1 {
				t.Fatalf("after unlike: favourited %v, count %d", v.Favourited, v.Status.FavouritesCount)
			}
		}
		private := f.postVis(alice, "followers only", model.Private)
		_, err = f.s.Favourite(f.ctx, bob.ID, private.ID)
		f.wantErr(err, model.ErrNotFound, "like an invisible post")
		_, err = f.s.Bookmark(f.ctx, bob.ID, private.ID)
		f.wantErr(err, model.ErrNotFound, "bookmark an invisible post")
		_, err = f.s.FavouritedBy(f.ctx, bob.ID, private.ID, model.Page{})
		f.wantErr(err, model.ErrNotFound, "likers of an invisible post")
		_, err = f.s.Favourite(f.ctx, bob.ID, 4242)
		f.wantErr(err, model.ErrNotFound, "like a missing post")
	})
}

func TestBookmark(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := f.post(alice, "save me")
		for range 2 {
			v, err := f.s.Bookmark(f.ctx, bob.ID, p.ID)
			f.must(err, "bookmark")
			if !v.Bookmarked {
				t.Fatal("not bookmarked")
			}
		}
		if v, err := f.s.Status(f.ctx, alice.ID, p.ID); err != nil || v.Bookmarked {
			t.Fatalf("bookmark leaks to the author: %v %v", v, err)
		}
		tl, err := f.s.Bookmarks(f.ctx, bob.ID, model.Page{})
		f.must(err, "bookmarks")
		f.wantIDs(viewIDs(tl.Statuses), statusIDs(p), "bookmarks")
		for range 2 {
			v, err := f.s.Unbookmark(f.ctx, bob.ID, p.ID)
			f.must(err, "unbookmark")
			if v.Bookmarked {
				t.Fatal("still bookmarked")
			}
		}
		tl, err = f.s.Bookmarks(f.ctx, bob.ID, model.Page{})
		f.must(err, "bookmarks")
		if len(tl.Statuses) != 0 || tl.NextMaxID != 0 || tl.PrevMinID != 0 {
			t.Fatalf("empty bookmarks %+v, want no statuses and zero cursors", tl)
		}
		c.Settle(t)
		f.wantKinds(alice) // bookmarks are private
	})
}

// Bookmarks and favourites list in the order they were made, not by post,
// and page by that order.
func TestMarkedListsPageByMarkOrder(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p1, p2, p3, p4 := f.post(alice, "one"), f.post(alice, "two"), f.post(alice, "three"), f.post(alice, "four")
		order := []*model.Status{p2, p4, p1, p3} // marked in this order
		lists := map[string]struct {
			mark func(int64) error
			list func(model.Page) (service.Timeline, error)
		}{
			"bookmarks": {
				func(id int64) error { _, err := f.s.Bookmark(f.ctx, bob.ID, id); return err },
				func(p model.Page) (service.Timeline, error) { return f.s.Bookmarks(f.ctx, bob.ID, p) },
			},
			"favourites": {
				func(id int64) error { _, err := f.s.Favourite(f.ctx, bob.ID, id); return err },
				func(p model.Page) (service.Timeline, error) { return f.s.Favourites(f.ctx, bob.ID, p) },
			},
		}
		for name, l := range lists {
			for _, st := range order {
				f.must(l.mark(st.ID), name)
			}
			all, err := l.list(model.Page{})
			f.must(err, name)
			f.wantIDs(viewIDs(all.Statuses), statusIDs(p3, p1, p4, p2), name+": newest mark first")

			first, err := l.list(model.Page{Limit: 2})
			f.must(err, name)
			f.wantIDs(viewIDs(first.Statuses), statusIDs(p3, p1), name+": first page")
			if first.NextMaxID == 0 || first.PrevMinID == 0 || first.NextMaxID == p1.ID || first.PrevMinID <= first.NextMaxID {
				t.Fatalf("%s cursors %d/%d: want the mark rows' IDs", name, first.NextMaxID, first.PrevMinID)
			}
			next, err := l.list(model.Page{Limit: 2, MaxID: first.NextMaxID})
			f.must(err, name)
			f.wantIDs(viewIDs(next.Statuses), statusIDs(p4, p2), name+": second page")
			end, err := l.list(model.Page{Limit: 2, MaxID: next.NextMaxID})
			f.must(err, name)
			f.wantIDs(viewIDs(end.Statuses), nil, name+": past the end")
			prev, err := l.list(model.Page{Limit: 2, MinID: next.PrevMinID})
			f.must(err, name)
			f.wantIDs(viewIDs(prev.Statuses), statusIDs(p3, p1), name+": back with min_id")
			prev1, err := l.list(model.Page{Limit: 1, MinID: next.PrevMinID})
			f.must(err, name)
			f.wantIDs(viewIDs(prev1.Statuses), statusIDs(p1), name+": min_id gives the marks just above")
			since, err := l.list(model.Page{Limit: 1, SinceID: next.PrevMinID})
			f.must(err, name)
			f.wantIDs(viewIDs(since.Statuses), statusIDs(p3), name+": since_id gives the newest")
		}
	})
}
