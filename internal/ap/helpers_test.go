package ap

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// fixtureDir is the shared corpus of real documents, outside the module so
// that it is never copied into the project.
func fixtureDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "activitypub")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("ActivityPub fixtures not available at %s (%v); they live in the shared workspace", dir, err)
	}
	return dir
}

// fixtureFiles lists every .json document under dir as slash paths relative
// to it, sorted, so subtests have stable names.
func fixtureFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	slices.Sort(out)
	return out
}

func mustParse(t testing.TB, doc string) *Object {
	t.Helper()
	o, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse(%.80q): %v", doc, err)
	}
	if o == nil {
		t.Fatalf("Parse(%.80q) returned nil without error", doc)
	}
	return o
}

func eq[T any](t testing.TB, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

func eqTime(t testing.TB, what string, got time.Time, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("%s = %v, want zero", what, got)
		}
		return
	}
	if w := mustTime(t, want); !got.Equal(w) {
		t.Errorf("%s = %v, want %v", what, got, w)
	}
}

// obj returns the embedded object of r, failing the test when there is none.
func obj(t testing.TB, what string, r *Ref) *Object {
	t.Helper()
	if r == nil || r.Obj == nil {
		t.Fatalf("%s: no embedded object (ref %#v)", what, r)
	}
	return r.Obj
}
