package service_test

import (
	"slices"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestPostValidation(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.QuickAccount(t, "alice")
		create := func(in service.PostInput) error {
			_, err := f.s.CreatePost(f.ctx, alice.ID, in)
			return err
		}
		longURL := "https://example.com/" + strings.Repeat("a", 80) // 100 characters, counts as 23
		for name, in := range map[string]service.PostInput{
			"500 characters":           {Text: strings.Repeat("é", 500)},
			"500 with outer blanks":    {Text: "\n  " + strings.Repeat("x", 500) + "  \n"},
			"URL counts 23":            {Text: strings.Repeat("x", 476) + " " + longURL},
			"text and spoiler at 500":  {Text: strings.Repeat("x", 400), SpoilerText: strings.Repeat("s", 100)},
			"language code":            {Text: "hi", Language: "en"},
			"language with region":     {Text: "oi", Language: "pt-BR"},
			"unlisted":                 {Text: "hi", Visibility: model.Unlisted},
			"remote mention counts as": {Text: strings.Repeat("x", 490) + " @bob@" + strings.Repeat("d", 40) + ".example"},
		} {
			if err := create(in); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		for name, in := range map[string]service.PostInput{
			"501 characters":         {Text: strings.Repeat("x", 501)},
			"URL pushes over":        {Text: strings.Repeat("x", 477) + " " + longURL},
			"spoiler pushes over":    {Text: strings.Repeat("x", 401), SpoilerText: strings.Repeat("s", 100)},
			"spoiler alone too long": {Text: "x", SpoilerText: strings.Repeat("s", 501)},
			"empty":                  {Text: ""},
			"blank":                  {Text: " \n\t \u3000"},
			"bad visibility":         {Text: "hi", Visibility: "friends"},
			"bad language":           {Text: "hi", Language: "english"},
			"language with space":    {Text: "hi", Language: "e n"},
			"invalid UTF-8":          {Text: "bad \xff byte"},
		} {
			err := create(in)
			f.wantErr(err, model.ErrInvalid, name)
		}
		if n := f.account(alice.ID).StatusesCount; n != 8 {
			t.Fatalf("statuses_count = %d, want 8 (refused posts do not count)", n)
		}
		st := f.status(f.c.Post(t, alice, service.PostInput{Text: "  \n trimmed \n "}).ID)
		if st.Text != "trimmed" || st.Visibility != model.Public || !st.Local || st.ThreadID != st.ID || st.ConversationID != st.ID {
			t.Fatalf("stored post %+v", st)
		}
		if a := f.account(alice.ID); a.LastStatusAt == nil {
			t.Fatal("last_status_at not set")
		}
		cw := f.status(f.c.Post(t, alice, service.PostInput{Text: "spoiled", SpoilerText: "cw"}).ID)
		if !cw.Sensitive || cw.SpoilerText != "cw" {
			t.Fatalf("content warning post %+v: want sensitive", cw)
		}
	})
}

func TestPostContent(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "Carol")
		v, err := f.s.CreatePost(f.ctx, alice.ID, service.PostInput{
			Text: "hi @bob, @BOB@weft.test, @carol@WEFT.test, @alice, @nobody and @x@remote.example " +
				"#Go #weft_dev #go <script>alert('x')</script> & https://example.com/page",
		})
		f.must(err, "post")
		st := f.status(v.Status.ID)
		mentioned := slices.Clone(st.Mentions)
		slices.Sort(mentioned)
		want := []int64{bob.ID, carol.ID}
		slices.Sort(want)
		if !slices.Equal(mentioned, want) {
			t.Fatalf("mentions = %v, want bob and carol once each (not the author, not unknown accounts)", st.Mentions)
		}
		if len(v.Mentions) != 2 {
			t.Fatalf("view mentions = %d accounts, want 2", len(v.Mentions))
		}
		html := st.ContentHTML
		for _, frag := range []string{`href="https://weft.test/@bob"`, `href="https://weft.test/@Carol"`,
			`&lt;script&gt;`, `&amp;`, `href="https://weft.test/tags/Go"`, `href="https://example.com/page"`} {
			if !strings.Contains(html, frag) {
				t.Errorf("content HTML lacks %q:\n%s", frag, html)
			}
		}
		for _, bad := range []string{"<script", "/@nobody", "remote.example/@x"} {
			if strings.Contains(html, bad) {
				t.Errorf("content HTML has %q:\n%s", bad, html)
			}
		}
		if !strings.Contains(st.Text, "<script>") {
			t.Fatalf("source text was altered: %q", st.Text)
		}
		tags := slices.Clone(st.Tags)
		slices.Sort(tags)
		if len(tags) != 2 || !strings.EqualFold(tags[0], "go") || tags[1] != "weft_dev" {
			t.Fatalf("tags = %v, want Go and weft_dev once", st.Tags)
		}
		tl, err := f.s.TagTimeline(f.ctx, 0, "GO", store.AllOrigins, model.Page{})
		f.must(err, "tag timeline")
		f.wantIDs(viewIDs(tl.Statuses), []int64{st.ID}, "#GO timeline")
		c.Settle(t)
		f.wantKinds(bob, "mention:alice")
		f.wantKinds(carol, "mention:alice")
		f.wantKinds(alice)
	})
}

func TestReplies(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		root := f.post(alice, "root")
		r1 := f.reply(bob, root, "a reply that does not name her")
		r2 := f.reply(alice, r1, "and back")
		r3 := f.reply(alice, root, "self-reply")
		for _, r := range []*model.Status{r1, r2, r3} {
			st := f.status(r.ID)
			if st.ThreadID != root.ID || st.ConversationID != root.ConversationID {
				t.Fatalf("reply %d: thread %d conversation %d, want %d", st.ID, st.ThreadID, st.ConversationID, root.ID)
			}
		}
		if st := f.status(r1.ID); st.InReplyToID != root.ID || st.InReplyToAccountID != alice.ID || !slices.Equal(st.Mentions, []int64{alice.ID}) {
			t.Fatalf("bob's reply %+v: want in reply to alice's root, alice implicitly mentioned", st)
		}
		if st := f.status(r3.ID); len(st.Mentions) != 0 {
			t.Fatalf("self-reply mentions %v", st.Mentions)
		}
		if n := f.status(root.ID).RepliesCount; n != 2 {
			t.Fatalf("root replies_count = %d, want 2 (direct replies)", n)
		}
		if n := f.status(r1.ID).RepliesCount; n != 1 {
			t.Fatalf("r1 replies_count = %d, want 1", n)
		}
		c.Settle(t)
		f.wantKinds(alice, "mention:bob")
		f.wantKinds(bob, "mention:alice")

		_, err := f.s.CreatePost(f.ctx, bob.ID, service.PostInput{Text: "to nowhere", InReplyToID: 12345})
		f.wantErr(err, model.ErrNotFound, "reply to a missing post")
		private := f.postVis(carol, "followers only", model.Private)
		_, err = f.s.CreatePost(f.ctx, bob.ID, service.PostInput{Text: "peek", InReplyToID: private.ID})
		f.wantErr(err, model.ErrNotFound, "reply to a post bob cannot see")
		direct := f.postVis(carol, "just for @alice", model.Direct)
		_, err = f.s.CreatePost(f.ctx, bob.ID, service.PostInput{Text: "peek", InReplyToID: direct.ID})
		f.wantErr(err, model.ErrNotFound, "reply to a direct post bob is not in")
		_, err = f.s.CreatePost(f.ctx, alice.ID, service.PostInput{Text: "in", InReplyToID: direct.ID})
		f.must(err, "mentioned alice replies to the direct post")
		boost, err := f.s.Reblog(f.ctx, carol.ID, root.ID, "")
		f.must(err, "boost")
		_, err = f.s.CreatePost(f.ctx, bob.ID, service.PostInput{Text: "to a boost", InReplyToID: boost.Status.ID})
		f.wantErr(err, model.ErrInvalid, "reply to a boost")
		f.must(f.s.DeleteAccount(f.ctx, carol.ID), "delete carol")
		_, err = f.s.CreatePost(f.ctx, alice.ID, service.PostInput{Text: "late", InReplyToID: direct.ID})
		f.wantErr(err, model.ErrNotFound, "reply to a gone account's post")
	})
}

func TestGoneAccountsCannotPost(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.QuickAccount(t, "alice")
		f.must(f.s.SuspendAccount(f.ctx, alice.ID), "suspend")
		_, err := f.s.CreatePost(f.ctx, alice.ID, service.PostInput{Text: "hello"})
		f.wantErr(err, model.ErrSuspended, "suspended author")
		_, err = f.s.CreatePost(f.ctx, 424242, service.PostInput{Text: "hello"})
		f.wantErr(err, model.ErrNotFound, "unknown author")
	})
}
