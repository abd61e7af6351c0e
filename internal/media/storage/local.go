package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Local keeps files in a directory on local disk, one file per key, with the
// key's slashes as subdirectories.
type Local struct {
	dir string // absolute
}

const (
	// dirPerm and filePerm keep media away from other users of the machine
	// while letting a group (say, a reverse proxy's) read it.
	dirPerm  = 0o750
	filePerm = 0o640

	// tempPattern names Put's temporary files. The upper-case suffix can
	// never be part of a valid key, so a temporary file never collides with
	// a stored one and Usage can tell them apart.
	tempPattern = ".put-*.TMP"
)

// NewLocal stores files under dir (created 0o750 if missing).
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("storage: local: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: local %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, dirPerm); err != nil {
		return nil, fmt.Errorf("storage: local: %w", err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("storage: local: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("storage: local: %s is not a directory", abs)
	}
	return &Local{dir: abs}, nil
}

// path is where key lives. Only ever called with a validated key: ValidKey
// rules out "..", absolute paths and empty segments, so the result is
// always inside l.dir.
func (l *Local) path(key string) string {
	return filepath.Join(l.dir, filepath.FromSlash(key))
}

// Put writes r to a temporary file next to the destination, syncs it and
// renames it into place, so readers see the old file or the whole new one.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	// contentType is not stored: Local derives it from the key's extension,
	// which callers keep in agreement with it.
	if err := ValidKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("storage: put %s: negative size %d", key, size)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	dst := l.path(key)
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, dirPerm); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(parent, tempPattern)
	if err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			// Close may already have happened; the error then is harmless.
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()

	er := newExactReader(ctx, r, size)
	if _, err := io.Copy(tmp, er); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := er.done(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	// CreateTemp makes the file 0o600; an explicit chmod is not subject to
	// the umask, so every stored file ends up with the same mode.
	if err := tmp.Chmod(filePerm); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	// The ETag is made of size and modification time. The kernel stamps
	// files from a coarse clock (a few milliseconds), so two Puts of the same
	// size in quick succession could share an mtime and so an ETag; stamping
	// the file with Go's nanosecond clock makes each Put's ETag its own.
	now := time.Now()
	if err := os.Chtimes(tmp.Name(), now, now); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	// Sync before rename: otherwise a crash soon after could leave the new
	// name pointing at an empty or partial file.
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	renamed = true
	// Make the rename itself durable. Best effort: the file is in place and
	// complete either way, and failing the Put now would tell the caller
	// the file is absent when it is not.
	syncDir(parent)
	return nil
}

func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// localObject is an open file with its Info taken from the open descriptor,
// so Info describes exactly the bytes being read even if a Put replaces the
// key meanwhile.
type localObject struct {
	f    *os.File
	info Info
}

func (o *localObject) Read(p []byte) (int, error) { return o.f.Read(p) }
func (o *localObject) Seek(offset int64, whence int) (int64, error) {
	return o.f.Seek(offset, whence)
}
func (o *localObject) Close() error { return o.f.Close() }
func (o *localObject) Info() Info   { return o.info }

// Open opens key for reading.
func (l *Local) Open(ctx context.Context, key string) (Object, error) {
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", key, err)
	}
	f, err := os.Open(l.path(key))
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", key, notFound(err))
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("storage: open %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		// A directory made for longer keys ("a" for "a/b.jpg") is no file.
		_ = f.Close()
		return nil, fmt.Errorf("storage: open %s: %w", key, ErrNotFound)
	}
	return &localObject{f: f, info: localInfo(key, fi)}, nil
}

// Stat describes key.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("storage: stat %s: %w", key, err)
	}
	fi, err := os.Stat(l.path(key))
	if err != nil {
		return Info{}, fmt.Errorf("storage: stat %s: %w", key, notFound(err))
	}
	if !fi.Mode().IsRegular() {
		return Info{}, fmt.Errorf("storage: stat %s: %w", key, ErrNotFound)
	}
	return localInfo(key, fi), nil
}

func localInfo(key string, fi fs.FileInfo) Info {
	mt := fi.ModTime()
	return Info{
		Size:        fi.Size(),
		ContentType: contentTypeFor(key),
		// Size and mtime change with every Put (see Put) and cost nothing to
		// read, unlike a hash of the content.
		ETag:    `"` + strconv.FormatInt(mt.UnixNano(), 36) + "-" + strconv.FormatInt(fi.Size(), 36) + `"`,
		ModTime: mt,
	}
}

// notFound turns the errors that mean "no such file" into ErrNotFound.
// ENOTDIR is one of them: key "a.jpg/b.png" when a.jpg is a file.
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return ErrNotFound
	}
	return err
}

// Delete removes key. Directories left empty stay: removing them would race
// with a concurrent Put that has just created one.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	p := l.path(key)
	fi, err := os.Lstat(p)
	if err != nil {
		if notFound(err) == ErrNotFound {
			return nil
		}
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	if fi.IsDir() {
		// Not a file, so nothing stored under this key.
		return nil
	}
	if err := os.Remove(p); err != nil && notFound(err) != ErrNotFound {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// RedirectURL is always "": local files are served through weft.
func (l *Local) RedirectURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	return "", nil
}

// Usage walks the part of the directory that can hold keys starting with
// prefix.
func (l *Local) Usage(ctx context.Context, prefix string) (files int64, bytes int64, err error) {
	if err := validPrefix(prefix); err != nil {
		return 0, 0, err
	}
	// Walk the deepest directory every matching key lies in: "media/ab"
	// walks media and keeps the keys starting with "media/ab".
	root := l.dir
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		root = l.path(prefix[:i])
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if notFound(err) == ErrNotFound {
				// The prefix's directory does not exist, or a directory went
				// away under a concurrent Delete: nothing there to count.
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(l.dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		// Temporary files of Puts in progress (and anything else that is no
		// valid key) are not stored files.
		if ValidKey(key) != nil || !strings.HasPrefix(key, prefix) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // deleted while walking
			}
			return err
		}
		files++
		bytes += fi.Size()
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("storage: usage %q: %w", prefix, err)
	}
	return files, bytes, nil
}
