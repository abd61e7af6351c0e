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
