package mastodon_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// srchFx runs GET /api/v2/search for one test.
type srchFx struct {
	t *testing.T
	a *testkit.API
}

// srchResult is a Search entity, each list as the IDs (for hashtags, the
// names) it holds, in order.
type srchResult struct{ accounts, statuses, hashtags []string }

func (f srchFx) raw(tok, query string, want int) map[string]any {
	f.t.Helper()
	return f.a.Do(f.t, "GET", "/api/v2/search?"+query, tok, nil).Want(f.t, want).Map(f.t)
}

func (f srchFx) get(tok, query string) srchResult {
	f.t.Helper()
	m := f.raw(tok, query, 200)
	list := func(key, field string) []string {
		items, ok := m[key].([]any)
		if !ok {
			f.t.Fatalf("%s: %q is not a list: %v", query, key, m)
		}
		out := []string{}
		for _, it := range items {
			out = append(out, it.(map[string]any)[field].(string))
		}
		return out
	}
	return srchResult{accounts: list("accounts", "id"), statuses: list("statuses", "id"), hashtags: list("hashtags", "name")}
}

func (f srchFx) statuses(tok, query string) []string {
	f.t.Helper()
	return f.get(tok, "type=statuses&q="+url.QueryEscape(query)).statuses
}

func (f srchFx) post(author *model.Account, text string, vis model.Visibility) *model.Status {
	f.t.Helper()
	return f.a.Post(f.t, author, service.PostInput{Text: text, Visibility: vis})
}

func srchIDs(list ...*model.Status) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, strconv.FormatInt(s.ID, 10))
	}
	return out
}

func srchWant(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func TestSearchV2Types(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := srchFx{t, a}
		viewer, tok := a.Account(t, "viewer")
		catlady := a.QuickAccount(t, "catlady")
		catman := a.QuickAccount(t, "catman")
		dog := a.QuickAccount(t, "dog")
		p1 := f.post(catlady, "Cats are great #cats #caturday", model.Public)
		p2 := f.post(catman, "More #cats, and a #catalogue", model.Public)
		f.post(dog, "#catsecret private business about cats", model.Private)
		p3 := f.post(viewer, "My own note on cats", model.Direct)

		// Every type at once. Accounts by username, hashtags by name (the
		// exact one first, then the most used; none that only private posts
		// use), posts by words, newest first.
		got := f.get(tok, "q=cat")
		srchWant(t, "accounts", got.accounts, accID(catlady), accID(catman))
		srchWant(t, "hashtags", got.hashtags, "cat", "cats", "catalogue", "caturday")
		srchWant(t, "statuses", got.statuses, srchIDs(p3, p2, p1)...)

		// One type at a time.
		got = f.get(tok, "q=cat&type=accounts")
		srchWant(t, "only accounts", got.accounts, accID(catlady), accID(catman))
		srchWant(t, "no hashtags", got.hashtags)
		srchWant(t, "no statuses", got.statuses)
		got = f.get(tok, "q=%23cats&type=hashtags")
		srchWant(t, "only hashtags", got.hashtags, "cats")
		srchWant(t, "no accounts", got.accounts)
		srchWant(t, "#query finds no posts", f.statuses(tok, "#cats"))
		srchWant(t, "only statuses", f.statuses(tok, "great cats"), srchIDs(p1)...)
		srchWant(t, "of one account", f.get(tok, "type=statuses&q=cats&account_id="+accID(catman)).statuses, srchIDs(p2)...)

		// The hashtag entity, with the viewer's follow.
		_, err := a.Service.FollowTag(t.Context(), viewer.ID, "cats")
		testkit.Must(t, err, "follow tag")
		tags := f.raw(tok, "q=cats&type=hashtags&exclude_unreviewed=true", 200)["hashtags"].([]any)
		tag := tags[0].(map[string]any)
		if tag["name"] != "cats" || tag["url"] != "https://weft.test/tags/cats" || tag["id"] == "" || tag["following"] != true ||
			len(tag["history"].([]any)) != 7 || tag["history"].([]any)[0].(map[string]any)["uses"] != "2" {
			t.Fatalf("hashtag: %v", tag)
		}
		unused := f.raw(tok, "q=Neverused&type=hashtags", 200)["hashtags"].([]any)[0].(map[string]any)
		if unused["name"] != "Neverused" || unused["id"] != "" {
			t.Fatalf("unused hashtag: %v", unused)
		}

		// Handles find the account, not hashtags or posts.
		for _, q := range []string{"@catman", "catman@weft.test", "@catman@WEFT.test"} {
			got = f.get(tok, "q="+url.QueryEscape(q))
			srchWant(t, q, got.accounts, accID(catman))
			srchWant(t, q+" hashtags", got.hashtags)
			srchWant(t, q+" statuses", got.statuses)
		}
		got = f.get(tok, "q="+url.QueryEscape("@someone@remote.example")+"&resolve=true")
		srchWant(t, "unknown remote account", got.accounts)

		// Anonymous callers find accounts and hashtags, never posts.
		got = f.get("", "q=cat")
		srchWant(t, "anonymous accounts", got.accounts, accID(catlady), accID(catman))
		srchWant(t, "anonymous hashtags", got.hashtags, "cat", "cats", "catalogue", "caturday")
		srchWant(t, "anonymous statuses", got.statuses)
		if tag := f.raw("", "q=cats&type=hashtags", 200)["hashtags"].([]any)[0].(map[string]any); tag["following"] != nil {
			t.Fatalf("anonymous hashtag: %v", tag)
		}
	})
}

func TestSearchV2Input(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := srchFx{t, a}
		viewer, tok := a.Account(t, "viewer")
		for _, query := range []string{"", "q=", "q=%20%20", "q=cat&type=bogus", "q=cat&limit=0", "q=cat&limit=many",
			"q=cat&offset=-1", "q=cat&type=accounts&offset=5000", "q=cat&resolve=perhaps", "q=cat&account_id=x",
			"q=cat&max_id=x", "q=" + strings.Repeat("a", 500), "q=%ff%fe", "q=a%00b",
			"type=statuses&q=" + url.QueryEscape(strings.Repeat("w ", 17))} {
			if m := f.raw(tok, query, 422); m["error"] == nil || m["error"] == "" {
				t.Fatalf("%s: no error message", query)
			}
		}
		if m := f.raw(tok, "", 422); m["error"] != "param is missing or the value is empty: q" {
			t.Fatalf("missing q: %v", m)
		}
		f.get(tok, "q="+strings.Repeat("a", service.MaxSearchText))
		f.get(tok, "q=cat&limit=500") // clamped, as Mastodon

		// Anonymous callers may not page with offset nor resolve (401), as on Mastodon.
		for _, query := range []string{"q=cat&offset=0", "q=cat&type=accounts&offset=2", "q=cat&resolve=true",
			"q=" + url.QueryEscape("https://weft.test/@viewer") + "&resolve=1"} {
			f.raw("", query, 401)
		}
		f.get("", "q=cat&resolve=false")

		// A token must be valid and carry read:search (or read).
		f.raw("not-a-token", "q=cat", 401)
		f.raw(a.Token(t, viewer, "read:accounts"), "q=cat", 403)
		f.raw(a.Token(t, viewer, "write"), "q=cat", 403)
		f.get(a.Token(t, viewer, "read:search"), "q=cat")
		f.get(a.Token(t, viewer, "read"), "q=cat")
	})
}

func TestSearchV2Pages(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := srchFx{t, a}
		viewer, tok := a.Account(t, "viewer")
		var posts []*model.Status // oldest first
		for i := range 6 {
			posts = append(posts, f.post(viewer, "page test "+strconv.Itoa(i), model.Public))
		}
		id := func(i int) string { return srchIDs(posts[i])[0] }
		srchWant(t, "first page", f.get(tok, "q=page&type=statuses&limit=2").statuses, id(5), id(4))
		srchWant(t, "max_id", f.get(tok, "q=page&type=statuses&limit=2&max_id="+id(4)).statuses, id(3), id(2))
		srchWant(t, "min_id", f.get(tok, "q=page&type=statuses&limit=2&min_id="+id(1)).statuses, id(3), id(2))
		srchWant(t, "both", f.get(tok, "q=page&type=statuses&max_id="+id(4)+"&min_id="+id(1)).statuses, id(3), id(2))
		srchWant(t, "offset", f.get(tok, "q=page&type=statuses&limit=2&offset=2").statuses, id(3), id(2))
		srchWant(t, "offset past the end", f.get(tok, "q=page&type=statuses&offset=6").statuses)
		srchWant(t, "offset needs a type", f.get(tok, "q=page&limit=2&offset=2").statuses, id(5), id(4))
		srchWant(t, "default limit", f.get(tok, "q=page").statuses, id(5), id(4), id(3), id(2), id(1), id(0))

		for _, name := range []string{"pageant", "pager", "pages"} {
			f.post(viewer, "#"+name, model.Public)
		}
		srchWant(t, "hashtag offset", f.get(tok, "q=page&type=hashtags&limit=2&offset=1").hashtags, "pageant", "pager")
		a.QuickAccount(t, "pagea")
		b := a.QuickAccount(t, "pageb")
		srchWant(t, "account offset", f.get(tok, "q=page&type=accounts&limit=1&offset=1").accounts, accID(b))
	})
}

// TestSearchV2Privacy: a search shows only posts the viewer may see, by
// authors they neither block nor are blocked by nor mute; never deleted
// posts, never what an edit removed.
func TestSearchV2Privacy(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := srchFx{t, a}
		stranger, strangerTok := a.Account(t, "stranger")
		follower, followerTok := a.Account(t, "follower")
		mentioned, mentionedTok := a.Account(t, "mentioned")
		author, authorTok := a.Account(t, "author")
		_, err := a.Service.Follow(t.Context(), follower.ID, author.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")

		public := f.post(author, "zebra public", model.Public)
		unlisted := f.post(author, "zebra unlisted", model.Unlisted)
		private := f.post(author, "zebra private", model.Private)
		direct := f.post(author, "zebra direct @mentioned", model.Direct)
		privateMention := f.post(author, "zebra private @mentioned", model.Private)

		// The author finds all their own posts; others the public ones and
		// the ones that mention them.
		srchWant(t, "author", f.statuses(authorTok, "zebra"), srchIDs(privateMention, direct, private, unlisted, public)...)
		srchWant(t, "stranger", f.statuses(strangerTok, "zebra"), srchIDs(public)...)
		srchWant(t, "mentioned", f.statuses(mentionedTok, "zebra"), srchIDs(privateMention, direct, public)...)
		// Following does not put followers-only posts in a search, but
		// liking one does, while the liker may still see it.
		srchWant(t, "follower", f.statuses(followerTok, "zebra"), srchIDs(public)...)
		_, err = a.Service.Favourite(t.Context(), follower.ID, private.ID)
		testkit.Must(t, err, "favourite")
		_, err = a.Service.Bookmark(t.Context(), follower.ID, unlisted.ID)
		testkit.Must(t, err, "bookmark")
		srchWant(t, "follower's likes", f.statuses(followerTok, "zebra"), srchIDs(private, unlisted, public)...)
		_, err = a.Service.Unfollow(t.Context(), follower.ID, author.ID)
		testkit.Must(t, err, "unfollow")
		srchWant(t, "no longer a follower", f.statuses(followerTok, "zebra"), srchIDs(unlisted, public)...)
		// Nobody else may see the followers-only or direct posts, however
		// the stranger searches.
		for _, q := range []string{"zebra private", "zebra direct", "mentioned", "private"} {
			srchWant(t, "stranger: "+q, f.statuses(strangerTok, q))
		}
		// Replying puts a post in one's searches.
		a.Post(t, stranger, service.PostInput{Text: "nice", InReplyToID: unlisted.ID})
		srchWant(t, "replied to", f.statuses(strangerTok, "zebra"), srchIDs(unlisted, public)...)

		// Accounts that are not discoverable keep their public posts out of
		// others' searches (not out of their own).
		no := false
		_, err = a.Service.UpdateProfile(t.Context(), author.ID, service.ProfileUpdate{Discoverable: &no})
		testkit.Must(t, err, "not discoverable")
		srchWant(t, "not discoverable", f.statuses(mentionedTok, "zebra"), srchIDs(privateMention, direct)...)
		srchWant(t, "not discoverable, own", f.statuses(authorTok, "zebra public"), srchIDs(public)...)
		yes := true
		_, err = a.Service.UpdateProfile(t.Context(), author.ID, service.ProfileUpdate{Discoverable: &yes})
		testkit.Must(t, err, "discoverable")

		// Blocks either way and mutes hide the author: posts and account.
		_, err = a.Service.Block(t.Context(), author.ID, stranger.ID)
		testkit.Must(t, err, "block")
		got := f.get(strangerTok, "q=zebra")
		srchWant(t, "blocked by the author", got.statuses)
		srchWant(t, "account of a blocker", f.get(strangerTok, "q=author&type=accounts").accounts)
		srchWant(t, "the blocker's own search", f.statuses(authorTok, "nice"))
		_, err = a.Service.Block(t.Context(), follower.ID, author.ID)
		testkit.Must(t, err, "block")
		srchWant(t, "blocking the author", f.statuses(followerTok, "zebra"))
		_, err = a.Service.Mute(t.Context(), mentioned.ID, author.ID, service.MuteOptions{})
		testkit.Must(t, err, "mute")
		srchWant(t, "muting the author", f.statuses(mentionedTok, "zebra"))

		// Edits change what matches; deleted posts are gone.
		_, err = a.Service.EditPost(t.Context(), author.ID, public.ID, service.EditInput{Text: "okapi public"})
		testkit.Must(t, err, "edit")
		srchWant(t, "old words", f.statuses(authorTok, "zebra public"))
		srchWant(t, "new words", f.statuses(authorTok, "okapi"), srchIDs(public)...)
		_, err = a.Service.DeletePost(t.Context(), author.ID, private.ID)
		testkit.Must(t, err, "delete")
		a.Settle(t)
		srchWant(t, "deleted", f.statuses(authorTok, "zebra"), srchIDs(privateMention, direct, unlisted)...)
	})
}

// TestSearchV2Resolve: with resolve, a URL of this server finds its account
// or post, when the viewer may see it.
func TestSearchV2Resolve(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := srchFx{t, a}
		stranger, strangerTok := a.Account(t, "stranger")
		follower, followerTok := a.Account(t, "follower")
		author := a.QuickAccount(t, "author")
		blocker := a.QuickAccount(t, "blocker")
		_, err := a.Service.Follow(t.Context(), follower.ID, author.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")
		public := f.post(author, "hello", model.Public)
		private := f.post(author, "hello friends", model.Private)
		f.post(blocker, "blocking", model.Public)
		_, err = a.Service.Block(t.Context(), blocker.ID, stranger.ID)
		testkit.Must(t, err, "block")

		resolve := func(tok, u, extra string) srchResult {
			t.Helper()
			return f.get(tok, "resolve=true&q="+url.QueryEscape(u)+extra)
		}
		for _, u := range []string{"https://weft.test/@author", "https://WEFT.test/users/author/", "http://weft.test/@Author"} {
			got := resolve(strangerTok, u, "")
			srchWant(t, u, got.accounts, accID(author))
			srchWant(t, u+" statuses", got.statuses)
			srchWant(t, u+" hashtags", got.hashtags)
		}
		pub := srchIDs(public)[0]
		for _, u := range []string{"https://weft.test/@author/" + pub, "https://weft.test/users/author/statuses/" + pub} {
			got := resolve(strangerTok, u, "")
			srchWant(t, u, got.statuses, pub)
			srchWant(t, u+" accounts", got.accounts)
		}
		srchWant(t, "other type", resolve(strangerTok, "https://weft.test/@author/"+pub, "&type=accounts").statuses)
		srchWant(t, "same type", resolve(strangerTok, "https://weft.test/@author/"+pub, "&type=statuses").statuses, pub)
		srchWant(t, "offset", resolve(strangerTok, "https://weft.test/@author/"+pub, "&type=statuses&offset=1").statuses)
		srchWant(t, "wrong author", resolve(strangerTok, "https://weft.test/@follower/"+pub, "").statuses)

		priv := srchIDs(private)[0]
		srchWant(t, "followers-only, stranger", resolve(strangerTok, "https://weft.test/@author/"+priv, "").statuses)
		srchWant(t, "followers-only, follower", resolve(followerTok, "https://weft.test/@author/"+priv, "").statuses, priv)
		srchWant(t, "blocker", resolve(strangerTok, "https://weft.test/@blocker", "").accounts)
		for _, u := range []string{"https://weft.test/@nobody", "https://weft.test/@author/123", "https://weft.test/about",
			"https://remote.example/@author", "https://remote.example/users/author/statuses/" + pub} {
			got := resolve(strangerTok, u, "")
			if len(got.accounts)+len(got.statuses)+len(got.hashtags) != 0 {
				t.Fatalf("%s: %+v", u, got)
			}
		}
		// Without resolve a URL is only words: no lookup.
		got := f.get(strangerTok, "q="+url.QueryEscape("https://weft.test/users/author"))
		srchWant(t, "not resolved", got.accounts)
	})
}
