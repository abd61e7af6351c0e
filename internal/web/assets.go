package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// assets are the static files, each served under a name that carries a
// hash of its content (/assets/app-1a2b3c4d.css): a page always loads the
// version it was rendered with, and a browser may cache a file forever.
type assets struct {
	byName map[string]string // "app.css" → "/assets/app-1a2b3c4d.css"
	byPath map[string]asset  // "/assets/app-1a2b3c4d.css" → the file
}

type asset struct {
	data        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]string{}, byPath: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		hashed := "/assets/" + strings.TrimSuffix(name, ext) + "-" + hex.EncodeToString(sum[:4]) + ext
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".png": "image/png"}[ext]
		if ct == "" {
			return fmt.Errorf("asset %s: unknown type", name)
		}
		a.byName[name] = hashed
		a.byPath[hashed] = asset{data: data, contentType: ct}
		return nil
	})
	return a, err
}

// url is the hashed path of a static file, for templates.
func (a *assets) url(name string) (string, error) {
	u, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

// serve answers GET /assets/NAME-HASH.EXT.
func (a *assets) serve(rw http.ResponseWriter, r *http.Request) {
	f, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(rw, r)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(rw, r, "", time.Time{}, bytes.NewReader(f.data))
}
