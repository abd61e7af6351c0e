package service_test

import (
	"slices"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

func TestEditHistory(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		p := f.post(alice, "first #old")
		hist, _, err := f.s.StatusHistory(f.ctx, bob.ID, p.ID)
		f.must(err, "history of an unedited post")
		if len(hist) != 1 || hist[0].Text != "first #old" {
			t.Fatalf("unedited history %+v, want the post itself", hist)
		}
		if f.status(p.ID).EditedAt != nil {
			t.Fatal("edited_at set before any edit")
		}
		v, err := f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: "second #new", SpoilerText: "cw", Language: "en"})
		f.must(err, "first edit")
		if v.Status.Text != "second #new" || v.Status.EditedAt == nil {
			t.Fatalf("edit returned %+v", v.Status)
		}
		_, err = f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: "  third  "})
		f.must(err, "second edit")
		st := f.status(p.ID)
		if st.Text != "third" || st.EditedAt == nil || st.SpoilerText != "" || st.Sensitive || !strings.Contains(st.ContentHTML, "third") {
			t.Fatalf("stored after edits %+v", st)
		}
		if len(st.Tags) != 0 {
			t.Fatalf("tags after the edit = %v, want none", st.Tags)
		}
		if st.CreatedAt != p.CreatedAt || st.Visibility != p.Visibility {
			t.Fatal("an edit changed created_at or visibility")
		}
		hist, author, err := f.s.StatusHistory(f.ctx, bob.ID, p.ID)
		f.must(err, "history")
		var texts []string
		for _, h := range hist {
			texts = append(texts, h.Text)
		}
		if !slices.Equal(texts, []string{"first #old", "second #new", "third"}) || author.ID != alice.ID {
			t.Fatalf("history = %q by %d, want original then each version", texts, author.ID)
		}
		if !hist[1].Sensitive || hist[1].SpoilerText != "cw" || !hist[0].CreatedAt.Equal(p.CreatedAt) {
			t.Fatalf("history versions %+v %+v", hist[0], hist[1])
		}
		src, err := f.s.StatusSource(f.ctx, alice.ID, p.ID)
		f.must(err, "source")
		if src.Text != "third" {
			t.Fatalf("source %q", src.Text)
		}
		_, err = f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: " "})
		f.wantErr(err, model.ErrInvalid, "blank edit")
		_, err = f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: strings.Repeat("x", 501)})
		f.wantErr(err, model.ErrInvalid, "over-long edit")
		if hist, _, _ = f.s.StatusHistory(f.ctx, alice.ID, p.ID); len(hist) != 3 {
			t.Fatalf("refused edits added history: %d versions", len(hist))
		}
	})
}

func TestEditOnlyByAuthor(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		public := f.post(alice, "public")
		private := f.postVis(alice, "private", model.Private)
		in := service.EditInput{Text: "hijacked"}
		_, err := f.s.EditPost(f.ctx, bob.ID, public.ID, in)
		f.wantErr(err, model.ErrForbidden, "edit someone else's visible post")
		_, err = f.s.EditPost(f.ctx, bob.ID, private.ID, in)
		f.wantErr(err, model.ErrNotFound, "edit a post bob cannot see")
		_, err = f.s.EditPost(f.ctx, bob.ID, 987654321, in)
		f.wantErr(err, model.ErrNotFound, "edit a missing post")
		_, err = f.s.StatusSource(f.ctx, bob.ID, public.ID)
		f.wantErr(err, model.ErrForbidden, "someone else's source")
		boost, err := f.s.Reblog(f.ctx, bob.ID, public.ID, "")
		f.must(err, "boost")
		_, err = f.s.EditPost(f.ctx, bob.ID, boost.Status.ID, in)
		f.wantErr(err, model.ErrNotFound, "edit a boost")
		if f.status(public.ID).Text != "public" || f.status(private.ID).Text != "private" {
			t.Fatal("a refused edit changed the post")
		}
		_, err = f.s.DeletePost(f.ctx, alice.ID, public.ID)
		f.must(err, "delete")
		_, err = f.s.EditPost(f.ctx, alice.ID, public.ID, in)
		f.wantErr(err, model.ErrNotFound, "edit a deleted post")
	})
}

func TestEditNotifications(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol, dave, erin := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol"), c.QuickAccount(t, "dave"), c.QuickAccount(t, "erin")
		p := f.post(alice, "hello @bob")
		_, err := f.s.Favourite(f.ctx, carol.ID, p.ID)
		f.must(err, "carol likes")
		_, err = f.s.Reblog(f.ctx, dave.ID, p.ID, "")
		f.must(err, "dave boosts")
		_, err = f.s.Favourite(f.ctx, alice.ID, p.ID)
		f.must(err, "alice likes her own post")
		c.Settle(t)
		f.wantKinds(bob, "mention:alice")

		_, err = f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: "hello @bob and @erin"})
		f.must(err, "edit")
		c.Settle(t)
		f.wantKinds(carol, "update:alice")
		f.wantKinds(dave, "update:alice")
		f.wantKinds(erin, "mention:alice")
		f.wantKinds(bob, "mention:alice") // mentioned before: not again
		f.wantKinds(alice, "favourite:carol", "reblog:dave")

		// A second edit replaces the update notice instead of adding one.
		_, err = f.s.EditPost(f.ctx, alice.ID, p.ID, service.EditInput{Text: "hello @bob, @erin"})
		f.must(err, "edit again")
		c.Settle(t)
		f.wantKinds(carol, "update:alice")
		f.wantKinds(erin, "mention:alice")
		if m := f.status(p.ID).Mentions; len(m) != 2 {
			t.Fatalf("mentions after edits = %v, want bob and erin", m)
		}
	})
}

func TestEditReplyKeepsParentMention(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob")
		root := f.post(alice, "root")
		r := f.reply(bob, root, "reply")
		_, err := f.s.EditPost(f.ctx, bob.ID, r.ID, service.EditInput{Text: "reply, edited"})
		f.must(err, "edit reply")
		st := f.status(r.ID)
		if !slices.Equal(st.Mentions, []int64{alice.ID}) || st.InReplyToID != root.ID {
			t.Fatalf("edited reply %+v: want still replying to and mentioning alice", st)
		}
		c.Settle(t)
		f.wantKinds(alice, "mention:bob") // not a second one for the edit
	})
}
