package mastodon_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// statusFx holds what the status endpoint tests share: the served core,
// the test, and short helpers. Its methods cannot clash with helpers of
// other test files in the package.
type statusFx struct {
	t *testing.T
	a *testkit.API
}

// post publishes through the API and returns the new status.
func (f statusFx) post(tok string, body any) map[string]any {
	f.t.Helper()
	return f.a.Do(f.t, "POST", "/api/v1/statuses", tok, body).Want(f.t, 200).Map(f.t)
}

// postVis publishes a post with a visibility and returns its ID.
func (f statusFx) postVis(tok, text, vis string) string {
	f.t.Helper()
	return f.post(tok, url.Values{"status": {text}, "visibility": {vis}})["id"].(string)
}

// reply publishes a reply and returns its ID.
func (f statusFx) reply(tok, parent, text string) string {
	f.t.Helper()
	return f.post(tok, url.Values{"status": {text}, "in_reply_to_id": {parent}})["id"].(string)
}

// follow makes follower follow target through the service.
func (f statusFx) follow(follower, target *model.Account) {
	f.t.Helper()
	_, err := f.a.Service.Follow(context.Background(), follower.ID, target.ID, service.FollowOptions{})
	testkit.Must(f.t, err, "%s follows %s", follower.Username, target.Username)
}

// idsOf lists the "id" of each object.
func idsOf(list []map[string]any) []string {
	out := make([]string, 0, len(list))
	for _, m := range list {
		out = append(out, m["id"].(string))
	}
	return out
}

func wantIDList(t *testing.T, got []string, want []string, what string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func TestCreateStatusParameters(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		// A content warning makes a post sensitive; the language is kept.
		cw := f.post(aliceTok, map[string]any{"status": "spoilers", "spoiler_text": "film", "language": "en"})
		if cw["spoiler_text"] != "film" || cw["sensitive"] != true || cw["language"] != "en" || cw["visibility"] != "public" {
			t.Fatalf("post with a content warning: %v", cw)
		}
		// A reply names what it answers; a reply to a followers-only post is
		// followers-only unless told otherwise.
		private := f.postVis(aliceTok, "for followers", "private")
		f.follow(bob, alice)
		r := f.post(bobTok, url.Values{"status": {"answer"}, "in_reply_to_id": {private}})
		if r["in_reply_to_id"] != private || r["in_reply_to_account_id"] != fmt.Sprint(alice.ID) || r["visibility"] != "private" {
			t.Fatalf("reply: %v", r)
		}
		// Clients that say "none" with null or an empty array are fine.
		f.post(aliceTok, map[string]any{"status": "plain", "poll": nil, "media_ids": []string{}, "scheduled_at": nil})
		f.post(aliceTok, url.Values{"status": {"plain"}, "media_ids[]": {""}})
		// What weft cannot do yet is refused, not dropped.
		for name, body := range map[string]any{
			"media":      url.Values{"status": {"x"}, "media_ids[]": {"123"}},
			"poll":       map[string]any{"status": "x", "poll": map[string]any{"options": []string{"a", "b"}, "expires_in": 300}},
			"poll form":  url.Values{"status": {"x"}, "poll[options][]": {"a", "b"}, "poll[expires_in]": {"300"}},
			"scheduled":  url.Values{"status": {"x"}, "scheduled_at": {"2099-01-01T00:00:00Z"}},
			"visibility": url.Values{"status": {"x"}, "visibility": {"everyone"}},
			"blank":      url.Values{"status": {"  "}},
			"sensitive":  url.Values{"status": {"x"}, "sensitive": {"maybe"}},
			"reply id":   url.Values{"status": {"x"}, "in_reply_to_id": {"abc"}},
		} {
			if r := a.Do(t, "POST", "/api/v1/statuses", aliceTok, body); r.Status != 422 {
				t.Errorf("%s: status %d, want 422; %s", name, r.Status, r.Body)
			}
		}
		// A reply to a post one cannot see is a reply to nothing.
		_, carolTok := a.Account(t, "carol")
		a.Do(t, "POST", "/api/v1/statuses", carolTok, url.Values{"status": {"x"}, "in_reply_to_id": {private}}).Want(t, 404)
		// Scopes: no token 401, a read token 403, an app's own token 422.
		a.Do(t, "POST", "/api/v1/statuses", "", url.Values{"status": {"x"}}).Want(t, 401)
		a.Do(t, "POST", "/api/v1/statuses", a.Token(t, alice, "read write:favourites"), url.Values{"status": {"x"}}).Want(t, 403)
		a.Do(t, "POST", "/api/v1/statuses", a.Token(t, alice, "write:statuses"), url.Values{"status": {"x"}}).Want(t, 200)
	})
}

func TestGetStatusScopesAndPrivacy(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		_, carolTok := a.Account(t, "carol")
		pub := f.postVis(aliceTok, "public", "public")
		private := f.postVis(aliceTok, "followers only", "private")
		f.follow(bob, alice)
		a.Do(t, "GET", "/api/v1/statuses/"+pub, "", nil).Want(t, 200)
		a.Do(t, "GET", "/api/v1/statuses/"+private, "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/statuses/"+private, carolTok, nil).Want(t, 404)
		if got := a.Do(t, "GET", "/api/v1/statuses/"+private, bobTok, nil).Want(t, 200).Map(t); got["favourited"] != false {
			t.Fatalf("signed-in read has no viewer flags: %v", got)
		}
		// A token sent must allow reading statuses, as on Mastodon.
		a.Do(t, "GET", "/api/v1/statuses/"+pub, a.Token(t, alice, "write"), nil).Want(t, 403)
		a.Do(t, "GET", "/api/v1/statuses/"+pub, a.Token(t, alice, "read:statuses"), nil).Want(t, 200)
		a.Do(t, "GET", "/api/v1/statuses/"+pub, "no-such-token", nil).Want(t, 401)
	})
}

func TestGetMultipleStatuses(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		_, carolTok := a.Account(t, "carol")
		one := f.postVis(aliceTok, "one", "public")
		two := f.postVis(aliceTok, "two", "unlisted")
		private := f.postVis(aliceTok, "three", "private")
		direct := f.postVis(aliceTok, "four", "direct")
		byCarol := f.postVis(carolTok, "carol's", "public")
		q := func(list ...string) string {
			v := url.Values{"id[]": list}
			return "/api/v1/statuses?" + v.Encode()
		}
		// In the order asked, each once; unknown, malformed and hidden ones left out.
		got := a.Do(t, "GET", q(two, one, "999", private, two, "x", direct, byCarol), "", nil).Want(t, 200).List(t)
		wantIDList(t, idsOf(got), []string{two, one, byCarol}, "anonymous")
		f.follow(bob, alice)
		got = a.Do(t, "GET", q(direct, private, one), bobTok, nil).Want(t, 200).List(t)
		wantIDList(t, idsOf(got), []string{private, one}, "follower")
		got = a.Do(t, "GET", q(direct, private), aliceTok, nil).Want(t, 200).List(t)
		wantIDList(t, idsOf(got), []string{direct, private}, "author")
		// Posts by muted accounts are left out, as Mastodon's filter does.
		_, err := a.Service.Mute(context.Background(), bob.ID, alice.ID, service.MuteOptions{})
		testkit.Must(t, err, "mute")
		got = a.Do(t, "GET", q(one, byCarol), bobTok, nil).Want(t, 200).List(t)
		wantIDList(t, idsOf(got), []string{byCarol}, "muting viewer")
		// None asked: none answered. Too many: 422.
		if got := a.Do(t, "GET", "/api/v1/statuses", "", nil).Want(t, 200); strings.TrimSpace(string(got.Body)) != "[]" {
			t.Fatalf("no IDs: %s", got.Body)
		}
		var many []string
		for i := range service.MaxStatusIDs + 1 {
			many = append(many, fmt.Sprint(1000+i))
		}
		a.Do(t, "GET", q(many...), "", nil).Want(t, 422)
		a.Do(t, "GET", q(one), a.Token(t, alice, "write"), nil).Want(t, 403)
	})
}

func TestDeleteStatusForRedraft(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := statusFx{t, a}
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		src := "hello @bob #weft"
		id := f.post(aliceTok, url.Values{"status": {src}, "spoiler_text": {"cw"}, "visibility": {"unlisted"}})["id"].(string)
		// Someone else's post, visible or not, "does not exist" for deleting.
		a.Do(t, "DELETE", "/api/v1/statuses/"+id, bobTok, nil).Want(t, 404)
		hidden := f.postVis(aliceTok, "secret", "private")
		a.Do(t, "DELETE", "/api/v1/statuses/"+hidden, bobTok, nil).Want(t, 404)
		// Scopes.
		a.Do(t, "DELETE", "/api/v1/statuses/"+id, "", nil).Want(t, 401)
		a.Do(t, "DELETE", "/api/v1/statuses/"+id, a.Token(t, alice, "read write:favourites"), nil).Want(t, 403)
		// The answer is the post as it was, with its source for redrafting.
		got := a.Do(t, "DELETE", "/api/v1/statuses/"+id, aliceTok, nil).Want(t, 200).Map(t)
		if got["id"] != id || got["text"] != src || got["spoiler_text"] != "cw" || got["visibility"] != "unlisted" ||
			!strings.Contains(got["content"].(string), "#") {
			t.Fatalf("deleted: %v", got)
		}
		if m := got["mentions"].([]any); len(m) != 1 || m[0].(map[string]any)["id"] != fmt.Sprint(bob.ID) {
			t.Fatalf("deleted post's mentions: %v", got["mentions"])
		}
		// A reading of a post does not carry its source.
		if live := a.Do(t, "GET", "/api/v1/statuses/"+hidden, aliceTok, nil).Want(t, 200).Map(t); live["text"] != nil {
			t.Fatalf("text outside delete: %v", live["text"])
		}
		a.Do(t, "GET", "/api/v1/statuses/"+id, aliceTok, nil).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/statuses/"+id, aliceTok, nil).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/statuses/nope", aliceTok, nil).Want(t, 404)
		a.Core.Settle(t)
	})
}
