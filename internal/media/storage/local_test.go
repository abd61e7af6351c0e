package storage

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newLocalStore(t *testing.T) *Local {
	t.Helper()
	l, err := NewLocal(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLocal(t *testing.T) {
	RunConformance(t, func(t *testing.T) Store { return newLocalStore(t) })
}

// allFiles lists every non-directory under dir, relative and slashed.
func allFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLocalFailedPutLeavesNoTempFile(t *testing.T) {
	l := newLocalStore(t)
	ctx := testCtx(t)
	mustPut(t, l, "keep/old.jpg", []byte("old content"), "image/jpeg")

	fails := []struct {
		name string
		key  string
		r    io.Reader
		size int64
	}{
		{"short", "n/short.jpg", strings.NewReader("12345"), 10},
		{"long", "n/long.jpg", strings.NewReader("12345678901"), 10},
		{"failing reader", "n/fail.jpg", io.MultiReader(strings.NewReader("123"), iotestErrReader{errors.New("boom")}), 10},
		// A failed overwrite keeps the old file whole.
		{"short overwrite", "keep/old.jpg", strings.NewReader("new"), 10},
	}
	for _, f := range fails {
		if err := l.Put(ctx, f.key, f.r, f.size, "image/jpeg"); err == nil {
			t.Errorf("%s: Put succeeded", f.name)
		}
	}
	if got := allFiles(t, l.dir); len(got) != 1 || got[0] != "keep/old.jpg" {
		t.Errorf("files after failed Puts: %q, want only keep/old.jpg", got)
	}
	if got, _ := mustRead(t, l, "keep/old.jpg"); string(got) != "old content" {
		t.Errorf("old file now holds %q", got)
	}
}

func TestLocalPermissions(t *testing.T) {
	l := newLocalStore(t)
	mustPut(t, l, "perm/deep/x.png", []byte("x"), "image/png")
	for _, p := range []string{l.dir, filepath.Join(l.dir, "perm"), filepath.Join(l.dir, "perm", "deep")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o007 != 0 || perm&0o700 != 0o700 {
			t.Errorf("%s: mode %v, want no access for others", p, perm)
		}
	}
	fi, err := os.Stat(filepath.Join(l.dir, "perm", "deep", "x.png"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != filePerm {
		t.Errorf("file mode %v, want %v (not world-readable)", perm, fs.FileMode(filePerm))
	}
}

// An Object opened before an overwrite keeps reading the version it opened,
// whole, and its Info keeps describing it.
func TestLocalOpenObjectSurvivesOverwrite(t *testing.T) {
	l := newLocalStore(t)
	v1 := bytes.Repeat([]byte("1"), 10000)
	mustPut(t, l, "o/x.jpg", v1, "image/jpeg")
	obj, err := l.Open(testCtx(t), "o/x.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	half := make([]byte, 5000)
	if _, err := io.ReadFull(obj, half); err != nil {
		t.Fatal(err)
	}
	mustPut(t, l, "o/x.jpg", []byte("2"), "image/jpeg")
	rest, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	if got := append(half, rest...); !bytes.Equal(got, v1) {
		t.Errorf("open object changed under an overwrite: read %d bytes", len(got))
	}
	if obj.Info().Size != 10000 {
		t.Errorf("Info().Size = %d, want 10000", obj.Info().Size)
	}
}

// An overwrite in progress leaves the old version visible until it is done.
func TestLocalOverwriteInProgress(t *testing.T) {
	l := newLocalStore(t)
	mustPut(t, l, "p/x.jpg", []byte("version one"), "image/jpeg")
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- l.Put(testCtx(t), "p/x.jpg", pr, int64(len("version two, longer")), "image/jpeg") }()
	if _, err := pw.Write([]byte("version two,")); err != nil {
		t.Fatal(err)
	}
	if got, _ := mustRead(t, l, "p/x.jpg"); string(got) != "version one" {
		t.Errorf("during overwrite read %q, want the old version", got)
	}
	wantUsage(t, l, "", 1, int64(len("version one")))
	if _, err := pw.Write([]byte(" longer")); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := mustRead(t, l, "p/x.jpg"); string(got) != "version two, longer" {
		t.Errorf("after overwrite read %q", got)
	}
}

func TestLocalRedirectURLEmpty(t *testing.T) {
	l := newLocalStore(t)
	mustPut(t, l, "x.jpg", []byte("x"), "image/jpeg")
	if u, err := l.RedirectURL(testCtx(t), "x.jpg", time.Minute); u != "" || err != nil {
		t.Errorf("RedirectURL = %q, %v; want \"\", nil", u, err)
	}
}

func TestLocalKeyAndDirectoryClash(t *testing.T) {
	l := newLocalStore(t)
	mustPut(t, l, "a/b.jpg", []byte("x"), "image/jpeg")
	// "a" is a directory here, not a stored file: absent for every method.
	wantNotFound(t, l, "a")
	if err := l.Delete(testCtx(t), "a"); err != nil {
		t.Errorf("Delete(a) = %v, want nil", err)
	}
	// A path through a file is absent too, not an error.
	wantNotFound(t, l, "a/b.jpg/c.jpg")
	if err := l.Delete(testCtx(t), "a/b.jpg/c.jpg"); err != nil {
		t.Errorf("Delete(a/b.jpg/c.jpg) = %v, want nil", err)
	}
	wantUsage(t, l, "a/b.jpg/c", 0, 0)
	wantUsage(t, l, "", 1, 1)
}

func TestNewLocal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x", "y")
	if _, err := NewLocal(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		t.Fatalf("NewLocal did not create %s: %v", dir, err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewLocal(file); err == nil {
		t.Error("NewLocal on a file succeeded")
	}
	if _, err := NewLocal(""); err == nil {
		t.Error(`NewLocal("") succeeded`)
	}
}
