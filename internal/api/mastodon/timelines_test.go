package mastodon_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

// tlFx holds the helpers of the timeline, list, notification, marker,
// conversation and tag tests.
type tlFx struct {
	t *testing.T
	a *testkit.API
}

func (f tlFx) user(name string) (*model.Account, string) { return f.a.Account(f.t, name) }

// post creates a status through the API and returns its ID.
func (f tlFx) post(tok string, body url.Values) string {
	f.t.Helper()
	return f.a.Do(f.t, "POST", "/api/v1/statuses", tok, body).Want(f.t, 200).Map(f.t)["id"].(string)
}

func (f tlFx) postVis(tok, text, vis string) string {
	f.t.Helper()
	return f.post(tok, url.Values{"status": {text}, "visibility": {vis}})
}

func (f tlFx) follow(a, b *model.Account) {
	f.t.Helper()
	_, err := f.a.Service.Follow(context.Background(), a.ID, b.ID, service.FollowOptions{})
	testkit.Must(f.t, err, "%s follows %s", a.Username, b.Username)
}

// get fetches path and checks the status.
func (f tlFx) get(path, tok string, want int) *testkit.Response {
	f.t.Helper()
	return f.a.Do(f.t, "GET", path, tok, nil).Want(f.t, want)
}

// ids fetches a list of objects and returns their IDs.
func (f tlFx) ids(path, tok string) []string {
	f.t.Helper()
	return tlIDs(f.get(path, tok, 200).List(f.t))
}

// remotePost stores a public post by a remote account, as federation would.
func (f tlFx) remotePost(text string) string {
	f.t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	acc := &model.Account{ID: tlIDAt(now), Username: "far", Domain: "remote.example", URI: "https://remote.example/users/far",
		CreatedAt: now, UpdatedAt: now}
	st := &model.Status{ID: tlIDAt(now) + 1, AccountID: acc.ID, Text: text, ContentHTML: "<p>" + text + "</p>",
		Visibility: model.Public, URI: "https://remote.example/notes/1", CreatedAt: now}
	st.ThreadID, st.ConversationID = st.ID, st.ID
	testkit.Must(f.t, f.a.Store.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAccount(ctx, acc); err != nil {
			return err
		}
		return tx.InsertStatus(ctx, st)
	}), "store remote post")
	return strconv.FormatInt(st.ID, 10)
}

func tlStr(id int64) string { return strconv.FormatInt(id, 10) }

func tlIDAt(t time.Time) int64 { return t.UnixMilli() << 16 }

func tlID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	testkit.Must(t, err, "parse ID %q", s)
	return id
}

func tlIDs(list []map[string]any) []string {
	out := []string{}
	for _, m := range list {
		out = append(out, m["id"].(string))
	}
	return out
}

func tlWant(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

var tlLinkRE = regexp.MustCompile(`<([^>]+)>; rel="(next|prev)"`)

// tlLinks returns the paths (with query) of a Link header's next and prev.
func tlLinks(t *testing.T, r *testkit.Response) (next, prev string) {
	t.Helper()
	for _, m := range tlLinkRE.FindAllStringSubmatch(r.Header.Get("Link"), -1) {
		path, ok := strings.CutPrefix(m[1], "https://weft.test")
		if !ok {
			t.Fatalf("Link not on the base URL: %s", m[1])
		}
		if m[2] == "next" {
			next = path
		} else {
			prev = path
		}
	}
	return next, prev
}

func TestPublicTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		_, aliceTok := f.user("alice")
		bob, bobTok := f.user("bob")
		pub := f.postVis(aliceTok, "public", "public")
		f.postVis(aliceTok, "unlisted", "unlisted")
		f.postVis(aliceTok, "private", "private")
		f.postVis(aliceTok, "secret @bob", "direct")
		thread := f.post(aliceTok, url.Values{"status": {"more"}, "in_reply_to_id": {pub}, "visibility": {"public"}})
		f.post(bobTok, url.Values{"status": {"answer"}, "in_reply_to_id": {pub}, "visibility": {"public"}})
		_, err := a.Service.Reblog(context.Background(), bob.ID, tlID(t, pub), model.Public)
		testkit.Must(t, err, "boost")
		remote := f.remotePost("from afar")

		// Public posts and threads; no unlisted, private, direct, replies to others or boosts.
		tlWant(t, "anonymous", f.ids("/api/v1/timelines/public", ""), remote, thread, pub)
		tlWant(t, "signed in", f.ids("/api/v1/timelines/public", bobTok), remote, thread, pub)
		tlWant(t, "local", f.ids("/api/v1/timelines/public?local=true", ""), thread, pub)
		tlWant(t, "remote", f.ids("/api/v1/timelines/public?remote=1", ""), remote)
		tlWant(t, "both", f.ids("/api/v1/timelines/public?local=true&remote=true", ""), remote, thread, pub)
		tlWant(t, "only_media, none has media", f.ids("/api/v1/timelines/public?only_media=true", ""))
		accAttach(t, a, tlID(t, thread))
		accAttach(t, a, tlID(t, remote))
		tlWant(t, "only_media", f.ids("/api/v1/timelines/public?only_media=true", ""), remote, thread)
		tlWant(t, "only_media, local", f.ids("/api/v1/timelines/public?only_media=true&local=true", bobTok), thread)
		tlWant(t, "only_media, remote", f.ids("/api/v1/timelines/public?only_media=true&remote=true", ""), remote)

		// Pagination by Link header.
		r := f.get("/api/v1/timelines/public?limit=2", "", 200)
		tlWant(t, "page 1", tlIDs(r.List(t)), remote, thread)
		next, prev := tlLinks(t, r)
		tlWant(t, "page 2", f.ids(next, ""), pub)
		tlWant(t, "newer than the first", f.ids(prev, ""))
		if !strings.Contains(next, "limit=2") {
			t.Fatalf("next link lost the limit: %s", next)
		}

		f.get("/api/v1/timelines/public?local=maybe", "", 422)
		f.get("/api/v1/timelines/public", "bad-token", 401)
		f.get("/api/v1/timelines/public", a.Token(t, bob, "write:statuses"), 403)
	})
}

func TestTagTimeline(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		_, aliceTok := f.user("alice")
		bob, bobTok := f.user("bob")
		f.follow(bob, f.accountOf("alice"))
		cats := f.postVis(aliceTok, "#Cats", "public")
		f.postVis(aliceTok, "#cats unlisted", "unlisted")
		f.postVis(aliceTok, "#cats private", "private")
		f.postVis(aliceTok, "#cats @bob", "direct")
		dogs := f.postVis(bobTok, "#dogs", "public")
		both := f.postVis(bobTok, "#cats and #dogs", "public")
		birds := f.postVis(bobTok, "#birds #cats", "public")
		reply := f.post(bobTok, url.Values{"status": {"#cats too"}, "in_reply_to_id": {cats}})

		// Public posts only, whoever looks, replies included; case does not matter.
		tlWant(t, "cats", f.ids("/api/v1/timelines/tag/cats", ""), reply, birds, both, cats)
		tlWant(t, "CATS by a follower", f.ids("/api/v1/timelines/tag/CATS", bobTok), reply, birds, both, cats)
		tlWant(t, "any", f.ids("/api/v1/timelines/tag/dogs?any[]=birds", ""), birds, both, dogs)
		tlWant(t, "all", f.ids("/api/v1/timelines/tag/cats?all[]=dogs", ""), both)
		tlWant(t, "none", f.ids("/api/v1/timelines/tag/cats?none[]=dogs&none[]=birds", ""), reply, cats)
		tlWant(t, "all of an unused tag", f.ids("/api/v1/timelines/tag/cats?all[]=nobody", ""))
		tlWant(t, "none of an unused tag", f.ids("/api/v1/timelines/tag/dogs?none[]=nobody", ""), both, dogs)
		tlWant(t, "unused tag", f.ids("/api/v1/timelines/tag/nobody", ""))
		tlWant(t, "remote only", f.ids("/api/v1/timelines/tag/cats?remote=true", ""))
		tlWant(t, "local only", f.ids("/api/v1/timelines/tag/dogs?local=true", ""), both, dogs)

		r := f.get("/api/v1/timelines/tag/cats?limit=3", "", 200)
		next, _ := tlLinks(t, r)
		tlWant(t, "next page", f.ids(next, ""), cats)
		r = f.get("/api/v1/timelines/tag/cats?limit=1&all[]=dogs", "", 200)
		if next, _ := tlLinks(t, r); !strings.Contains(next, "all%5B%5D=dogs") {
			t.Fatalf("next link lost all[]: %s", next)
		}
		f.get("/api/v1/timelines/tag/cats", a.Token(t, bob, "follow"), 403)
	})
}

// only_media on the public and hashtag timelines: the posts with
// attachments, under the timelines' own rules, paged in SQL.
func TestOnlyMediaTimelines(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		_, aliceTok := f.user("alice")
		_, bobTok := f.user("bob")
		media := func(tok, text, vis string, n int, replyTo string) string {
			t.Helper()
			body := map[string]any{"status": text, "visibility": vis}
			if replyTo != "" {
				body["in_reply_to_id"] = replyTo
			}
			return accMediaPost(t, a, tok, n, body)
		}
		f.postVis(aliceTok, "#cats in words", "public")
		m1 := media(aliceTok, "#cats one", "public", 1, "")
		media(aliceTok, "#cats unlisted", "unlisted", 1, "")
		media(aliceTok, "#cats private", "private", 1, "")
		reply := media(bobTok, "#cats #dogs a reply", "public", 1, m1)
		m2 := media(bobTok, "#dogs two", "public", 2, "")
		thread := media(aliceTok, "#cats more", "public", 1, m1)
		f.post(bobTok, url.Values{"status": {"#cats #dogs words"}, "visibility": {"public"}})
		a.Do(t, "POST", "/api/v1/statuses/"+m1+"/reblog", bobTok, nil).Want(t, 200) // a boost is never on these timelines
		remote := f.remotePost("from afar")
		accAttach(t, a, tlID(t, remote))

		// Each answer has media; the pages, one post each, follow Link.
		check := func(what, path string, want ...string) {
			t.Helper()
			for _, tok := range []string{"", bobTok} {
				list := f.get(path, tok, 200).List(t)
				for _, s := range list {
					if att, _ := s["media_attachments"].([]any); len(att) == 0 {
						t.Fatalf("%s: %s has no media", what, s["id"])
					}
				}
				tlWant(t, what, tlIDs(list), want...)
			}
			var got []string
			next := path + "&limit=1"
			for range len(want) + 2 {
				r := f.get(next, "", 200)
				page := tlIDs(r.List(t))
				if len(page) == 0 {
					break
				}
				got = append(got, page...)
				if next, _ = tlLinks(t, r); !strings.Contains(next, "only_media=true") {
					t.Fatalf("%s: next link lost only_media: %s", what, r.Header.Get("Link"))
				}
			}
			tlWant(t, what+", one a page", got, want...)
		}
		check("public", "/api/v1/timelines/public?only_media=true", remote, thread, m2, m1)
		check("public, local", "/api/v1/timelines/public?only_media=true&local=true", thread, m2, m1)
		check("public, remote", "/api/v1/timelines/public?only_media=true&remote=true", remote)
		tlWant(t, "public, max_id", f.ids("/api/v1/timelines/public?only_media=true&limit=2&max_id="+thread, ""), m2, m1)

		check("tag", "/api/v1/timelines/tag/cats?only_media=true", thread, reply, m1)
		check("tag, local", "/api/v1/timelines/tag/cats?only_media=true&local=true", thread, reply, m1)
		check("tag, remote", "/api/v1/timelines/tag/cats?only_media=true&remote=true")
		check("tag, any", "/api/v1/timelines/tag/cats?only_media=true&any[]=dogs", thread, m2, reply, m1)
		check("tag, all", "/api/v1/timelines/tag/cats?only_media=true&all[]=dogs", reply)
		check("tag, none", "/api/v1/timelines/tag/cats?only_media=true&none[]=dogs&local=true", thread, m1)
		f.get("/api/v1/timelines/tag/cats?only_media=perhaps", "", 422)
		f.get("/api/v1/timelines/public?only_media=perhaps", "", 422)
	})
}

// accountOf reads a local account by username.
func (f tlFx) accountOf(username string) *model.Account {
	f.t.Helper()
	acc, err := f.a.Store.Read().AccountByUsername(context.Background(), username, "")
	testkit.Must(f.t, err, "account %s", username)
	return acc
}

func TestBookmarksAndFavourites(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		ctx := context.Background()
		alice, aliceTok := f.user("alice")
		bob, bobTok := f.user("bob")
		p1, p2, p3 := f.postVis(aliceTok, "one", "public"), f.postVis(aliceTok, "two", "public"), f.postVis(aliceTok, "three", "public")
		// Marked out of order: the lists go by when they were marked.
		for _, id := range []string{p2, p3, p1} {
			_, err := a.Service.Bookmark(ctx, bob.ID, tlID(t, id))
			testkit.Must(t, err, "bookmark")
			_, err = a.Service.Favourite(ctx, bob.ID, tlID(t, id))
			testkit.Must(t, err, "favourite")
		}
		for _, path := range []string{"/api/v1/bookmarks", "/api/v1/favourites"} {
			tlWant(t, path, f.ids(path, bobTok), p1, p3, p2)
			r := f.get(path+"?limit=2", bobTok, 200)
			tlWant(t, path+" page 1", tlIDs(r.List(t)), p1, p3)
			next, prev := tlLinks(t, r)
			if strings.Contains(next, "max_id="+p3) {
				t.Fatalf("%s: next link pages by status ID, want the mark's: %s", path, next)
			}
			tlWant(t, path+" page 2", f.ids(next, bobTok), p2)
			tlWant(t, path+" newer", f.ids(prev, bobTok))
			tlWant(t, path+" of someone else", f.ids(path, aliceTok))
			f.get(path, "", 401)
		}
		f.get("/api/v1/bookmarks", a.Token(t, bob, "read:favourites"), 403)
		f.get("/api/v1/favourites", a.Token(t, bob, "read:bookmarks"), 403)
		f.get("/api/v1/favourites", a.Token(t, bob, "read:favourites"), 200)
		// A block hides what was marked.
		_, err := a.Service.Block(ctx, alice.ID, bob.ID)
		testkit.Must(t, err, "block")
		tlWant(t, "bookmarks after a block", f.ids("/api/v1/bookmarks", bobTok))
	})
}
