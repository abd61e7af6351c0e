package mastodon_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"weft/internal/testkit"
)

func TestTagInfoAndFollow(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, aliceTok := f.user("alice")
		_, bobTok := f.user("bob")
		// A valid name no post used yet.
		tag := f.get("/api/v1/tags/Caturday", "", 200).Map(t)
		hist := tag["history"].([]any)
		if tag["name"] != "Caturday" || tag["url"] != "https://weft.test/tags/Caturday" || tag["id"] != "" ||
			len(hist) != 7 || tag["following"] != nil {
			t.Fatalf("unused tag: %v", tag)
		}
		today := time.Now().UTC().Truncate(24 * time.Hour).Unix()
		if day := hist[0].(map[string]any); day["day"] != strconv.FormatInt(today, 10) || day["uses"] != "0" {
			t.Fatalf("today: %v", day)
		}
		f.get("/api/v1/tags/no%20tag", "", 404)
		f.get("/api/v1/tags/123", "", 404) // digits alone are no hashtag

		// Use counts public posts only, per day, with distinct authors.
		f.postVis(aliceTok, "#caturday one", "public")
		f.postVis(aliceTok, "#Caturday two", "public")
		f.postVis(bobTok, "#caturday three", "public")
		f.postVis(bobTok, "#caturday hidden", "unlisted")
		f.postVis(bobTok, "#caturday secret", "private")
		tag = f.get("/api/v1/tags/CATURDAY", aliceTok, 200).Map(t)
		day := tag["history"].([]any)[0].(map[string]any)
		if tag["id"] == "" || tag["name"] != "caturday" || day["uses"] != "3" || day["accounts"] != "2" || tag["following"] != false {
			t.Fatalf("used tag: %v", tag)
		}

		// Follow and unfollow, both idempotent.
		for range 2 {
			if got := a.Do(t, "POST", "/api/v1/tags/Caturday/follow", aliceTok, nil).Want(t, 200).Map(t); got["following"] != true {
				t.Fatalf("follow: %v", got)
			}
		}
		a.Do(t, "POST", "/api/v1/tags/Brandnew/follow", aliceTok, nil).Want(t, 200) // made on the spot
		a.Do(t, "POST", "/api/v1/tags/Third/follow", aliceTok, nil).Want(t, 200)
		followed := func(tok, query string) []string {
			var names []string
			for _, m := range f.get("/api/v1/followed_tags"+query, tok, 200).List(t) {
				names = append(names, m["name"].(string))
			}
			return names
		}
		tlWant(t, "followed", followed(aliceTok, ""), "Third", "Brandnew", "caturday")
		tlWant(t, "bob follows none", followed(bobTok, ""))
		r := f.get("/api/v1/followed_tags?limit=2", aliceTok, 200)
		next, _ := tlLinks(t, r)
		tlWant(t, "followed page 2", followed(aliceTok, next[len("/api/v1/followed_tags"):]), "caturday")
		if got := a.Do(t, "POST", "/api/v1/tags/caturday/unfollow", aliceTok, nil).Want(t, 200).Map(t); got["following"] != false {
			t.Fatalf("unfollow: %v", got)
		}
		a.Do(t, "POST", "/api/v1/tags/caturday/unfollow", aliceTok, nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/tags/neverused/unfollow", aliceTok, nil).Want(t, 200)
		tlWant(t, "after unfollow", followed(aliceTok, ""), "Third", "Brandnew")
		a.Do(t, "POST", "/api/v1/tags/no%20tag/follow", aliceTok, nil).Want(t, 404)

		a.Do(t, "POST", "/api/v1/tags/x/follow", "", nil).Want(t, 401)
		a.Do(t, "POST", "/api/v1/tags/x/follow", a.Token(t, alice, "read"), nil).Want(t, 403)
		a.Do(t, "POST", "/api/v1/tags/x/follow", a.Token(t, alice, "write:follows"), nil).Want(t, 200)
		a.Do(t, "POST", "/api/v1/tags/x/follow", a.Token(t, alice, "follow"), nil).Want(t, 200)
		f.get("/api/v1/followed_tags", a.Token(t, alice, "read:statuses"), 403)
		f.get("/api/v1/followed_tags", a.Token(t, alice, "read:follows"), 200)
	})
}

func TestFollowedTagsReachHome(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, aliceTok := f.user("alice")
		_, bobTok := f.user("bob")
		carol, carolTok := f.user("carol")
		a.Do(t, "POST", "/api/v1/tags/cats/follow", aliceTok, nil).Want(t, 200)
		pub := f.postVis(bobTok, "#cats are great", "public")
		unlisted := f.postVis(bobTok, "#cats unlisted", "unlisted")
		private := f.postVis(bobTok, "#cats private", "private")
		direct := f.postVis(bobTok, "#cats @carol", "direct")
		other := f.postVis(bobTok, "#dogs", "public")
		_, err := a.Service.Block(t.Context(), alice.ID, carol.ID)
		testkit.Must(t, err, "block")
		blocked := f.postVis(carolTok, "#cats from carol", "public")
		a.Settle(t)
		home := f.ids("/api/v1/timelines/home", aliceTok)
		if !slices.Contains(home, pub) {
			t.Fatalf("home %v misses the public post with a followed tag", home)
		}
		for _, id := range []string{unlisted, private, direct, other, blocked} {
			if slices.Contains(home, id) {
				t.Fatalf("home %v has %s", home, id)
			}
		}
	})
}

func TestTrendingTags(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		_, aliceTok := f.user("alice")
		_, bobTok := f.user("bob")
		_, carolTok := f.user("carol")
		f.postVis(aliceTok, "#popular #niche", "public")
		f.postVis(bobTok, "#popular", "public")
		f.postVis(carolTok, "#Popular #busy", "public")
		for range 3 {
			f.postVis(aliceTok, "#busy", "public")
		}
		f.postVis(bobTok, "#hidden #hidden2", "unlisted")
		f.postVis(carolTok, "#hidden #secret", "private")
		names := func(query string) []string {
			var out []string
			for _, m := range f.get("/api/v1/trends/tags"+query, "", 200).List(t) {
				out = append(out, m["name"].(string))
				if len(m["history"].([]any)) != 7 {
					t.Fatalf("history of %v", m)
				}
			}
			return out
		}
		// Ranked by authors, then uses; public posts only.
		tlWant(t, "trends", names(""), "popular", "busy", "niche")
		tlWant(t, "limit", names("?limit=1"), "popular")
		tlWant(t, "offset", names("?limit=1&offset=1"), "busy")
		tlWant(t, "old name", tlNames(f.get("/api/v1/trends", "", 200).List(t)), "popular", "busy", "niche")
		f.get("/api/v1/trends/tags?limit=x", "", 422)
	})
}

func tlNames(list []map[string]any) []string {
	out := []string{}
	for _, m := range list {
		out = append(out, m["name"].(string))
	}
	return out
}

// A tag's ID says nothing of when it was first used: one first used in a
// followers-only post no longer has the post's ID + 1, which told anyone
// asking for the tag when that post was written.
func TestTagIDTellsNoTime(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	_, alice := a.Account(t, "alice")
	post := a.Do(t, "POST", "/api/v1/statuses", alice, map[string]any{"status": "#quietthing", "visibility": "private"}).Want(t, 200).Map(t)
	tag := a.Do(t, "GET", "/api/v1/tags/quietthing", "", nil).Want(t, 200).Map(t)
	postID, _ := strconv.ParseInt(post["id"].(string), 10, 64)
	tagID, _ := strconv.ParseInt(tag["id"].(string), 10, 64)
	if d := tagID - postID; d > -1<<40 && d < 1<<40 {
		t.Fatalf("tag %d is within moments of the post %d", tagID, postID)
	}
}
