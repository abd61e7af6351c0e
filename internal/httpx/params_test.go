package httpx

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func parse(t *testing.T, r *http.Request) *Params {
	t.Helper()
	p, err := ParseParams(r, MaxBody)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return p
}

func form(method, target, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestIndexedObjects(t *testing.T) {
	type objs = []map[string]string
	cases := []struct {
		name string
		req  *http.Request
		want objs
	}{
		{"rails anonymous, fields differ per object (Mastodon's own example)",
			form("PUT", "/", "k[][id]=1&k[][_destroy]=true&k[][id]=2&k[][keyword]=baz"),
			objs{{"id": "1", "_destroy": "true"}, {"id": "2", "keyword": "baz"}}},
		{"rails anonymous, same fields",
			form("POST", "/", "title=t&k[][keyword]=foo&k[][whole_word]=false&k[][keyword]=bar&k[][whole_word]=true"),
			objs{{"keyword": "foo", "whole_word": "false"}, {"keyword": "bar", "whole_word": "true"}}},
		{"anonymous, grouped by field (sorted keys)",
			form("POST", "/", "k[][keyword]=a&k[][keyword]=b&k[][whole_word]=1&k[][whole_word]=0"),
			objs{{"keyword": "a", "whole_word": "1"}, {"keyword": "b", "whole_word": "0"}}},
		{"anonymous, one field",
			form("POST", "/", "k[][keyword]=a&k[][keyword]=b"),
			objs{{"keyword": "a"}, {"keyword": "b"}}},
		{"rails anonymous, escaped brackets",
			form("POST", "/", "k%5B%5D%5Bkeyword%5D=a+b&k%5B%5D%5Bkeyword%5D=c"),
			objs{{"keyword": "a b"}, {"keyword": "c"}}},
		{"rails anonymous in the query string",
			httptest.NewRequest("POST", "/?k[][keyword]=q&k[][whole_word]=1", nil),
			objs{{"keyword": "q", "whole_word": "1"}}},
		{"indexed, sorted by number",
			form("POST", "/", "k[10][keyword]=ten&k[2][keyword]=two&k[2][whole_word]=0"),
			objs{{"keyword": "two", "whole_word": "0"}, {"keyword": "ten"}}},
		{"JSON array of objects",
			jsonReq(`{"k":[{"keyword":"x","whole_word":true},{"id":"7","_destroy":true}],"other":[{"keyword":"no"}]}`),
			objs{{"keyword": "x", "whole_word": "true"}, {"id": "7", "_destroy": "true"}}},
		{"JSON object of objects",
			jsonReq(`{"k":{"0":{"keyword":"x"},"1":{"keyword":"y"}}}`),
			objs{{"keyword": "x"}, {"keyword": "y"}}},
		{"none", form("POST", "/", "kk[][keyword]=x&k=1"), objs{}},
	}
	for _, c := range cases {
		if got := parse(t, c.req).Indexed("k"); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func jsonReq(body string) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// A multipart body does not keep the order of its fields across names, so
// anonymous objects are grouped by position.
func TestIndexedMultipart(t *testing.T) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"k[][keyword]", "a"}, {"k[][whole_word]", "true"}, {"k[][keyword]", "b"}, {"k[][whole_word]", "false"}} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	mw.Close()
	r := httptest.NewRequest("POST", "/", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	want := []map[string]string{{"keyword": "a", "whole_word": "true"}, {"keyword": "b", "whole_word": "false"}}
	if got := parse(t, r).Indexed("k"); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseBool(t *testing.T) {
	for raw, want := range map[string]bool{"true": true, "True": true, "1": true, "on": true, " yes ": true,
		"false": false, "0": false, "off": false, "": false, "f": false} {
		if got, err := ParseBool("x", raw); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v; want %v", raw, got, err, want)
		}
	}
	if _, err := ParseBool("x", "perhaps"); err == nil {
		t.Error("ParseBool(perhaps): no error")
	}
	p := parse(t, form("POST", "/", "a=yes&b=nope"))
	if v, set, err := p.Bool("a"); !v || !set || err != nil {
		t.Errorf("Bool(a) = %v, %v, %v", v, set, err)
	}
	if _, set, err := p.Bool("b"); !set || err == nil {
		t.Errorf("Bool(b): set %v, err %v", set, err)
	}
	if _, set, err := p.Bool("c"); set || err != nil {
		t.Errorf("Bool(c): set %v, err %v", set, err)
	}
}

func jsonRequest(body string) *http.Request {
	r := httptest.NewRequest("POST", "/api/v1/apps", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// deepJSON is a 20 KB body nested n deep, the shape that made flattening
// cost 1.5 s of CPU without a login (/oauth/token, /api/v1/apps).
func deepJSON(n int) string {
	return `{"a":` + strings.Repeat(`{"a":`, n-1) + `"x"` + strings.Repeat("}", n)
}

// Bodies nested deeper than Mastodon's parameters ever go are refused
// before they are decoded; three levels (fields_attributes[0][name],
// poll[options][]) are fine.
func TestNestingBound(t *testing.T) {
	if _, err := ParseParams(jsonRequest(deepJSON(9999)), MaxBody); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Fatalf("9,999 levels: %v", err)
	}
	if _, err := ParseParams(jsonRequest(deepJSON(9)), MaxBody); err == nil {
		t.Fatal("9 levels accepted")
	}
	p := parse(t, jsonRequest(`{"fields_attributes":[{"name":"a","value":"b"}],"poll":{"options":["x","y"]},"s":"{[not nesting]}"}`))
	if p.String("fields_attributes[0][name]") != "a" || len(p.Strings("poll[options]")) != 2 || p.String("s") != "{[not nesting]}" {
		t.Fatalf("parsed %v", p.v)
	}
}

// The NUL character is refused in every parameter, whatever the encoding,
// naming the field (PostgreSQL cannot store it; it answered 500).
func TestNULRefused(t *testing.T) {
	for name, r := range map[string]*http.Request{
		"JSON":        jsonRequest(`{"client_name":"bad\u0000app"}`),
		"form":        form("POST", "/api/v1/statuses", "status=a%00b"),
		"query":       httptest.NewRequest("GET", "/api/v1/accounts/search?q=a%00b", nil),
		"JSON in key": jsonRequest(`{"bad\u0000key":"x"}`),
	} {
		_, err := ParseParams(r, MaxBody)
		if err == nil || !strings.Contains(err.Error(), "NUL") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// BenchmarkParseDeepJSON is the quadratic-flattening case: a 20 KB body
// nested 9,999 deep, refused after one scan.
func BenchmarkParseDeepJSON(b *testing.B) {
	body := deepJSON(9999)
	for b.Loop() {
		if _, err := ParseParams(jsonRequest(body), MaxBody); err == nil {
			b.Fatal("accepted")
		}
	}
}
