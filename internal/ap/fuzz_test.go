package ap

import (
	"os"
	"path/filepath"
	"testing"
)

var fuzzSeeds = []string{
	`{}`,
	`{"type":["Note","Page"],"actor":[{"id":"https://a.example/u"}],"object":{"type":"Undo","object":{"type":"Follow"}}}`,
	`{"url":[{"href":"https://a.example","mediaType":"text/html"},"at://x"],"icon":[{"url":{"href":"https://a.example/i"}}]}`,
	`{"contentMap":{"und":"x","en":1},"nameMap":[],"summary":{"@value":"s"}}`,
	`{"attachment":[{"type":"PropertyValue","name":1,"value":[]},{"focalPoint":[1e400,"x"],"width":-1}]}`,
	`{"publicKey":[1,{"publicKeyPem":"P","owner":{"id":"o"}}],"type":"CryptographicKey","publicKeyPem":2}`,
	`{"oneOf":[{"name":"a","replies":{"totalItems":1e20}}],"endTime":"2019-05-11T09:03:36+0200"}`,
	`{"totalItems":-1,"orderedItems":[[[]],{"id":5},"x"],"first":{"first":{"first":{}}}}`,
	`{"published":"2021-10-20 12:40:37","tag":{"icon":[[]]}}`,
	`[1,2]`, `null`, `"x"`, `{"a":[[[[`, `{"\"":"]]]]"}`, "\xef\xbb\xbf{}",
}

// FuzzParse checks that no input panics and that Parse reports exactly one
// of an error and an object; every accessor is exercised on the result.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(nested(MaxDepth)))
	f.Add([]byte(nested(MaxDepth + 1)))
	if dir := filepath.Join("..", "..", "..", "shared", "fixtures", "activitypub"); dirExists(dir) {
		for _, rel := range fixtureFiles(f, dir) {
			if data, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse(data)
		if (err == nil) == (o == nil) {
			t.Fatalf("Parse = %v, %v: want exactly one of them", o, err)
		}
		if err != nil {
			return
		}
		if len(data) > MaxDocument {
			t.Fatalf("accepted %d bytes", len(data))
		}
		touch(o, 0)
	})
}

// touch calls every method and helper a caller would on o and its embedded
// objects, so that the fuzzer also covers them.
func touch(o *Object, depth int) {
	if o == nil || depth > MaxDepth+1 {
		return
	}
	_ = o.IsActor()
	_ = o.HasType(o.Type)
	_ = o.StringProp("id")
	_, _ = o.IntProp("totalItems")
	_, _ = o.BoolProp("sensitive")
	_ = o.IRIsProp("to")
	for _, s := range append(append([]string{o.ID, o.Actor, o.URL, o.Inbox}, o.To...), o.CC...) {
		_ = Origin(s)
		_ = IsPublic(s)
	}
	for _, r := range []*Ref{o.Object, o.Target, o.Instrument, o.Replies, o.First, o.Next, o.Prev} {
		_ = r.IRI()
		if r != nil {
			touch(r.Obj, depth+1)
		}
	}
	for i := range o.Items {
		touch(o.Items[i].Obj, depth+1)
	}
	for i := range o.OneOf {
		touch(&o.OneOf[i], depth+1)
	}
}

func dirExists(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

func TestFuzzSeedsParseOrFail(t *testing.T) {
	for _, s := range fuzzSeeds {
		o, err := Parse([]byte(s))
		if (err == nil) == (o == nil) {
			t.Errorf("%q: Parse = %v, %v", s, o, err)
		}
	}
}
