package activitypub_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"weft/internal/testkit"
)

func TestNoteDocument(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		for _, tok := range []string{aliceTok, bobTok} {
			a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, url.Values{"fediverse_sharing": {"true"}}).Want(t, 200)
		}
		_, carolTok := a.Account(t, "carol") // does not share
		post := func(tok string, v url.Values) string {
			t.Helper()
			return a.Do(t, "POST", "/api/v1/statuses", tok, v).Want(t, 200).Map(t)["id"].(string)
		}
		root := post(bobTok, url.Values{"status": {"root"}})
		pub := post(aliceTok, url.Values{"status": {"hello @bob #weft"}, "in_reply_to_id": {root}, "spoiler_text": {"cw"}, "language": {"en"}})
		unlisted := post(aliceTok, url.Values{"status": {"quiet"}, "visibility": {"unlisted"}})
		private := post(aliceTok, url.Values{"status": {"followers only"}, "visibility": {"private"}})
		direct := post(aliceTok, url.Values{"status": {"@bob psst"}, "visibility": {"direct"}})
		carols := post(carolTok, url.Values{"status": {"not shared"}})
		base := "https://" + testkit.Domain
		actor := base + "/users/alice"
		const as = "application/activity+json"

		status, h, body := get(t, a, "/users/alice/statuses/"+pub, as)
		if status != 200 || h.Get("Content-Type") != "application/activity+json; charset=utf-8" {
			t.Fatalf("public: %d %s", status, body)
		}
		var n map[string]any
		if err := json.Unmarshal([]byte(body), &n); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"id": actor + "/statuses/" + pub, "type": "Note", "attributedTo": actor,
			"url": base + "/@alice/" + pub, "summary": "cw", "sensitive": true, "inReplyTo": base + "/users/bob/statuses/" + root}
		for k, v := range want {
			if n[k] != v {
				t.Errorf("%s = %v, want %v", k, n[k], v)
			}
		}
		if to := n["to"].([]any); len(to) != 1 || to[0] != "https://www.w3.org/ns/activitystreams#Public" {
			t.Errorf("to %v", to)
		}
		if cc := n["cc"].([]any); len(cc) != 2 || cc[0] != actor+"/followers" || cc[1] != base+"/users/bob" {
			t.Errorf("cc %v", cc)
		}
		if cm := n["contentMap"].(map[string]any); cm["en"] != n["content"] || !strings.Contains(n["content"].(string), "#<span>weft</span>") {
			t.Errorf("content %v / %v", n["content"], cm)
		}
		var mention, hashtag bool
		for _, tg := range n["tag"].([]any) {
			m := tg.(map[string]any)
			mention = mention || (m["type"] == "Mention" && m["href"] == base+"/users/bob" && m["name"] == "@bob@"+testkit.Domain)
			hashtag = hashtag || (m["type"] == "Hashtag" && m["href"] == base+"/tags/weft" && m["name"] == "#weft")
		}
		if !mention || !hashtag {
			t.Errorf("tag %v", n["tag"])
		}

		// Unlisted: to the followers, the public in cc.
		_, _, body = get(t, a, "/users/alice/statuses/"+unlisted, as)
		if err := json.Unmarshal([]byte(body), &n); err != nil {
			t.Fatal(err)
		}
		if to, cc := n["to"].([]any), n["cc"].([]any); len(to) != 1 || to[0] != actor+"/followers" || cc[0] != "https://www.w3.org/ns/activitystreams#Public" {
			t.Errorf("unlisted to %v cc %v", to, cc)
		}

		// Never to an unsigned fetch: followers-only and direct posts, a
		// post under another author's name, a member who does not share.
		for _, path := range []string{
			"/users/alice/statuses/" + private, "/users/alice/statuses/" + direct, "/users/bob/statuses/" + pub,
			"/users/carol/statuses/" + carols, "/users/alice/statuses/999", "/users/alice/statuses/x",
		} {
			if status, _, body := get(t, a, path, as); status != 404 || strings.Contains(body, "followers only") || strings.Contains(body, "psst") {
				t.Errorf("%s: %d %s", path, status, body)
			}
		}

		// Deleted: 410 with a Tombstone.
		a.Do(t, "DELETE", "/api/v1/statuses/"+unlisted, aliceTok, nil).Want(t, 200)
		status, h, body = get(t, a, "/users/alice/statuses/"+unlisted, as)
		if status != 410 || h.Get("Content-Type") != "application/activity+json; charset=utf-8" ||
			!strings.Contains(body, `"type":"Tombstone"`) || !strings.Contains(body, actor+"/statuses/"+unlisted) || strings.Contains(body, "quiet") {
			t.Errorf("deleted: %d %v %s", status, h, body)
		}
	})
}
