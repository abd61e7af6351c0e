package service_test

import (
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// TestContextLimitCountsHiddenPosts: a thread cut by depth counts the posts
// the viewer cannot see, since they keep their place in the thread.
func TestContextLimitCountsHiddenPosts(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		f.follow(alice, bob)
		root := f.post(alice, "root")
		hidden := c.Post(t, bob, service.PostInput{Text: "for followers", InReplyToID: root.ID, Visibility: model.Private})
		below := c.Post(t, alice, service.PostInput{Text: "public again", InReplyToID: hidden.ID, Visibility: model.Public})
		side := f.reply(alice, root, "side")
		cx, err := f.s.StatusContext(f.ctx, 0, root.ID)
		f.must(err, "context")
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(below, side), "anonymous descendants")
		cx.Limit(40, 60, 1)
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(side), "one reply deep")
		cx, _ = f.s.StatusContext(f.ctx, 0, root.ID)
		cx.Limit(40, 1, 2)
		f.wantIDs(viewIDs(cx.Descendants), statusIDs(below), "two deep, one in all")
		cx, _ = f.s.StatusContext(f.ctx, 0, below.ID)
		cx.Limit(0, 60, 20)
		f.wantIDs(viewIDs(cx.Ancestors), nil, "no ancestors")
	})
}

func TestStatusesByIDs(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		one, two := f.post(alice, "one"), f.postVis(alice, "two", model.Private)
		got, err := f.s.StatusesByIDs(f.ctx, bob.ID, []int64{two.ID, one.ID, one.ID, 0, 42})
		f.must(err, "by IDs")
		f.wantIDs(viewIDs(got), statusIDs(one), "stranger")
		got, err = f.s.StatusesByIDs(f.ctx, alice.ID, []int64{two.ID, one.ID})
		f.must(err, "by IDs")
		f.wantIDs(viewIDs(got), statusIDs(two, one), "author, in the order asked")
		many := make([]int64, service.MaxStatusIDs+1)
		for i := range many {
			many[i] = int64(i + 1)
		}
		_, err = f.s.StatusesByIDs(f.ctx, 0, many)
		f.wantErr(err, model.ErrInvalid, "too many IDs")
		_, err = f.s.StatusesByIDs(f.ctx, 0, append(many[:service.MaxStatusIDs], many[0])) // a repeat is not one more
		f.must(err, "twenty IDs and a repeat")
	})
}

func TestEditPostIfChanged(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := c.Post(t, alice, service.PostInput{Text: "hello", Language: "en"})
		v, err := f.s.EditPostIfChanged(f.ctx, alice.ID, p.ID, service.EditInput{Text: " hello "})
		f.must(err, "no-op edit")
		if v.Status.EditedAt != nil || v.Status.Language != "en" {
			t.Fatalf("no-op edit changed the post: edited %v, language %q", v.Status.EditedAt, v.Status.Language)
		}
		edits, _, err := f.s.StatusHistory(f.ctx, alice.ID, p.ID)
		f.must(err, "history")
		if len(edits) != 1 || edits[0].ID != 0 {
			t.Fatalf("no-op edit recorded versions: %d", len(edits))
		}
		v, err = f.s.EditPostIfChanged(f.ctx, alice.ID, p.ID, service.EditInput{Text: "hello", Sensitive: true})
		f.must(err, "sensitive edit")
		if v.Status.EditedAt == nil || !v.Status.Sensitive || v.Status.Language != "en" {
			t.Fatalf("sensitive edit: %+v", v.Status)
		}
		_, err = f.s.EditPostIfChanged(f.ctx, bob.ID, p.ID, service.EditInput{Text: "mine"})
		f.wantErr(err, model.ErrForbidden, "another's post")
		c.Settle(t)
	})
}
