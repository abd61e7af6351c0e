package store_test

import (
	"slices"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func TestSearchTerms(t *testing.T) {
	t.Parallel()
	for q, want := range map[string][]string{
		"Hello, Wörld!":                 {"Hello", "Wörld"},
		"#cats and @alice@example.com":  {"cats", "and", "alice", "example", "com"},
		"e-mail don't 3.14 x_y":         {"e", "mail", "don", "t", "3", "14", "x", "y"},
		`"quoted" OR NOT 'x' * ( ) : ^`: {"quoted", "OR", "NOT", "x"},
		"日本語 テキスト":                      {"日本語", "テキスト"},
		"  ":                            nil,
	} {
		same(t, q, store.SearchTerms(q), want)
	}
}

func TestMigrationDialectSections(t *testing.T) {
	t.Parallel()
	m := store.Migration{SQL: "A;\n-- weft:sqlite\nS;\n-- weft:postgres\nP;\n-- weft:both\nB;\n"}
	same(t, "sqlite", m.For(store.SQLite), "A;\nS;\nB;\n")
	same(t, "postgres", m.For(store.Postgres), "A;\nP;\nB;\n")
	plain := store.Migration{SQL: "CREATE TABLE x (y TEXT); -- a comment\n"}
	same(t, "no sections", plain.For(store.Postgres), plain.SQL)
}

// searchFx finds posts for one viewer by words.
type searchFx struct {
	*fx
	viewer *model.Account
}

func (s searchFx) find(query string, mods ...func(*store.StatusSearch)) []int64 {
	s.t.Helper()
	ss := store.StatusSearch{Terms: store.SearchTerms(query), Prefix: true, Viewer: s.viewer.ID, Page: model.Page{Limit: 40}}
	for _, m := range mods {
		m(&ss)
	}
	list, err := s.q.SearchStatuses(s.ctx, ss, nowMS())
	ok(s.t, err)
	return statusIDs(list)
}

func withText(s string) func(*model.Status) { return func(st *model.Status) { st.Text = s } }

func TestSearchStatusesWords(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		s := searchFx{fx: f, viewer: f.account("viewer")}
		author := f.account("author")
		hello := f.status(author, withText("Hello Wörld, ÉCOLE café"))
		mail := f.status(author, withText("Write an e-mail to alice@example.com about https://example.com/page_one"))
		warned := f.status(author, withText("the body"), func(st *model.Status) { st.SpoilerText = "Spoilers ahead" })
		drill := f.status(author, withText("this is NOT a drill; AND \"quotes\" OR 'NEAR'"))
		f.boost(author, hello)
		f.status(author, withText("hello from a boost"), func(st *model.Status) { st.ReblogOfID = drill.ID })

		same(t, "one word, any case", s.find("HELLO"), []int64{hello.ID})
		same(t, "every word must match", s.find("hello école"), []int64{hello.ID})
		same(t, "not every word", s.find("hello drill"), []int64{})
		same(t, "accents are kept", s.find("ecole"), []int64{})
		same(t, "last word is a prefix", s.find("hello wö"), []int64{hello.ID})
		same(t, "only the last", s.find("hel wörld"), []int64{})
		same(t, "no prefix", s.find("wö", func(ss *store.StatusSearch) { ss.Prefix = false }), []int64{})
		same(t, "words of a domain", s.find("example"), []int64{mail.ID})
		same(t, "a domain", s.find("example.com"), []int64{mail.ID})
		same(t, "a URL", s.find("https://example.com/page_one"), []int64{mail.ID})
		same(t, "hyphenated", s.find("e-mail"), []int64{mail.ID})
		same(t, "content warning", s.find("spoilers"), []int64{warned.ID})
		same(t, "query syntax is only words", s.find(`not AND "quotes" OR near drill`), []int64{drill.ID})
		same(t, "no words", s.find("!!! ..."), []int64{})
		for _, odd := range [][]string{{`he"llo`}, {`it's`}, {`a\b`}, {"NEAR(a b)"}, {"*"}} {
			list, err := f.q.SearchStatuses(f.ctx, store.StatusSearch{Terms: odd, Prefix: true, Viewer: s.viewer.ID,
				Page: model.Page{Limit: 5}}, nowMS())
			ok(t, err)
			same(t, strings.Join(odd, " "), statusIDs(list), []int64{})
		}

		// An edit changes what matches; a deletion, soft or outright, takes
		// the post out.
		f.tx(func(tx *store.Tx) error {
			edited := f.reloadStatus(hello)
			edited.Text, edited.EditedAt = "Goodbye moon", ptr(nowMS())
			return tx.UpdateStatusContent(f.ctx, edited)
		})
		same(t, "old words after an edit", s.find("hello"), []int64{})
		same(t, "new words after an edit", s.find("goodbye moon"), []int64{hello.ID})
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, mail.ID, nowMS()) })
		same(t, "deleted", s.find("example"), []int64{})
		f.tx(func(tx *store.Tx) error { return tx.DeleteStatusRow(f.ctx, warned.ID) })
		same(t, "row deleted", s.find("spoilers"), []int64{})
		same(t, "others stay", s.find("drill"), []int64{drill.ID})

		// Pages by ID, newest first, and by offset.
		var asc []int64
		for range 10 {
			asc = append(asc, f.status(author, withText("paging post")).ID)
		}
		checkPaging(t, asc, pageStatuses(func(p model.Page) ([]*model.Status, error) {
			return f.q.SearchStatuses(f.ctx, store.StatusSearch{Terms: []string{"paging"}, Viewer: s.viewer.ID, Page: p}, nowMS())
		}))
		same(t, "offset", s.find("paging", func(ss *store.StatusSearch) { ss.Offset, ss.Page.Limit = 2, 3 }), desc(asc[5:8]))
		other := f.account("other")
		mine := f.status(other, withText("paging by someone else"))
		same(t, "one author", s.find("paging", func(ss *store.StatusSearch) { ss.AccountID = other.ID }), []int64{mine.ID})
	})
}

// TestSearchStatusesCandidates: which posts a viewer's search considers.
// The service asks the visibility policy about each afterwards; the
// candidates must hold everything the viewer may find and leave out what
// no policy check could let through.
func TestSearchStatusesCandidates(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		viewer := f.account("viewer")
		s := searchFx{fx: f, viewer: viewer}
		author := f.account("author")
		hidden := f.account("hidden", func(a *model.Account) { a.Discoverable = false })
		post := func(by *model.Account, v model.Visibility) *model.Status {
			return f.status(by, withText("needle"), visibility(v))
		}
		own := post(viewer, model.Private)
		ownDirect := post(viewer, model.Direct)
		public := post(author, model.Public)
		post(author, model.Unlisted)
		post(author, model.Private)
		post(author, model.Direct)
		post(hidden, model.Public)
		mentioned := post(author, model.Direct)
		f.tx(func(tx *store.Tx) error { return tx.AddMentions(f.ctx, mentioned.ID, []int64{viewer.ID}) })
		liked := post(hidden, model.Unlisted)
		marked := post(hidden, model.Private)
		f.tx(func(tx *store.Tx) error {
			if _, err := tx.InsertFavourite(f.ctx, ids.Next(), viewer.ID, liked.ID, nowMS()); err != nil {
				return err
			}
			_, err := tx.InsertBookmark(f.ctx, ids.Next(), viewer.ID, marked.ID, nowMS())
			return err
		})
		boosted := post(hidden, model.Public)
		f.boost(viewer, boosted)
		answered := post(hidden, model.Unlisted)
		f.status(viewer, withText("a reply"), replyTo(answered))
		answeredThenDeleted := post(hidden, model.Unlisted)
		reply := f.status(viewer, withText("another reply"), replyTo(answeredThenDeleted))
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, reply.ID, nowMS()) })

		want := []int64{answered.ID, boosted.ID, marked.ID, liked.ID, mentioned.ID, public.ID, ownDirect.ID, own.ID}
		same(t, "candidates", s.find("needle"), desc(sortedIDs(want)))

		// Blocks either way, mutes and suspensions take an author out.
		f.mute(viewer, author, nil)
		same(t, "muted", s.find("needle"), desc(sortedIDs([]int64{answered.ID, boosted.ID, marked.ID, liked.ID, ownDirect.ID, own.ID})))
		f.block(hidden, viewer)
		same(t, "blocked by", s.find("needle"), []int64{ownDirect.ID, own.ID})
		f.tx(func(tx *store.Tx) error { return tx.SetAccountSuspended(f.ctx, viewer.ID, ptr(nowMS())) })
		same(t, "suspended", s.find("needle"), []int64{})
		same(t, "anonymous finds nothing", searchFx{fx: f, viewer: &model.Account{}}.find("needle"), []int64{})
	})
}

func sortedIDs(in []int64) []int64 {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
}

func TestSearchTags(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		author := f.account("author")
		tag := func(name string, posts ...*model.Status) int64 {
			var id int64
			f.tx(func(tx *store.Tx) error {
				var err error
				if id, err = tx.TagID(f.ctx, name, strings.ToLower(name), ids.Next, nowMS()); err != nil {
					return err
				}
				for _, p := range posts {
					if err := tx.AddTags(f.ctx, p.ID, []int64{id}); err != nil {
						return err
					}
				}
				return nil
			})
			return id
		}
		pub := func() *model.Status { return f.status(author) }
		cat := tag("Cat", pub())
		cats := tag("cats", pub(), pub(), pub())
		catalog := tag("catalog", f.status(author, visibility(model.Private)), f.status(author, visibility(model.Direct)))
		gone := pub()
		catnip := tag("catnip", gone, pub())
		f.tx(func(tx *store.Tx) error { return tx.SoftDeleteStatus(f.ctx, gone.ID, nowMS()) })
		tag("dog", pub())

		got, err := f.q.SearchTags(f.ctx, "cat", 10, 2)
		ok(t, err)
		type row struct {
			ID   int64
			Key  string
			Uses int64
		}
		var rows []row
		for _, m := range got {
			rows = append(rows, row{m.Tag.ID, m.Key, m.Uses})
		}
		same(t, "cat…", rows, []row{{cat, "cat", 1}, {catalog, "catalog", 0}, {catnip, "catnip", 1}, {cats, "cats", 2}})
		got, err = f.q.SearchTags(f.ctx, "cat", 2, 10)
		ok(t, err)
		if len(got) != 2 || got[1].Tag.ID != catalog {
			t.Fatalf("two candidates: %+v", got)
		}
		got, err = f.q.SearchTags(f.ctx, "x", 10, 10)
		ok(t, err)
		same(t, "none", len(got), 0)
	})
}
