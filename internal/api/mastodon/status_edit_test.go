package mastodon_test

import (
	"net/url"
	"testing"

	"weft/internal/testkit"
)

func TestEditStatusHistoryAndSource(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		_, bobTok := a.Account(t, "bob")
		id := f.post(aliceTok, url.Values{"status": {"first"}, "language": {"en"}})["id"].(string)
		path := "/api/v1/statuses/" + id
		// Never edited: one version, and no edited_at.
		if h := a.Do(t, "GET", path+"/history", "", nil).Want(t, 200).List(t); len(h) != 1 || h[0]["content"] != "<p>first</p>" {
			t.Fatalf("history before editing: %v", h)
		}
		// An edit with JSON; the language left out stays.
		ed := a.Do(t, "PUT", path, aliceTok, map[string]any{"status": "second", "spoiler_text": "cw"}).Want(t, 200).Map(t)
		if ed["id"] != id || ed["content"] != "<p>second</p>" || ed["spoiler_text"] != "cw" || ed["sensitive"] != true ||
			ed["edited_at"] == nil || ed["language"] != "en" {
			t.Fatalf("edited: %v", ed)
		}
		// An edit with a form, changing the language.
		ed = a.Do(t, "PUT", path, aliceTok, url.Values{"status": {"third"}, "language": {"de"}}).Want(t, 200).Map(t)
		if ed["content"] != "<p>third</p>" || ed["spoiler_text"] != "" || ed["sensitive"] != false || ed["language"] != "de" {
			t.Fatalf("second edit: %v", ed)
		}
		// An edit that changes nothing is no edit: no new version.
		again := a.Do(t, "PUT", path, aliceTok, url.Values{"status": {"third"}}).Want(t, 200).Map(t)
		if again["edited_at"] != ed["edited_at"] || again["language"] != "de" {
			t.Fatalf("no-op edit: %v, before %v", again, ed)
		}
		h := a.Do(t, "GET", path+"/history", "", nil).Want(t, 200).List(t)
		var contents []string
		for _, v := range h {
			contents = append(contents, v["content"].(string))
			if v["account"].(map[string]any)["username"] != "alice" || v["poll"] != nil ||
				len(v["media_attachments"].([]any)) != 0 || len(v["emojis"].([]any)) != 0 || v["created_at"] == "" {
				t.Fatalf("history entry: %v", v)
			}
		}
		wantIDList(t, contents, []string{"<p>first</p>", "<p>second</p>", "<p>third</p>"}, "history, oldest first")
		if h[1]["spoiler_text"] != "cw" || h[1]["sensitive"] != true {
			t.Fatalf("history keeps each version's warning: %v", h[1])
		}
		// The source, for the editor.
		src := a.Do(t, "GET", path+"/source", aliceTok, nil).Want(t, 200).Map(t)
		if src["id"] != id || src["text"] != "third" || src["spoiler_text"] != "" || len(src) != 3 {
			t.Fatalf("source: %v", src)
		}
		// Bad input.
		a.Do(t, "PUT", path, aliceTok, url.Values{"status": {""}}).Want(t, 422)
		a.Do(t, "PUT", path, aliceTok, url.Values{"status": {"x"}, "media_ids[]": {"1"}}).Want(t, 422)
		a.Do(t, "PUT", path, aliceTok, url.Values{"status": {"x"}, "language": {"klingon!"}}).Want(t, 422)
		// Someone else's post, seen or not, does not exist for editing or its source.
		a.Do(t, "PUT", path, bobTok, url.Values{"status": {"mine now"}}).Want(t, 404)
		a.Do(t, "GET", path+"/source", bobTok, nil).Want(t, 404)
		hidden := f.postVis(aliceTok, "secret", "private")
		a.Do(t, "PUT", "/api/v1/statuses/"+hidden, bobTok, url.Values{"status": {"x"}}).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/"+hidden+"/history", bobTok, nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/"+hidden+"/history", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/"+hidden+"/history", aliceTok, nil).Want(t, 200)
		// Scopes.
		a.Do(t, "PUT", path, "", url.Values{"status": {"x"}}).Want(t, 401)
		a.Do(t, "PUT", path, a.Token(t, alice, "read"), url.Values{"status": {"x"}}).Want(t, 403)
		a.Do(t, "GET", path+"/source", "", nil).Want(t, 401)
		a.Do(t, "GET", path+"/source", a.Token(t, alice, "write"), nil).Want(t, 403)
		a.Do(t, "GET", path+"/history", a.Token(t, alice, "write"), nil).Want(t, 403)
		// A deleted post has no history or source any more.
		a.Do(t, "DELETE", path, aliceTok, nil).Want(t, 200)
		a.Do(t, "GET", path+"/history", aliceTok, nil).Want(t, 404)
		a.Do(t, "GET", path+"/source", aliceTok, nil).Want(t, 404)
		a.Do(t, "PUT", path, aliceTok, url.Values{"status": {"x"}}).Want(t, 404)
		a.Core.Settle(t)
	})
}
