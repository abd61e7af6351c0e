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

// Helpers of the account tests; their names start with acc so they cannot
// clash with helpers of other test files in this package.

func accID(a *model.Account) string { return strconv.FormatInt(a.ID, 10) }

func accStatusID(s *model.Status) string { return strconv.FormatInt(s.ID, 10) }

// accIDs lists the "id" of each object of a list answer.
func accIDs(list []map[string]any) []string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i], _ = m["id"].(string)
	}
	return out
}

func accSame(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func accPost(t *testing.T, a *testkit.API, author *model.Account, text string, vis model.Visibility, replyTo *model.Status) *model.Status {
	t.Helper()
	in := service.PostInput{Text: text, Visibility: vis}
	if replyTo != nil {
		in.InReplyToID = replyTo.ID
	}
	return a.Post(t, author, in)
}

func TestUpdateCredentials(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		_, tok := a.Account(t, "alice")
		form := url.Values{"display_name": {"Alice"}, "note": {"Hello #weft"}, "locked": {"true"}, "bot": {"1"},
			"fields_attributes[0][name]": {"Site"}, "fields_attributes[0][value]": {"https://example.com"},
			"fields_attributes[1][name]": {"Pronouns"}, "fields_attributes[1][value]": {"she/her"},
			"avatar": {"ignored"}, "source[privacy]": {"unlisted"}}
		got := a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, form).Want(t, 200).Map(t)
		fields := got["fields"].([]any)
		src := got["source"].(map[string]any)
		if got["display_name"] != "Alice" || got["locked"] != true || got["bot"] != true ||
			!strings.HasPrefix(got["note"].(string), "<p>Hello ") || src["note"] != "Hello #weft" || len(fields) != 2 {
			t.Fatalf("form update: %v", got)
		}
		if f := fields[0].(map[string]any); f["name"] != "Site" || !strings.Contains(f["value"].(string), `href="https://example.com"`) {
			t.Fatalf("rendered field: %v", f)
		}
		if f := src["fields"].([]any)[1].(map[string]any); f["value"] != "she/her" {
			t.Fatalf("source field: %v", f)
		}
		// JSON, with fields as an array; what is not sent stays.
		got = a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, map[string]any{
			"fields_attributes": []map[string]string{{"name": "A", "value": "1"}}, "fediverse_sharing": true, "locked": false,
		}).Want(t, 200).Map(t)
		if got["display_name"] != "Alice" || got["locked"] != false || len(got["fields"].([]any)) != 1 ||
			got["source"].(map[string]any)["fediverse_sharing"] != true {
			t.Fatalf("JSON update: %v", got)
		}
		// JSON with fields keyed by index, and the source[] spelling of fediverse_sharing.
		got = a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, map[string]any{
			"fields_attributes": map[string]any{"1": map[string]string{"name": "Second", "value": "2"},
				"0": map[string]string{"name": "First", "value": "1"}},
			"source": map[string]any{"fediverse_sharing": false},
		}).Want(t, 200).Map(t)
		if f := got["fields"].([]any); len(f) != 2 || f[0].(map[string]any)["name"] != "First" ||
			got["source"].(map[string]any)["fediverse_sharing"] != false {
			t.Fatalf("indexed JSON fields: %v", got)
		}
		// Forms with [] rows; empty rows are dropped.
		got = a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, url.Values{
			"fields_attributes[][name]": {"Only", ""}, "fields_attributes[][value]": {"one", ""},
		}).Want(t, 200).Map(t)
		if f := got["fields"].([]any); len(f) != 1 || f[0].(map[string]any)["name"] != "Only" {
			t.Fatalf("[] fields: %v", got["fields"])
		}
		me := a.Do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil).Want(t, 200).Map(t)
		if me["display_name"] != "Alice" || len(me["fields"].([]any)) != 1 {
			t.Fatalf("verify_credentials after update: %v", me)
		}
		// Refusals.
		r := a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, url.Values{"display_name": {strings.Repeat("x", 31)}}).Want(t, 422)
		if !strings.Contains(string(r.Body), "display_name") {
			t.Fatalf("422 body: %s", r.Body)
		}
		five := url.Values{}
		for i := 0; i < 5; i++ {
			five.Set("fields_attributes["+strconv.Itoa(i)+"][name]", "n")
			five.Set("fields_attributes["+strconv.Itoa(i)+"][value]", "v")
		}
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, five).Want(t, 422)
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, url.Values{"locked": {"maybe"}}).Want(t, 422)
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, "display_name=a%00b").Want(t, 422)
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, "note=%ff").Want(t, 422)
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", tok, "fields_attributes[0][name]=%00").Want(t, 422)
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", "", url.Values{"note": {"x"}}).Want(t, 401)
		alice, _ := a.Service.AccountByUsername(t.Context(), "alice")
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", a.Token(t, alice, "read"), url.Values{"note": {"x"}}).Want(t, 403)
		a.Do(t, "PATCH", "/api/v1/accounts/update_credentials", a.Token(t, alice, "write:accounts"), url.Values{"note": {"x"}}).Want(t, 200)
	})
}

func TestLookupAndAccountsByID(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, _ := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		carol := a.QuickAccount(t, "carol")
		for _, acct := range []string{"alice", "@alice", "ALICE@weft.test", "@alice@WEFT.test"} {
			got := a.Do(t, "GET", "/api/v1/accounts/lookup?acct="+url.QueryEscape(acct), "", nil).Want(t, 200).Map(t)
			if got["id"] != accID(alice) || got["acct"] != "alice" {
				t.Fatalf("lookup %s: %v", acct, got)
			}
		}
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=nobody", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/lookup", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=al%00ice", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=alice", bobTok, nil).Want(t, 200)
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=alice", a.Token(t, bob, "write"), nil).Want(t, 403) // a token must allow reading
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=alice", "bad-token", nil).Want(t, 401)

		// Several at once, in the order asked; unknown IDs are left out.
		list := a.Do(t, "GET", "/api/v1/accounts?id[]="+accID(carol)+"&id[]=999&id[]="+accID(alice)+"&id[]=x&id[]="+accID(carol), "", nil).
			Want(t, 200).List(t)
		accSame(t, "accounts", accIDs(list), []string{accID(carol), accID(alice)})
		many := url.Values{}
		for i := 0; i < 41; i++ {
			many.Add("id[]", strconv.Itoa(1000+i))
		}
		a.Do(t, "GET", "/api/v1/accounts?"+many.Encode(), "", nil).Want(t, 422)

		// An account that blocks the caller is not found, whatever the path.
		testkit.Must(t, func() error { _, err := a.Service.Block(t.Context(), alice.ID, bob.ID); return err }(), "block")
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=alice", bobTok, nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/"+accID(alice), bobTok, nil).Want(t, 404)
		list = a.Do(t, "GET", "/api/v1/accounts?id[]="+accID(alice)+"&id[]="+accID(carol), bobTok, nil).Want(t, 200).List(t)
		accSame(t, "accounts seen by the blocked", accIDs(list), []string{accID(carol)})
		// Suspended accounts are not found either.
		testkit.Must(t, a.Service.SuspendAccount(t.Context(), carol.ID), "suspend")
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=carol", "", nil).Want(t, 404)
		accSame(t, "suspended", accIDs(a.Do(t, "GET", "/api/v1/accounts?id[]="+accID(carol), "", nil).Want(t, 200).List(t)), nil)
	})
}

func TestAccountStatuses(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		carol, carolTok := a.Account(t, "carol")
		_, err := a.Service.Follow(t.Context(), carol.ID, alice.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")
		bobPost := accPost(t, a, bob, "bob's", model.Public, nil)
		public := accPost(t, a, alice, "public", model.Public, nil)
		private := accPost(t, a, alice, "followers only", model.Private, nil)
		reply := accPost(t, a, alice, "@bob a reply", model.Public, bobPost)
		thread := accPost(t, a, alice, "more of mine", model.Public, public)
		_, err = a.Service.Reblog(t.Context(), alice.ID, bobPost.ID, model.Public)
		testkit.Must(t, err, "boost")
		a.Settle(t)
		path := "/api/v1/accounts/" + accID(alice) + "/statuses"
		ids := func(tok, query string) []string {
			t.Helper()
			list := a.Do(t, "GET", path+query, tok, nil).Want(t, 200).List(t)
			out := make([]string, 0, len(list))
			for _, s := range list {
				if rb, ok := s["reblog"].(map[string]any); ok {
					out = append(out, "boost:"+rb["id"].(string))
					continue
				}
				out = append(out, s["id"].(string))
			}
			return out
		}
		boost := "boost:" + accStatusID(bobPost)
		accSame(t, "anonymous", ids("", ""), []string{boost, accStatusID(thread), accStatusID(reply), accStatusID(public)})
		accSame(t, "not a follower", ids(bobTok, ""), []string{boost, accStatusID(thread), accStatusID(reply), accStatusID(public)})
		all := []string{boost, accStatusID(thread), accStatusID(reply), accStatusID(private), accStatusID(public)}
		accSame(t, "follower", ids(carolTok, ""), all)
		accSame(t, "herself", ids(aliceTok, ""), all)
		accSame(t, "exclude_replies keeps threads", ids(carolTok, "?exclude_replies=true"),
			[]string{boost, accStatusID(thread), accStatusID(private), accStatusID(public)})
		accSame(t, "exclude_reblogs", ids(carolTok, "?exclude_reblogs=1"),
			[]string{accStatusID(thread), accStatusID(reply), accStatusID(private), accStatusID(public)})
		accSame(t, "only_media", ids(carolTok, "?only_media=true"), nil)
		_, err = a.Service.Pin(t.Context(), alice.ID, public.ID)
		testkit.Must(t, err, "pin")
		accSame(t, "pinned", ids("", "?pinned=true"), []string{accStatusID(public)})
		a.Do(t, "GET", path+"?exclude_replies=perhaps", "", nil).Want(t, 422)

		// Pages, with Mastodon's Link header.
		r := a.Do(t, "GET", path+"?limit=2&exclude_reblogs=true", carolTok, nil).Want(t, 200)
		accSame(t, "first page", accIDs(r.List(t)), []string{accStatusID(thread), accStatusID(reply)})
		link := r.Header.Get("Link")
		next := "https://weft.test" + path + "?exclude_reblogs=true&limit=2&max_id=" + accStatusID(reply)
		if !strings.Contains(link, "<"+next+`>; rel="next"`) || !strings.Contains(link, "min_id="+accStatusID(thread)+`>; rel="prev"`) {
			t.Fatalf("Link: %s", link)
		}
		accSame(t, "next page", ids(carolTok, strings.TrimPrefix(next, "https://weft.test"+path)),
			[]string{accStatusID(private), accStatusID(public)})

		// Blocked: the account is not found.
		_, err = a.Service.Block(t.Context(), alice.ID, bob.ID)
		testkit.Must(t, err, "block")
		a.Do(t, "GET", path, bobTok, nil).Want(t, 404)
		a.Do(t, "GET", path+"?only_media=true", bobTok, nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/424242/statuses", "", nil).Want(t, 404)
		a.Do(t, "GET", "/api/v1/accounts/alice/statuses", "", nil).Want(t, 404)
		a.Do(t, "GET", path, a.Token(t, carol, "read:accounts"), nil).Want(t, 403) // a token must allow reading statuses
	})
}
