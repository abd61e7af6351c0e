package activitypub_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"weft/internal/testkit"
)

// A post's replies collection as Mastodon serves it, and as GoToSocial
// needs it to complete a thread (it reads only a first page given inline,
// and follows next): the post's document embeds the first page with the
// author's own replies (5 at most, oldest first), next leads to the rest
// of them and then to everyone else's. Only public and unlisted replies
// of members who share are listed; the pages say the same to the
// collection's own address.
func TestRepliesCollection(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		for _, tok := range []string{aliceTok, bobTok} {
			a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, url.Values{"fediverse_sharing": {"true"}}).Want(t, 200)
		}
		_, carolTok := a.Account(t, "carol") // does not share
		post := func(tok, text, vis, to string) string {
			t.Helper()
			v := url.Values{"status": {text}, "visibility": {vis}}
			if to != "" {
				v.Set("in_reply_to_id", to)
			}
			return a.Do(t, "POST", "/api/v1/statuses", tok, v).Want(t, 200).Map(t)["id"].(string)
		}
		base := "https://" + testkit.Domain
		uri := func(user, id string) string { return base + "/users/" + user + "/statuses/" + id }
		root := post(aliceTok, "a thread", "public", "")
		var self []string
		for i := range 6 {
			self = append(self, uri("alice", post(aliceTok, fmt.Sprintf("part %d", i+2), "public", root)))
		}
		post(aliceTok, "for followers only", "private", root)
		bobs := uri("bob", post(bobTok, "@alice nice", "unlisted", root))
		post(carolTok, "@alice not shared", "public", root)
		deleted := post(bobTok, "@alice oops", "public", root)
		a.Do(t, "DELETE", "/api/v1/statuses/"+deleted, bobTok, nil).Want(t, 200)

		const as = "application/activity+json"
		doc := func(path string) map[string]any {
			t.Helper()
			status, _, body := get(t, a, strings.TrimPrefix(path, base), as)
			if status != 200 {
				t.Fatalf("%s: %d %s", path, status, body)
			}
			var m map[string]any
			testkit.Must(t, json.Unmarshal([]byte(body), &m), "decode %s", path)
			return m
		}
		items := func(page map[string]any) []string {
			var out []string
			for _, it := range page["items"].([]any) {
				out = append(out, it.(string))
			}
			return out
		}
		coll := uri("alice", root) + "/replies"

		note := doc(uri("alice", root))
		replies := note["replies"].(map[string]any)
		first := replies["first"].(map[string]any)
		if replies["id"] != coll || replies["type"] != "Collection" || first["type"] != "CollectionPage" || first["partOf"] != coll {
			t.Fatalf("replies: %v", replies)
		}
		if got := items(first); !slices.Equal(got, self[:5]) {
			t.Fatalf("first page: %v, want alice's first five parts %v", got, self[:5])
		}
		if first["next"] != coll+"?min_id="+strings.TrimPrefix(self[4], uri("alice", ""))+"&page=true" {
			t.Fatalf("first page's next: %v", first["next"])
		}
		// The collection's own address starts at the same place, with a
		// full page.
		if got := doc(coll)["first"].(map[string]any); !slices.Equal(items(got), self) || got["next"] != coll+"?only_other_accounts=true&page=true" {
			t.Fatalf("the collection's first page: %v", got)
		}
		second := doc(first["next"].(string))
		if got := items(second); !slices.Equal(got, self[5:]) || second["next"] != coll+"?only_other_accounts=true&page=true" {
			t.Fatalf("the rest of alice's replies: %v next %v", got, second["next"])
		}
		others := doc(second["next"].(string))
		if got := items(others); !slices.Equal(got, []string{bobs}) || others["next"] != nil {
			t.Fatalf("everyone else's replies: %v next %v", got, others["next"])
		}

		// A post without replies: an empty first page leading to the others.
		lone := doc(uri("bob", strings.TrimPrefix(bobs, uri("bob", ""))))["replies"].(map[string]any)["first"].(map[string]any)
		if len(items(lone)) != 0 || !strings.HasSuffix(lone["next"].(string), "/replies?only_other_accounts=true&page=true") {
			t.Fatalf("a post without replies: %v", lone)
		}
		if status, _, _ := get(t, a, "/users/alice/statuses/"+root+"/replies?page=true&min_id=x", as); status != 422 && status != 400 {
			t.Errorf("min_id=x: %d", status)
		}
	})
}
