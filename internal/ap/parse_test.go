package ap

import (
	"errors"
	"strings"
	"testing"
)

func nested(depth int) string {
	// depth objects: {"a":{"a":...{}...}}
	return strings.Repeat(`{"a":`, depth-1) + "{}" + strings.Repeat("}", depth-1)
}

func TestParseRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  string
		want error
	}{
		{"empty", ``, ErrInvalidJSON},
		{"garbage", `not json`, ErrInvalidJSON},
		{"truncated", `{"type":"Note"`, ErrInvalidJSON},
		{"trailing value", `{"type":"Note"}{}`, ErrInvalidJSON},
		{"trailing garbage", `{"type":"Note"} x`, ErrInvalidJSON},
		{"unbalanced close", `}{`, ErrInvalidJSON},
		{"array", `[{"type":"Note"}]`, ErrNotObject},
		{"null", `null`, ErrNotObject},
		{"string", `"https://a.example/n/1"`, ErrNotObject},
		{"number", `42`, ErrNotObject},
		{"65 levels", nested(65), ErrTooDeep},
		{"65 levels of arrays", `{"a":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`, ErrTooDeep},
		{"too large", `{"content":"` + strings.Repeat("x", MaxDocument) + `"}`, ErrTooLarge},
	} {
		o, err := Parse([]byte(c.doc))
		if !errors.Is(err, c.want) || o != nil {
			t.Errorf("%s: Parse = %v, %v; want error %v", c.name, o, err, c.want)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		{"64 levels", nested(64)},
		{"brackets inside strings do not count", `{"content":"` + strings.Repeat("{[", 200) + `\"{"}`},
		{"BOM", "\xef\xbb\xbf{\"type\":\"Note\"}"},
		{"surrounding whitespace", " \n{}\t\n"},
		{"invalid UTF-8 in a string", "{\"content\":\"\xff\xfe\"}"},
		{"huge number elsewhere", `{"type":"Note","views":1e400}`},
		{"duplicate keys", `{"type":"Note","type":"Article"}`},
	} {
		mustParse(t, c.doc)
	}
	max := `{"content":"` + strings.Repeat("x", MaxDocument-len(`{"content":""}`)) + `"}`
	if len(max) != MaxDocument {
		t.Fatalf("size test document is %d bytes", len(max))
	}
	eq(t, "exactly MaxDocument", len(mustParse(t, max).Content), MaxDocument-len(`{"content":""}`))
	eq(t, "last key wins", mustParse(t, `{"type":"Note","type":"Article"}`).Type, "Article")
}

// TestEmbeddedBudget checks that a document made of many small embedded
// objects cannot expand into unbounded memory: past the budget, refs keep
// their IDs but not the objects.
func TestEmbeddedBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"OrderedCollection","orderedItems":[`)
	const n = maxEmbedded + 100
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"https://a.example/x","type":"Note"}`)
	}
	b.WriteString(`]}`)
	o := mustParse(t, b.String())
	eq(t, "len(Items)", len(o.Items), n)
	expanded := 0
	for _, it := range o.Items {
		if it.Obj != nil {
			expanded++
		}
		if it.ID != "https://a.example/x" {
			t.Fatalf("item lost its id: %#v", it)
		}
	}
	eq(t, "expanded", expanded, maxEmbedded)

	// Empty objects are dropped rather than expanded.
	o = mustParse(t, `{"items":[`+strings.Repeat(`{},`, 1000)+`{}]}`)
	eq(t, "empty items", len(o.Items), 0)
}

func TestFromMapCycle(t *testing.T) {
	m := map[string]any{"id": "https://a.example/loop", "type": "Note"}
	m["object"] = m
	m["replies"] = []any{m}
	list := []any{"x"}
	list[0] = list
	m["to"] = list
	o := FromMap(m)
	depth := 0
	for r := o.Object; r != nil && r.Obj != nil; r = r.Obj.Object {
		depth++
	}
	eq(t, "expansion stops at MaxDepth", depth, MaxDepth)
	eq(t, "cyclic list ignored", o.To, []string(nil))
}

func TestDates(t *testing.T) {
	for in, want := range map[string]string{
		"2022-01-22T02:07:16Z":                "2022-01-22T02:07:16Z",
		"2022-08-01T11:06:49.568Z":            "2022-08-01T11:06:49.568Z",
		"2021-10-26T10:28:35.602455Z":         "2021-10-26T10:28:35.602455Z",
		"2026-06-26T11:17:11.483620610Z":      "2026-06-26T11:17:11.48362061Z",
		"2023-10-30T13:07:15+00:00":           "2023-10-30T13:07:15Z",
		"2020-09-14T14:54:53.080949+00:00":    "2020-09-14T14:54:53.080949Z",
		"2021-10-20T12:40:37+02:00":           "2021-10-20T10:40:37Z",
		"2021-10-20T12:40:37+0200":            "2021-10-20T10:40:37Z",
		"2021-10-20T12:40:37.25-0130":         "2021-10-20T14:10:37.25Z",
		"2021-10-20T12:40:37":                 "2021-10-20T12:40:37Z",
		"2021-10-20 12:40:37":                 "2021-10-20T12:40:37Z",
		"2021-10-20 12:40:37+02:00":           "2021-10-20T10:40:37Z",
		"  2021-10-20T12:40:37Z ":             "2021-10-20T12:40:37Z",
		"Wed, 20 Oct 2021 12:40:37 +0200":     "2021-10-20T10:40:37Z",
		"Wed, 20 Oct 2021 12:40:37 GMT":       "2021-10-20T12:40:37Z",
		"2021-10-20":                          "2021-10-20T00:00:00Z",
		"yesterday":                           "",
		"2021-13-40T99:99:99Z":                "",
		"":                                    "",
		"2021-10-20T12:40:37Z" + "0000000000": "",
	} {
		o := mustParse(t, `{"published":"`+in+`"}`)
		eqTime(t, in, o.Published, want)
	}
	for _, doc := range []string{`{"published":1634733637}`, `{"published":null}`, `{"published":["2021-10-20T12:40:37Z"]}`, `{"updated":{}}`} {
		o := mustParse(t, doc)
		if !o.Published.IsZero() || !o.Updated.IsZero() {
			t.Errorf("%s: got %v / %v", doc, o.Published, o.Updated)
		}
	}
}

func TestIsPublic(t *testing.T) {
	for iri, want := range map[string]bool{
		Public:      true,
		"as:Public": true,
		"Public":    true,
		"http://www.w3.org/ns/activitystreams#Public":  true,
		"https://www.w3.org/ns/activitystreams#public": false,
		"https://a.example/users/x/followers":          false,
		"":                                             false,
	} {
		eq(t, iri, IsPublic(iri), want)
	}
}

func TestOrigin(t *testing.T) {
	for iri, want := range map[string]string{
		"https://Mastodon.Example/users/a":          "https://mastodon.example",
		"HTTPS://mastodon.example:443/users/a":      "https://mastodon.example",
		"http://localhost:8080/users/the_mighty":    "http://localhost:8080",
		"http://a.example:80/x":                     "http://a.example",
		"https://a.example:80/x":                    "https://a.example:80",
		"https://a.example:08443/x":                 "https://a.example:8443",
		"https://enterprise.lemmy.ml:/pictrs/a.png": "https://enterprise.lemmy.ml",
		"https://user:pw@a.example/x":               "https://a.example",
		"https://[2001:DB8::1]:8443/x":              "https://[2001:db8::1]:8443",
		"https://[2001:db8::1]/x":                   "https://[2001:db8::1]",
		"https://a.example:0/x":                     "",
		"https://a.example:70000/x":                 "",
		"https://a.example:x/":                      "",
		"at://did:plc:abc/app.bsky.feed.post/1":     "",
		"tag:fedibird.com,2022-01-22:objectId=1":    "",
		"https:///path":                             "",
		"/relative/path":                            "",
		"":                                          "",
		"as:Public":                                 "",
		"https://a.example/x\x7f":                   "",
	} {
		eq(t, iri, Origin(iri), want)
	}
}

// The NUL character, which PostgreSQL cannot store, is taken out of every
// string of a remote document, keys included, when parsed and when kept.
func TestWithoutNUL(t *testing.T) {
	doc := []byte(`{"type":"Create","actor":"https://a.example/u","object":{"type":"Note","content":"a\u0000b","tag":[{"name":"#x\u0000"}],"k\u0000":1}}`)
	o, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if o.Object.Obj.Content != "ab" || o.Object.Obj.Tags[0].Name != "#x" {
		t.Fatalf("parsed %q %q", o.Object.Obj.Content, o.Object.Obj.Tags[0].Name)
	}
	clean, err := WithoutNUL(doc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(clean), `\u0000`) || !strings.Contains(string(clean), `"content":"ab"`) || !strings.Contains(string(clean), `"k":1`) {
		t.Fatalf("cleaned: %s", clean)
	}
	plain := []byte(`{"type":"Note","content":"x < y"}`)
	if same, _ := WithoutNUL(plain); string(same) != string(plain) {
		t.Fatalf("a document without NUL changed: %s", same)
	}
}
