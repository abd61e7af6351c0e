package mastodon_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/store"
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

// accMediaPost uploads n small images through the client API and posts
// them with body, returning the post's ID.
func accMediaPost(t *testing.T, a *testkit.API, tok string, n int, body map[string]any) string {
	t.Helper()
	mediaIDs := []string{}
	for range n {
		m := a.Do(t, "POST", "/api/v2/media", tok, testkit.Multipart{Files: map[string][]byte{"file": testkit.PNG(t, 8, 8)}}).
			Want(t, 200).Map(t)
		mediaIDs = append(mediaIDs, m["id"].(string))
	}
	body["media_ids"] = mediaIDs
	return a.Do(t, "POST", "/api/v1/statuses", tok, body).Want(t, 200).Map(t)["id"].(string)
}

var accMediaIDs = id.New(nil)

// accAttach gives a post an attachment directly in the store, as a fetched
// remote post's would be.
func accAttach(t *testing.T, a *testkit.API, statusID int64) {
	t.Helper()
	ctx := t.Context()
	now := time.Now()
	testkit.Must(t, a.Store.InTx(ctx, func(tx *store.Tx) error {
		st, err := tx.StatusByID(ctx, statusID)
		if err != nil {
			return err
		}
		m := &model.Media{ID: accMediaIDs.Next(), AccountID: st.AccountID, Purpose: model.PurposeAttachment, Kind: model.MediaImage,
			Token: "attached" + strconv.FormatInt(statusID, 36), ViewedAt: now, CreatedAt: now, UpdatedAt: now}
		if !st.Local {
			m.RemoteURL = "https://remote.example/media/" + strconv.FormatInt(statusID, 36) + ".png"
		}
		if err := tx.InsertMedia(ctx, m); err != nil {
			return err
		}
		return tx.AttachMedia(ctx, statusID, []int64{m.ID}, now)
	}), "attach media to %d", statusID)
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
		a.Do(t, "GET", "/api/v1/accounts/lookup?acct=al%00ice", "", nil).Want(t, 422) // NUL is refused in every parameter
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
		accSame(t, "only_media, none has media", ids(carolTok, "?only_media=true"), nil)
		accAttach(t, a, private.ID)
		accAttach(t, a, reply.ID)
		accAttach(t, a, bobPost.ID) // boosted by alice, yet not her media
		accSame(t, "only_media, follower", ids(carolTok, "?only_media=true"), []string{accStatusID(reply), accStatusID(private)})
		accSame(t, "only_media, not a follower", ids(bobTok, "?only_media=true"), []string{accStatusID(reply)})
		accSame(t, "only_media and exclude_replies", ids(carolTok, "?only_media=true&exclude_replies=true"), []string{accStatusID(private)})
		_, err = a.Service.Pin(t.Context(), alice.ID, public.ID)
		testkit.Must(t, err, "pin")
		accSame(t, "pinned", ids("", "?pinned=true"), []string{accStatusID(public)})
		accSame(t, "pinned with only_media", ids("", "?pinned=true&only_media=true"), nil)
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

// only_media: the account's posts with attachments, as each caller may see
// them, combined with the other filters and paged in SQL.
func TestAccountStatusesOnlyMedia(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		carol, carolTok := a.Account(t, "carol")
		_, err := a.Service.Follow(t.Context(), carol.ID, alice.ID, service.FollowOptions{})
		testkit.Must(t, err, "follow")
		post := func(tok, text, vis string, replyTo string) string {
			t.Helper()
			body := map[string]any{"status": text, "visibility": vis}
			if replyTo != "" {
				body["in_reply_to_id"] = replyTo
			}
			return a.Do(t, "POST", "/api/v1/statuses", tok, body).Want(t, 200).Map(t)["id"].(string)
		}
		mediaPost := func(tok, text, vis string, n int, replyTo string) string {
			t.Helper()
			body := map[string]any{"status": text, "visibility": vis}
			if replyTo != "" {
				body["in_reply_to_id"] = replyTo
			}
			return accMediaPost(t, a, tok, n, body)
		}
		bobMedia := mediaPost(bobTok, "bob's picture", "public", 1, "")
		plain1 := post(aliceTok, "words #cats", "public", "")
		m1 := mediaPost(aliceTok, "a picture #cats", "public", 1, "")
		post(aliceTok, "more words", "public", "")
		m2 := mediaPost(aliceTok, "two pictures", "unlisted", 2, "")
		mPriv := mediaPost(aliceTok, "for followers", "private", 1, "")
		mReply := mediaPost(aliceTok, "@bob look", "public", 1, bobMedia)
		post(aliceTok, "@bob words only", "public", bobMedia)
		mThread := mediaPost(aliceTok, "and another", "public", 1, m1)
		post(aliceTok, "the last words", "public", "")
		boost := a.Do(t, "POST", "/api/v1/statuses/"+bobMedia+"/reblog", aliceTok, nil).Want(t, 200).Map(t)["id"].(string)
		a.Settle(t)

		path := "/api/v1/accounts/" + accID(alice) + "/statuses"
		list := func(tok, query string) []map[string]any {
			t.Helper()
			return a.Do(t, "GET", path+query, tok, nil).Want(t, 200).List(t)
		}
		if got := accIDs(list(carolTok, "?limit=40")); len(got) != 10 || got[0] != boost {
			t.Fatalf("unfiltered: %v", got)
		}
		everything := []string{mThread, mReply, mPriv, m2, m1}
		for _, s := range list(carolTok, "?only_media=true") {
			if att, _ := s["media_attachments"].([]any); len(att) == 0 || s["reblog"] != nil {
				t.Fatalf("only_media answered %v", s)
			}
		}
		accSame(t, "follower", accIDs(list(carolTok, "?only_media=true")), everything)
		accSame(t, "herself", accIDs(list(aliceTok, "?only_media=1")), everything)
		accSame(t, "not a follower", accIDs(list(bobTok, "?only_media=true")), []string{mThread, mReply, m2, m1})
		accSame(t, "anonymous", accIDs(list("", "?only_media=true")), []string{mThread, mReply, m2, m1})
		accSame(t, "exclude_replies keeps threads", accIDs(list(carolTok, "?only_media=true&exclude_replies=true")),
			[]string{mThread, mPriv, m2, m1})
		accSame(t, "exclude_reblogs", accIDs(list(carolTok, "?only_media=true&exclude_reblogs=true")), everything)
		accSame(t, "tagged", accIDs(list(carolTok, "?only_media=true&tagged=cats")), []string{m1})
		accSame(t, "only_media=false", accIDs(list(carolTok, "?only_media=false&limit=1")), []string{boost})
		// The booster's list leaves the boost out; the author's has the post.
		accSame(t, "bob's", accIDs(a.Do(t, "GET", "/api/v1/accounts/"+accID(bob)+"/statuses?only_media=true", "", nil).
			Want(t, 200).List(t)), []string{bobMedia})

		// One post a page, following the Link header: every page is full.
		var got []string
		next := path + "?only_media=true&exclude_replies=true&limit=1"
		for range 10 {
			r := a.Do(t, "GET", next, carolTok, nil).Want(t, 200)
			page := accIDs(r.List(t))
			if len(page) == 0 {
				break
			}
			accSame(t, "page size", []string{strconv.Itoa(len(page))}, []string{"1"})
			got = append(got, page...)
			if next, _ = tlLinks(t, r); !strings.Contains(next, "only_media=true") {
				t.Fatalf("next link lost only_media: %s", r.Header.Get("Link"))
			}
		}
		accSame(t, "pages", got, []string{mThread, mPriv, m2, m1})
		accSame(t, "max_id", accIDs(list(carolTok, "?only_media=true&limit=2&max_id="+mPriv)), []string{m2, m1})
		accSame(t, "min_id", accIDs(list(carolTok, "?only_media=true&limit=2&min_id="+plain1)), []string{m2, m1})

		// Pinned posts: only those with media.
		for _, id := range []string{plain1, m1} {
			a.Do(t, "POST", "/api/v1/statuses/"+id+"/pin", aliceTok, nil).Want(t, 200)
		}
		accSame(t, "pinned", accIDs(list("", "?pinned=true&only_media=true")), []string{m1})
	})
}
