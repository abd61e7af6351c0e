package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestDeletePost(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		f.follow(bob, alice)
		keep := f.post(alice, "keep")
		p := f.post(alice, "to delete, @carol #gone")
		_, err := f.s.Pin(f.ctx, alice.ID, p.ID)
		f.must(err, "pin")
		_, err = f.s.Favourite(f.ctx, bob.ID, p.ID)
		f.must(err, "like")
		_, err = f.s.Bookmark(f.ctx, bob.ID, p.ID)
		f.must(err, "bookmark")
		c.Settle(t)
		f.wantIDs(f.homeIDs(bob), statusIDs(p, keep), "bob's home before")
		f.wantKinds(carol, "mention:alice")

		_, err = f.s.DeletePost(f.ctx, bob.ID, p.ID)
		f.wantErr(err, model.ErrForbidden, "bob deletes alice's post")
		v, err := f.s.DeletePost(f.ctx, alice.ID, p.ID)
		f.must(err, "delete")
		if v.Status.Text != "to delete, @carol #gone" || v.Status.ID != p.ID || len(v.Mentions) != 1 {
			t.Fatalf("delete returned %+v, want the post with its source", v.Status)
		}
		c.Settle(t)
		_, err = f.s.Status(f.ctx, alice.ID, p.ID)
		f.wantErr(err, model.ErrNotFound, "deleted post, to its author")
		_, err = f.s.DeletePost(f.ctx, alice.ID, p.ID)
		f.wantErr(err, model.ErrNotFound, "delete twice")
		want := statusIDs(keep)
		f.wantIDs(f.homeIDs(bob), want, "bob's home after")
		f.wantIDs(f.homeIDs(alice), want, "alice's home after")
		f.wantIDs(f.publicIDs(0), want, "public timeline after")
		f.wantIDs(f.accountIDs(bob.ID, alice, service.AccountTimelineOptions{}), want, "alice's profile after")
		f.wantIDs(f.accountIDs(alice.ID, alice, service.AccountTimelineOptions{Pinned: true}), nil, "pins after")
		f.wantKinds(carol)
		f.wantKinds(alice, "follow:bob")
		for _, list := range []func() (service.Timeline, error){
			func() (service.Timeline, error) { return f.s.Bookmarks(f.ctx, bob.ID, model.Page{}) },
			func() (service.Timeline, error) { return f.s.Favourites(f.ctx, bob.ID, model.Page{}) },
		} {
			tl, err := list()
			f.must(err, "bookmarks/favourites")
			f.wantIDs(viewIDs(tl.Statuses), nil, "bob's bookmarks/favourites after")
		}
		if n := f.account(alice.ID).StatusesCount; n != 1 {
			t.Fatalf("alice's statuses_count = %d, want 1", n)
		}
		if st := f.status(p.ID); st.Text != "" || st.ContentHTML != "" || st.DeletedAt == nil {
			t.Fatalf("the deleted row keeps content: %+v", st)
		}
	})
}

func TestDeleteKeepsThreadShape(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		root := f.post(alice, "root")
		mid := f.reply(bob, root, "middle")
		leaf := f.reply(carol, mid, "leaf")
		sibling := f.reply(carol, root, "sibling")
		if n := f.status(root.ID).RepliesCount; n != 2 {
			t.Fatalf("root replies_count = %d", n)
		}
		_, err := f.s.DeletePost(f.ctx, bob.ID, mid.ID)
		f.must(err, "delete the middle reply")
		c.Settle(t)
		if n := f.status(root.ID).RepliesCount; n != 1 {
			t.Fatalf("root replies_count after deleting a reply = %d, want 1", n)
		}
		cx, err := f.s.StatusContext(f.ctx, alice.ID, leaf.ID)
		f.must(err, "context of the orphaned leaf")
		f.wantIDs(viewIDs(cx.Ancestors), statusIDs(root), "leaf's ancestors")
		cx, err = f.s.StatusContext(f.ctx, alice.ID, root.ID)
		f.must(err, "context of root")
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(leaf, sibling), "root's descendants")
		tree := cx.Tree
		if tree.StatusID != root.ID || tree.View == nil || len(tree.Children) != 2 {
			t.Fatalf("tree root %+v, want root with two children", tree)
		}
		hole := tree.Children[0]
		if hole.StatusID != mid.ID || hole.View != nil || len(hole.Children) != 1 || hole.Children[0].StatusID != leaf.ID ||
			hole.Children[0].View == nil {
			t.Fatalf("deleted node %+v, want a placeholder holding the leaf", hole)
		}
		if s := tree.Children[1]; s.StatusID != sibling.ID || s.View == nil || len(s.Children) != 0 {
			t.Fatalf("sibling node %+v", s)
		}
		_, err = f.s.StatusContext(f.ctx, alice.ID, mid.ID)
		f.wantErr(err, model.ErrNotFound, "context of the deleted post")
		// A deleted leaf leaves no placeholder.
		_, err = f.s.DeletePost(f.ctx, carol.ID, sibling.ID)
		f.must(err, "delete a leaf")
		cx, err = f.s.StatusContext(f.ctx, alice.ID, root.ID)
		f.must(err, "context of root")
		if len(cx.Tree.Children) != 1 || cx.Tree.Children[0].StatusID != mid.ID {
			t.Fatalf("tree after deleting a leaf has %d children", len(cx.Tree.Children))
		}
	})
}

func TestDeleteRemovesBoosts(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol, dave := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol"), c.QuickAccount(t, "dave")
		f.follow(dave, bob)
		f.follow(dave, carol)
		c.Settle(t)
		p := f.post(alice, "boost me")
		for _, who := range []*model.Account{bob, carol} {
			_, err := f.s.Reblog(f.ctx, who.ID, p.ID, "")
			f.must(err, "boost")
			c.Settle(t) // concurrent fan-outs of two boosts may both pass the dedup check on PostgreSQL
		}
		c.Settle(t)
		if got := f.homeIDs(dave); len(got) != 1 {
			t.Fatalf("dave's home = %v, want one boost (the second deduplicated)", got)
		}
		f.wantKinds(alice, "reblog:bob", "reblog:carol")
		if n := f.account(bob.ID).StatusesCount; n != 1 {
			t.Fatalf("bob's statuses_count with a boost = %d, want 1", n)
		}
		_, err := f.s.DeletePost(f.ctx, alice.ID, p.ID)
		f.must(err, "delete")
		c.Settle(t)
		for _, who := range []*model.Account{bob, carol} {
			if n := f.account(who.ID).StatusesCount; n != 0 {
				t.Fatalf("%s's statuses_count after the boosted post went = %d, want 0", who.Username, n)
			}
			f.wantIDs(f.accountIDs(dave.ID, who, service.AccountTimelineOptions{}), nil, who.Username+"'s profile")
		}
		f.wantIDs(f.homeIDs(dave), nil, "dave's home")
		f.wantKinds(alice)
		if n := f.status(p.ID).ReblogsCount; n != 0 {
			t.Fatalf("reblogs_count of the deleted post = %d", n)
		}
		// The boosts are gone, so boosting is not "already done" any more and
		// the post cannot be boosted at all.
		_, err = f.s.Reblog(f.ctx, bob.ID, p.ID, "")
		f.wantErr(err, model.ErrNotFound, "boost a deleted post")
	})
}
