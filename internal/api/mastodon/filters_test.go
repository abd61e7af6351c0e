package mastodon_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

// fltKeywords lists a filter entity's keywords as "keyword/whole_word".
func fltKeywords(t *testing.T, f map[string]any) []string {
	t.Helper()
	out := []string{}
	for _, k := range f["keywords"].([]any) {
		m := k.(map[string]any)
		w := "part"
		if m["whole_word"] == true {
			w = "whole"
		}
		out = append(out, m["keyword"].(string)+"/"+w)
	}
	return out
}

// fltKeywordID finds the ID of a filter entity's keyword.
func fltKeywordID(t *testing.T, f map[string]any, keyword string) string {
	t.Helper()
	for _, k := range f["keywords"].([]any) {
		if m := k.(map[string]any); m["keyword"] == keyword {
			return m["id"].(string)
		}
	}
	t.Fatalf("no keyword %q in %v", keyword, f)
	return ""
}

func fltContext(f map[string]any) []string {
	var out []string
	for _, c := range f["context"].([]any) {
		out = append(out, c.(string))
	}
	return out
}

// fltError checks an answer is Mastodon's error JSON with status want.
func fltError(t *testing.T, r *testkit.Response, want int) {
	t.Helper()
	r.Want(t, want)
	if m := r.Map(t); len(m) != 1 || m["error"] == nil || m["error"] == "" {
		t.Fatalf("error body: %s", r.Body)
	}
}

func TestFiltersCRUD(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		_, bobTok := f.user("bob")

		// Created as Mastodon's documentation shows it: a form with
		// keywords_attributes[][…], and whole_word true unless said otherwise.
		form := "title=Birdsite&context[]=public&context[]=home&filter_action=hide" +
			"&keywords_attributes[][keyword]=from+birdsite&keywords_attributes[][whole_word]=false" +
			"&keywords_attributes[][keyword]=%40twitter.com"
		fl := a.Do(t, "POST", "/api/v2/filters", tok, url.Values{"title": {"Birdsite"}, "context[]": {"public", "home"},
			"filter_action": {"hide"}}).Want(t, 200).Map(t)
		id := fl["id"].(string)
		if fl["title"] != "Birdsite" || !slices.Equal(fltContext(fl), []string{"public", "home"}) || fl["filter_action"] != "hide" ||
			fl["expires_at"] != nil || len(fl["keywords"].([]any)) != 0 || len(fl["statuses"].([]any)) != 0 {
			t.Fatalf("created: %v", fl)
		}
		r := a.Do(t, "POST", "/api/v2/filters?"+form, tok, nil).Want(t, 200).Map(t)
		if got := fltKeywords(t, r); !slices.Equal(got, []string{"from birdsite/part", "@twitter.com/whole"}) {
			t.Fatalf("keywords from the query string: %v", got)
		}
		a.Do(t, "DELETE", "/api/v2/filters/"+r["id"].(string), tok, nil).Want(t, 200)
		// A string body keeps the order of its fields (url.Values sorts them).
		withKw := a.Do(t, "POST", "/api/v2/filters", tok, form).Want(t, 200).Map(t)
		if got := fltKeywords(t, withKw); !slices.Equal(got, []string{"from birdsite/part", "@twitter.com/whole"}) {
			t.Fatalf("keywords: %v", got)
		}
		kwID := withKw["id"].(string)
		// JSON, with an expiry and indexed objects; blur is accepted and echoed.
		js := a.Do(t, "POST", "/api/v2/filters", tok, map[string]any{"title": "Spoilers", "context": []string{"thread", "account"},
			"filter_action": "blur", "expires_in": 3600,
			"keywords_attributes": []map[string]any{{"keyword": "finale", "whole_word": false}, {"keyword": "ending"}}}).Want(t, 200).Map(t)
		if js["filter_action"] != "blur" || !slices.Equal(fltKeywords(t, js), []string{"finale/part", "ending/whole"}) {
			t.Fatalf("JSON create: %v", js)
		}
		exp, err := time.Parse(time.RFC3339, js["expires_at"].(string))
		if err != nil || exp.Before(time.Now().Add(59*time.Minute)) || exp.After(time.Now().Add(61*time.Minute)) {
			t.Fatalf("expires_at %v (%v)", js["expires_at"], err)
		}
		// Indexed form objects, in index order.
		ix := a.Do(t, "POST", "/api/v2/filters", tok, "title=I&context[]=home&keywords_attributes[1][keyword]=second"+
			"&keywords_attributes[0][keyword]=first&keywords_attributes[0][whole_word]=off").Want(t, 200).Map(t)
		if got := fltKeywords(t, ix); !slices.Equal(got, []string{"first/part", "second/whole"}) {
			t.Fatalf("indexed keywords: %v", got)
		}
		a.Do(t, "DELETE", "/api/v2/filters/"+ix["id"].(string), tok, nil).Want(t, 200)
		tlWant(t, "filters", f.ids("/api/v2/filters", tok), id, kwID, js["id"].(string))
		tlWant(t, "bob's filters", f.ids("/api/v2/filters", bobTok))
		if got := f.get("/api/v2/filters/"+kwID, tok, 200).Map(t); got["title"] != "Birdsite" || len(got["keywords"].([]any)) != 2 {
			t.Fatalf("get: %v", got)
		}

		// Updating changes what is sent; keywords are changed, removed or
		// added as in Mastodon's documented example.
		u := a.Do(t, "PUT", "/api/v2/filters/"+kwID, tok, ("title=Birds&filter_action=warn&expires_in=600"+
			"&keywords_attributes[][id]="+fltKeywordID(t, withKw, "from birdsite")+"&keywords_attributes[][_destroy]=true"+
			"&keywords_attributes[][id]="+fltKeywordID(t, withKw, "@twitter.com")+"&keywords_attributes[][keyword]=t.co"+
			"&keywords_attributes[][keyword]=nitter&keywords_attributes[][whole_word]=0")).Want(t, 200).Map(t)
		if u["title"] != "Birds" || u["filter_action"] != "warn" || u["expires_at"] == nil ||
			!slices.Equal(fltContext(u), []string{"public", "home"}) ||
			!slices.Equal(fltKeywords(t, u), []string{"t.co/whole", "nitter/part"}) ||
			fltKeywordID(t, u, "t.co") != fltKeywordID(t, withKw, "@twitter.com") {
			t.Fatalf("updated: %v", u)
		}
		u = a.Do(t, "PUT", "/api/v2/filters/"+kwID, tok, map[string]any{"context": []string{"notifications"}, "expires_in": nil}).
			Want(t, 200).Map(t)
		if u["expires_at"] != nil || !slices.Equal(fltContext(u), []string{"notifications"}) || u["title"] != "Birds" {
			t.Fatalf("updated by JSON: %v", u)
		}
		// A keyword ID that is not the filter's is not found, and changes nothing.
		jsKw := fltKeywordID(t, js, "finale")
		a.Do(t, "PUT", "/api/v2/filters/"+kwID, tok, url.Values{"title": {"X"}, "keywords_attributes[][id]": {jsKw},
			"keywords_attributes[][keyword]": {"stolen"}}).Want(t, 404)
		a.Do(t, "POST", "/api/v2/filters", tok, url.Values{"title": {"X"}, "context[]": {"home"},
			"keywords_attributes[][id]": {jsKw}}).Want(t, 404)
		if got := f.get("/api/v2/filters/"+kwID, tok, 200).Map(t); got["title"] != "Birds" {
			t.Fatalf("after refused update: %v", got)
		}

		// Bad input: Mastodon's error JSON with 422.
		for _, bad := range []url.Values{
			{"context[]": {"home"}},                               // no title
			{"title": {"  "}, "context[]": {"home"}},              // blank title
			{"title": {"x"}},                                      // no context
			{"title": {"x"}, "context[]": {"home", "everywhere"}}, // unknown context
			{"title": {"x"}, "context[]": {"home"}, "filter_action": {"delete"}},
			{"title": {"x"}, "context[]": {"home"}, "expires_in": {"soon"}},
			{"title": {"x"}, "context[]": {"home"}, "expires_in": {"-5"}},
			{"title": {"x"}, "context[]": {"home"}, "keywords_attributes[][keyword]": {" "}},
			{"title": {"x"}, "context[]": {"home"}, "keywords_attributes[][keyword]": {"a"}, "keywords_attributes[][whole_word]": {"maybe"}},
		} {
			fltError(t, a.Do(t, "POST", "/api/v2/filters", tok, bad), 422)
		}
		fltError(t, a.Do(t, "PUT", "/api/v2/filters/"+id, tok, url.Values{"context[]": {"nowhere"}}), 422)
		fltError(t, a.Do(t, "PUT", "/api/v2/filters/"+id, tok, url.Values{"filter_action": {""}}), 422)
		fltError(t, a.Do(t, "PUT", "/api/v2/filters/"+id, tok, url.Values{"title": {""}}), 422)

		// Someone else's filter does not exist for them.
		fltError(t, f.get("/api/v2/filters/"+id, bobTok, 404), 404)
		a.Do(t, "PUT", "/api/v2/filters/"+id, bobTok, url.Values{"title": {"mine"}}).Want(t, 404)
		a.Do(t, "DELETE", "/api/v2/filters/"+id, bobTok, nil).Want(t, 404)
		f.get("/api/v2/filters/12345", tok, 404)
		f.get("/api/v2/filters/abc", tok, 404)

		// Scopes.
		f.get("/api/v2/filters", "", 401)
		f.get("/api/v2/filters", a.Token(t, alice, "read:statuses write:statuses"), 403)
		f.get("/api/v2/filters", a.Token(t, alice, "read:filters"), 200)
		a.Do(t, "POST", "/api/v2/filters", a.Token(t, alice, "read:filters"), url.Values{"title": {"x"}, "context[]": {"home"}}).Want(t, 403)
		a.Do(t, "PUT", "/api/v2/filters/"+id, a.Token(t, alice, "read"), url.Values{"title": {"x"}}).Want(t, 403)
		a.Do(t, "DELETE", "/api/v2/filters/"+id, a.Token(t, alice, "write:filters"), nil).Want(t, 200)
		f.get("/api/v2/filters/"+id, tok, 404)
		a.Do(t, "DELETE", "/api/v2/filters/"+id, tok, nil).Want(t, 404)
		tlWant(t, "after delete", f.ids("/api/v2/filters", tok), kwID, js["id"].(string))
	})
}

func TestFilterKeywordsAndStatuses(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		_, bobTok := f.user("bob")
		fl := a.Do(t, "POST", "/api/v2/filters", tok, url.Values{"title": {"F"}, "context[]": {"home"}}).Want(t, 200).Map(t)
		id := fl["id"].(string)
		kws := "/api/v2/filters/" + id + "/keywords"

		k := a.Do(t, "POST", kws, tok, url.Values{"keyword": {"Word"}, "whole_word": {"false"}}).Want(t, 200).Map(t)
		if k["keyword"] != "Word" || k["whole_word"] != false || k["id"] == "" {
			t.Fatalf("keyword: %v", k)
		}
		k2 := a.Do(t, "POST", kws, tok, map[string]any{"keyword": "other"}).Want(t, 200).Map(t)
		if k2["whole_word"] != true {
			t.Fatalf("whole_word defaults to true: %v", k2)
		}
		tlWant(t, "keywords", f.ids(kws, tok), k["id"].(string), k2["id"].(string))
		one := "/api/v2/filters/keywords/" + k["id"].(string)
		if got := f.get(one, tok, 200).Map(t); got["keyword"] != "Word" {
			t.Fatalf("get keyword: %v", got)
		}
		u := a.Do(t, "PUT", one, tok, url.Values{"keyword": {"changed"}}).Want(t, 200).Map(t)
		if u["keyword"] != "changed" || u["whole_word"] != false {
			t.Fatalf("updated keyword: %v", u)
		}
		fltError(t, a.Do(t, "PUT", one, tok, url.Values{"keyword": {""}}), 422)
		fltError(t, a.Do(t, "POST", kws, tok, url.Values{}), 422)
		// Only the owner sees or changes them.
		f.get(kws, bobTok, 404)
		f.get(one, bobTok, 404)
		a.Do(t, "POST", kws, bobTok, url.Values{"keyword": {"x"}}).Want(t, 404)
		a.Do(t, "PUT", one, bobTok, url.Values{"keyword": {"x"}}).Want(t, 404)
		a.Do(t, "DELETE", one, bobTok, nil).Want(t, 404)
		a.Do(t, "POST", kws, a.Token(t, alice, "read:filters"), url.Values{"keyword": {"x"}}).Want(t, 403)
		f.get(kws, a.Token(t, alice, "write:filters"), 403)
		a.Do(t, "DELETE", one, tok, nil).Want(t, 200)
		f.get(one, tok, 404)
		tlWant(t, "keywords after delete", f.ids(kws, tok), k2["id"].(string))

		// Posts.
		_, carolTok := f.user("carol")
		p := f.post(carolTok, url.Values{"status": {"a post"}})
		secret := f.postVis(carolTok, "only for carol's followers", "private")
		sts := "/api/v2/filters/" + id + "/statuses"
		s := a.Do(t, "POST", sts, tok, url.Values{"status_id": {p}}).Want(t, 200).Map(t)
		if s["status_id"] != p || s["id"] == "" {
			t.Fatalf("filter status: %v", s)
		}
		fltError(t, a.Do(t, "POST", sts, tok, url.Values{"status_id": {p}}), 422)      // already in it
		fltError(t, a.Do(t, "POST", sts, tok, url.Values{"status_id": {secret}}), 422) // may not see it
		fltError(t, a.Do(t, "POST", sts, tok, url.Values{"status_id": {"999"}}), 422)
		fltError(t, a.Do(t, "POST", sts, tok, url.Values{}), 422)
		tlWant(t, "statuses", f.ids(sts, tok), s["id"].(string))
		oneS := "/api/v2/filters/statuses/" + s["id"].(string)
		if got := f.get(oneS, tok, 200).Map(t); got["status_id"] != p {
			t.Fatalf("get status: %v", got)
		}
		got := f.get("/api/v2/filters/"+id, tok, 200).Map(t)
		if st := got["statuses"].([]any); len(st) != 1 || st[0].(map[string]any)["status_id"] != p {
			t.Fatalf("filter with its posts: %v", got)
		}
		f.get(sts, bobTok, 404)
		f.get(oneS, bobTok, 404)
		a.Do(t, "POST", sts, bobTok, url.Values{"status_id": {p}}).Want(t, 404)
		a.Do(t, "DELETE", oneS, bobTok, nil).Want(t, 404)
		a.Do(t, "DELETE", oneS, tok, nil).Want(t, 200)
		f.get(oneS, tok, 404)
		tlWant(t, "statuses after delete", f.ids(sts, tok))
		f.get("/api/v2/filters/"+id+"/other", tok, 404)
		f.get("/api/v2/filters/keywords/x", tok, 404)

		// Deleting the filter takes its keywords along.
		a.Do(t, "DELETE", "/api/v2/filters/"+id, tok, nil).Want(t, 200)
		f.get("/api/v2/filters/keywords/"+k2["id"].(string), tok, 404)
	})
}

func TestV1Filters(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, tok := f.user("alice")
		_, bobTok := f.user("bob")

		// As Tusky sends it.
		v := a.Do(t, "POST", "/api/v1/filters", tok, url.Values{"phrase": {"eurovision"}, "context[]": {"home", "public"},
			"irreversible": {"true"}, "whole_word": {"false"}, "expires_in": {""}}).Want(t, 200).Map(t)
		id := v["id"].(string)
		if v["phrase"] != "eurovision" || v["irreversible"] != true || v["whole_word"] != false || v["expires_at"] != nil ||
			!slices.Equal(fltContext(v), []string{"home", "public"}) {
			t.Fatalf("v1 created: %v", v)
		}
		// It is a v2 filter with one keyword, titled with the phrase; its v1
		// ID is the keyword's.
		v2 := f.get("/api/v2/filters", tok, 200).List(t)
		if len(v2) != 1 || v2[0]["title"] != "eurovision" || v2[0]["filter_action"] != "hide" ||
			!slices.Equal(fltKeywords(t, v2[0]), []string{"eurovision/part"}) || fltKeywordID(t, v2[0], "eurovision") != id {
			t.Fatalf("as v2: %v", v2)
		}
		filterID := v2[0]["id"].(string)
		tlWant(t, "v1 filters", f.ids("/api/v1/filters", tok), id)
		if got := f.get("/api/v1/filters/"+id, tok, 200).Map(t); got["phrase"] != "eurovision" {
			t.Fatalf("v1 get: %v", got)
		}
		u := a.Do(t, "PUT", "/api/v1/filters/"+id, tok, url.Values{"phrase": {"ESC"}, "context[]": {"thread"},
			"irreversible": {"false"}, "whole_word": {"true"}, "expires_in": {"86400"}}).Want(t, 200).Map(t)
		if u["phrase"] != "ESC" || u["irreversible"] != false || u["whole_word"] != true || u["expires_at"] == nil ||
			!slices.Equal(fltContext(u), []string{"thread"}) {
			t.Fatalf("v1 updated: %v", u)
		}
		if got := f.get("/api/v2/filters/"+filterID, tok, 200).Map(t); got["title"] != "ESC" || got["filter_action"] != "warn" {
			t.Fatalf("v2 after v1 update: %v", got)
		}
		// With a second keyword (added through v2) both show in v1; changing
		// what they share through one of them is refused, the phrase is not.
		k2 := a.Do(t, "POST", "/api/v2/filters/"+filterID+"/keywords", tok, url.Values{"keyword": {"song contest"}}).Want(t, 200).Map(t)
		tlWant(t, "v1 filters with two keywords", f.ids("/api/v1/filters", tok), id, k2["id"].(string))
		fltError(t, a.Do(t, "PUT", "/api/v1/filters/"+id, tok, url.Values{"context[]": {"home"}}), 422)
		fltError(t, a.Do(t, "PUT", "/api/v1/filters/"+id, tok, url.Values{"irreversible": {"true"}}), 422)
		u = a.Do(t, "PUT", "/api/v1/filters/"+id, tok, url.Values{"phrase": {"eurovision"}, "context[]": {"thread"},
			"irreversible": {"false"}}).Want(t, 200).Map(t)
		if u["phrase"] != "eurovision" {
			t.Fatalf("v1 phrase change: %v", u)
		}
		if got := f.get("/api/v2/filters/"+filterID, tok, 200).Map(t); got["title"] != "ESC" {
			t.Fatalf("the title of a filter with two keywords stays: %v", got)
		}
		// Deleting a v1 filter deletes its keyword; the filter goes with its last one.
		a.Do(t, "DELETE", "/api/v1/filters/"+id, tok, nil).Want(t, 200)
		tlWant(t, "v1 after delete", f.ids("/api/v1/filters", tok), k2["id"].(string))
		f.get("/api/v2/filters/"+filterID, tok, 200)
		a.Do(t, "DELETE", "/api/v1/filters/"+k2["id"].(string), tok, nil).Want(t, 200)
		f.get("/api/v2/filters/"+filterID, tok, 404)

		// Bad input, ownership, scopes.
		fltError(t, a.Do(t, "POST", "/api/v1/filters", tok, url.Values{"context[]": {"home"}}), 422)
		fltError(t, a.Do(t, "POST", "/api/v1/filters", tok, url.Values{"phrase": {"x"}}), 422)
		fltError(t, a.Do(t, "POST", "/api/v1/filters", tok, url.Values{"phrase": {"x"}, "context[]": {"here"}}), 422)
		fltError(t, a.Do(t, "POST", "/api/v1/filters", tok, url.Values{"phrase": {"x"}, "context[]": {"home"}, "irreversible": {"?"}}), 422)
		v = a.Do(t, "POST", "/api/v1/filters", tok, map[string]any{"phrase": "x", "context": []string{"account"}}).Want(t, 200).Map(t)
		if v["whole_word"] != true || v["irreversible"] != false {
			t.Fatalf("v1 defaults: %v", v)
		}
		fltError(t, a.Do(t, "PUT", "/api/v1/filters/"+v["id"].(string), tok, url.Values{"phrase": {""}}), 422)
		f.get("/api/v1/filters/"+v["id"].(string), bobTok, 404)
		a.Do(t, "PUT", "/api/v1/filters/"+v["id"].(string), bobTok, url.Values{"phrase": {"y"}}).Want(t, 404)
		a.Do(t, "DELETE", "/api/v1/filters/"+v["id"].(string), bobTok, nil).Want(t, 404)
		tlWant(t, "bob's v1 filters", f.ids("/api/v1/filters", bobTok))
		f.get("/api/v1/filters", a.Token(t, alice, "read:lists"), 403)
		a.Do(t, "POST", "/api/v1/filters", a.Token(t, alice, "read:filters"), url.Values{"phrase": {"x"}, "context[]": {"home"}}).Want(t, 403)
	})
}

// fltFiltered returns the titles of the filters in a status entity's
// filtered, with their keyword and status matches.
func fltFiltered(t *testing.T, st map[string]any) []string {
	t.Helper()
	raw, ok := st["filtered"].([]any)
	if !ok {
		t.Fatalf("no filtered in %v", st)
	}
	out := []string{}
	for _, r := range raw {
		m := r.(map[string]any)
		fl := m["filter"].(map[string]any)
		if _, has := fl["keywords"]; has {
			t.Fatalf("a FilterResult's filter has no keywords: %v", fl)
		}
		s := fl["title"].(string) + ":" + fl["filter_action"].(string)
		for _, k := range asStrings(m["keyword_matches"]) {
			s += " kw=" + k
		}
		for _, id := range asStrings(m["status_matches"]) {
			s += " st=" + id
		}
		out = append(out, s)
	}
	return out
}

func asStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, x.(string))
	}
	return out
}

// fltByID indexes a list of statuses by ID.
func fltByID(list []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, m := range list {
		out[m["id"].(string)] = m
	}
	return out
}

func TestFiltersApplied(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, aliceTok := f.user("alice")
		bob, bobTok := f.user("bob")
		_, carolTok := f.user("carol")
		f.follow(bob, alice)
		a.Settle(t)
		newFilter := func(v url.Values) string {
			t.Helper()
			return a.Do(t, "POST", "/api/v2/filters", bobTok, v).Want(t, 200).Map(t)["id"].(string)
		}
		newFilter(url.Values{"title": {"Cats"}, "context[]": {"home", "public", "thread", "notifications", "account"},
			"keywords_attributes[][keyword]": {"CAT"}}) // whole word
		hideID := newFilter(url.Values{"title": {"Politics"}, "context[]": {"home", "notifications", "thread", "account"},
			"filter_action": {"hide"}, "keywords_attributes[][keyword]": {"vote"}, "keywords_attributes[][whole_word]": {"false"}})
		newFilter(url.Values{"title": {"Elsewhere"}, "context[]": {"public"}, "filter_action": {"hide"},
			"keywords_attributes[][keyword]": {"weather"}})

		cat := f.post(aliceTok, url.Values{"status": {"My cat is asleep"}})
		cats := f.post(aliceTok, url.Values{"status": {"I love cats"}}) // not the whole word
		catCW := f.post(aliceTok, url.Values{"status": {"hidden text"}, "spoiler_text": {"Cat pictures"}})
		voting := f.post(aliceTok, url.Values{"status": {"VOTERS, go out today!"}}) // part of a word
		weather := f.post(aliceTok, url.Values{"status": {"the weather is nice"}})
		plain := f.post(aliceTok, url.Values{"status": {"nothing to see"}})
		own := f.post(bobTok, url.Values{"status": {"my own cat and vote"}}) // one's own posts are never filtered
		a.Settle(t)

		// Home: warn marks, hide removes; the public-only filter does nothing here.
		home := f.get("/api/v1/timelines/home", bobTok, 200).List(t)
		tlWant(t, "home", tlIDs(home), own, plain, weather, catCW, cats, cat)
		byID := fltByID(home)
		if got := fltFiltered(t, byID[cat]); !slices.Equal(got, []string{"Cats:warn kw=CAT"}) {
			t.Fatalf("cat filtered: %v", got)
		}
		if got := fltFiltered(t, byID[catCW]); !slices.Equal(got, []string{"Cats:warn kw=CAT"}) {
			t.Fatalf("content warning filtered: %v", got)
		}
		for _, id := range []string{cats, weather, plain, own} {
			if got := fltFiltered(t, byID[id]); len(got) != 0 {
				t.Fatalf("%s filtered: %v", id, got)
			}
		}
		// Public: the public filters only.
		pub := f.get("/api/v1/timelines/public", bobTok, 200).List(t)
		tlWant(t, "public", tlIDs(pub), own, plain, voting, catCW, cats, cat)
		if got := fltFiltered(t, fltByID(pub)[cat]); !slices.Equal(got, []string{"Cats:warn kw=CAT"}) {
			t.Fatalf("cat filtered in public: %v", got)
		}
		// Others see everything, unmarked; so does bob signed out.
		tlWant(t, "carol's public", f.ids("/api/v1/timelines/public", carolTok), own, plain, weather, voting, catCW, cats, cat)
		for _, s := range f.get("/api/v1/timelines/public", carolTok, 200).List(t) {
			if got := fltFiltered(t, s); len(got) != 0 {
				t.Fatalf("carol's public filtered: %v", got)
			}
		}
		anon := f.get("/api/v1/timelines/public", "", 200).List(t)
		if len(anon) != 7 || anon[0]["filtered"] != nil {
			t.Fatalf("anonymous public: %d, %v", len(anon), anon[0]["filtered"])
		}
		// Account statuses: the account context.
		tlWant(t, "alice's profile", f.ids("/api/v1/accounts/"+tlStr(alice.ID)+"/statuses", bobTok), plain, weather, catCW, cats, cat)
		// The page is cut by filters but its Link header still leads on.
		r := f.get("/api/v1/timelines/home?limit=1&max_id="+weather, bobTok, 200)
		tlWant(t, "page emptied by a filter", tlIDs(r.List(t)))
		if next, _ := tlLinks(t, r); next == "" {
			t.Fatalf("no next link on a page emptied by filters: %q", r.Header.Get("Link"))
		}

		// A boost matches as the boosted post; it is marked, as is the post inside.
		_, daveTok := f.user("dave")
		dave := a.Do(t, "GET", "/api/v1/accounts/verify_credentials", daveTok, nil).Want(t, 200).Map(t)
		a.Do(t, "POST", "/api/v1/accounts/"+dave["id"].(string)+"/follow", bobTok, nil).Want(t, 200)
		a.Settle(t)
		carolCat := f.post(carolTok, url.Values{"status": {"cat!"}})
		carolVote := f.post(carolTok, url.Values{"status": {"vote now"}})
		boostCat := a.Do(t, "POST", "/api/v1/statuses/"+carolCat+"/reblog", daveTok, nil).Want(t, 200).Map(t)["id"].(string)
		a.Do(t, "POST", "/api/v1/statuses/"+carolVote+"/reblog", daveTok, nil).Want(t, 200)
		a.Settle(t)
		home = f.get("/api/v1/timelines/home?limit=3", bobTok, 200).List(t) // the boost of carolVote is hidden
		tlWant(t, "home with boosts", tlIDs(home), boostCat, own)
		if got := fltFiltered(t, home[0]); !slices.Equal(got, []string{"Cats:warn kw=CAT"}) {
			t.Fatalf("boost filtered: %v", got)
		}
		if got := fltFiltered(t, home[0]["reblog"].(map[string]any)); !slices.Equal(got, []string{"Cats:warn kw=CAT"}) {
			t.Fatalf("boosted post filtered: %v", got)
		}

		// A filter's posts match by ID (the boosted post's, for a boost).
		sf := newFilter(url.Values{"title": {"This one"}, "context[]": {"home"}})
		a.Do(t, "POST", "/api/v2/filters/"+sf+"/statuses", bobTok, url.Values{"status_id": {plain}}).Want(t, 200)
		a.Do(t, "POST", "/api/v2/filters/"+sf+"/statuses", bobTok, url.Values{"status_id": {carolCat}}).Want(t, 200)
		byID = fltByID(f.get("/api/v1/timelines/home", bobTok, 200).List(t))
		if got := fltFiltered(t, byID[plain]); !slices.Equal(got, []string{"This one:warn st=" + plain}) {
			t.Fatalf("post filtered by ID: %v", got)
		}
		if got := fltFiltered(t, byID[boostCat]); !slices.Equal(got, []string{"Cats:warn kw=CAT", "This one:warn st=" + carolCat}) {
			t.Fatalf("boost filtered by its post's ID: %v", got)
		}
		// Making it a hide filter takes both out.
		a.Do(t, "PUT", "/api/v2/filters/"+sf, bobTok, url.Values{"filter_action": {"hide"}}).Want(t, 200)
		home = f.get("/api/v1/timelines/home", bobTok, 200).List(t)
		if ids := tlIDs(home); slices.Contains(ids, plain) || slices.Contains(ids, boostCat) || !slices.Contains(ids, cat) {
			t.Fatalf("home with a hide filter of posts: %v", ids)
		}

		// Lists are the home context.
		list := a.Do(t, "POST", "/api/v1/lists", bobTok, url.Values{"title": {"L"}}).Want(t, 200).Map(t)["id"].(string)
		a.Do(t, "POST", "/api/v1/lists/"+list+"/accounts", bobTok, url.Values{"account_ids[]": {tlStr(alice.ID)}}).Want(t, 200)
		a.Settle(t)
		tlWant(t, "list", f.ids("/api/v1/timelines/list/"+list, bobTok), weather, catCW, cats, cat)

		// Expired filters no longer apply (and are still listed).
		testkit.Must(t, a.Store.InTx(context.Background(), func(tx *store.Tx) error {
			fl, err := tx.Filter(context.Background(), bob.ID, tlID(t, hideID))
			if err != nil {
				return err
			}
			past := time.Now().Add(-time.Minute)
			fl.ExpiresAt = &past
			return tx.UpdateFilter(context.Background(), fl)
		}), "expire the filter")
		if got := f.get("/api/v2/filters/"+hideID, bobTok, 200).Map(t); got["expires_at"] == nil {
			t.Fatalf("expired filter: %v", got)
		}
		if ids := f.ids("/api/v1/timelines/home", bobTok); !slices.Contains(ids, voting) {
			t.Fatalf("expired hide filter still hides: %v", ids)
		}
		// Extending it applies it again.
		a.Do(t, "PUT", "/api/v2/filters/"+hideID, bobTok, url.Values{"expires_in": {"3600"}}).Want(t, 200)
		if ids := f.ids("/api/v1/timelines/home", bobTok); slices.Contains(ids, voting) {
			t.Fatalf("extended hide filter does not hide: %v", ids)
		}
	})
}

func TestFiltersInNotificationsAndThreads(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		f := tlFx{t, a}
		alice, aliceTok := f.user("alice")
		_, bobTok := f.user("bob")
		a.Do(t, "POST", "/api/v2/filters", bobTok, url.Values{"title": {"Spoilers"}, "context[]": {"notifications", "thread"},
			"keywords_attributes[][keyword]": {"finale"}}).Want(t, 200)
		a.Do(t, "POST", "/api/v2/filters", bobTok, url.Values{"title": {"Rude"}, "context[]": {"notifications", "thread"},
			"filter_action": {"hide"}, "keywords_attributes[][keyword]": {"idiot"}}).Want(t, 200)

		warned := f.post(aliceTok, url.Values{"status": {"@bob the finale was great"}})
		hidden := f.post(aliceTok, url.Values{"status": {"@bob you idiot"}})
		fine := f.post(aliceTok, url.Values{"status": {"@bob hello"}})
		fav := a.Do(t, "POST", "/api/v1/statuses", bobTok, url.Values{"status": {"the finale, and an idiot"}}).Want(t, 200).Map(t)["id"].(string)
		a.Do(t, "POST", "/api/v1/statuses/"+fav+"/favourite", aliceTok, nil).Want(t, 200) // about bob's own post: never filtered
		a.Settle(t)

		ns := f.get("/api/v1/notifications", bobTok, 200).List(t)
		var got []string
		for _, n := range ns {
			st := n["status"].(map[string]any)
			got = append(got, n["type"].(string)+" "+st["id"].(string)+" "+strings.Join(fltFiltered(t, st), ","))
		}
		want := []string{"favourite " + fav + " ", "mention " + fine + " ", "mention " + warned + " Spoilers:warn kw=finale"}
		slices.Sort(got) // the jobs that notify may run in any order
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("notifications:\n got %q\nwant %q", got, want)
		}
		_ = hidden // left out

		// The thread: replies under a post.
		root := f.post(bobTok, url.Values{"status": {"what did you think?"}})
		r1 := f.post(aliceTok, url.Values{"status": {"the finale!"}, "in_reply_to_id": {root}})
		r2 := f.post(aliceTok, url.Values{"status": {"idiot plot"}, "in_reply_to_id": {root}})
		r3 := f.post(aliceTok, url.Values{"status": {"loved it"}, "in_reply_to_id": {r2}})
		cx := f.get("/api/v1/statuses/"+root+"/context", bobTok, 200).Map(t)
		desc := cx["descendants"].([]any)
		var ids []string
		for _, d := range desc {
			ids = append(ids, d.(map[string]any)["id"].(string))
		}
		tlWant(t, "descendants", ids, r1, r3)
		if got := fltFiltered(t, desc[0].(map[string]any)); !slices.Equal(got, []string{"Spoilers:warn kw=finale"}) {
			t.Fatalf("reply filtered: %v", got)
		}
		// From a reply, the ancestors are filtered too.
		cx = f.get("/api/v1/statuses/"+r3+"/context", bobTok, 200).Map(t)
		if anc := cx["ancestors"].([]any); len(anc) != 1 || anc[0].(map[string]any)["id"] != root {
			t.Fatalf("ancestors: %v", anc)
		}
		// Others see the whole thread.
		cx = f.get("/api/v1/statuses/"+root+"/context", aliceTok, 200).Map(t)
		if len(cx["descendants"].([]any)) != 3 {
			t.Fatalf("alice's thread: %v", cx["descendants"])
		}
		// Profiles are not a context of these filters.
		if ids := f.ids("/api/v1/accounts/"+tlStr(alice.ID)+"/statuses", bobTok); !slices.Contains(ids, r2) {
			t.Fatalf("the hide filter applies to profiles: %v", ids)
		}
	})
}

func TestFiltersInStreams(t *testing.T) {
	t.Parallel()
	testkit.EachAPI(t, func(t *testing.T, a *testkit.API) {
		alice, aliceTok := a.Account(t, "alice")
		bob, bobTok := a.Account(t, "bob")
		follow(t, a, bob, alice)
		a.Do(t, "POST", "/api/v2/filters", bobTok, url.Values{"title": {"Warn"}, "context[]": {"home", "notifications"},
			"keywords_attributes[][keyword]": {"warnme"}}).Want(t, 200)
		a.Do(t, "POST", "/api/v2/filters", bobTok, url.Values{"title": {"Hide"}, "context[]": {"home", "notifications", "public"},
			"filter_action": {"hide"}, "keywords_attributes[][keyword]": {"hideme"}}).Want(t, 200)
		ws := dialStream(t, a.URL, bobTok, "stream=user")
		ws.subscribe("public")
		ws.sync()

		hidden := post(t, a, aliceTok, url.Values{"status": {"hideme @bob"}})
		warned := post(t, a, aliceTok, url.Values{"status": {"warnme @bob"}})
		about := func(m wsMsg, id string) bool { return strings.Contains(m.Payload, `"id":"`+id+`"`) }
		var msgs []wsMsg
		for gotUpdate, gotNotification := false, false; !gotUpdate || !gotNotification; {
			m := ws.next()
			msgs = append(msgs, m)
			gotUpdate = gotUpdate || (about(m, warned) && m.Event == "update" && m.on("user"))
			gotNotification = gotNotification || (about(m, warned) && m.Event == "notification")
		}
		// Once every job is done, a new post's public event comes after
		// anything the hidden post could have caused.
		a.Settle(t)
		plain := post(t, a, aliceTok, url.Values{"status": {"plain"}})
		msgs = append(msgs, ws.until(func(m wsMsg) bool { return m.on("public") && about(m, plain) })...)
		if mentions(t, msgs, hidden) {
			t.Fatalf("a hidden post reached the streams: %+v", msgs)
		}
		for _, m := range msgs {
			if !about(m, warned) {
				continue
			}
			e := m.entity(t)
			if m.Event == "notification" {
				e = e["status"].(map[string]any)
			}
			want := []string{"Warn:warn kw=warnme"}
			if m.on("public") { // not a context of the warn filter
				want = []string{}
			}
			if got := fltFiltered(t, e); !slices.Equal(got, want) {
				t.Fatalf("%s on %v filtered: %v, want %v", m.Event, m.Stream, got, want)
			}
		}
		_ = alice
	})
}

// Deleting an account deletes its filters.
func TestFiltersGoWithTheAccount(t *testing.T) {
	t.Parallel()
	a := testkit.NewAPI(t, testkit.Dialects()[0], nil)
	alice, tok := a.Account(t, "alice")
	a.Do(t, "POST", "/api/v2/filters", tok, url.Values{"title": {"x"}, "context[]": {"home"},
		"keywords_attributes[][keyword]": {"y"}}).Want(t, 200)
	ctx := context.Background()
	if fs, err := a.Store.Read().FiltersOf(ctx, alice.ID); err != nil || len(fs) != 1 {
		t.Fatalf("filters before: %v, %v", fs, err)
	}
	testkit.Must(t, a.Service.DeleteAccount(ctx, alice.ID), "delete alice")
	a.Settle(t)
	if fs, err := a.Store.Read().FiltersOf(ctx, alice.ID); err != nil || len(fs) != 0 {
		t.Fatalf("filters after: %v, %v", fs, err)
	}
	if kws, err := a.Store.Read().FilterKeywordsOf(ctx, alice.ID); err != nil || len(kws) != 0 {
		t.Fatalf("keywords after: %v, %v", kws, err)
	}
}
