// Package files serves media files at /media/KEY: members' uploads
// straight from storage, other servers' media from the cache (fetched
// again when evicted), or by redirect when S3 is set to serve them.
package files

import (
	"log/slog"
	"net/http"

	"weft/internal/httpx"
	"weft/internal/service"
)

// Server serves the files.
type Server struct {
	svc *service.Service
	log *slog.Logger
}

// New builds the file server.
func New(svc *service.Service, log *slog.Logger) *Server { return &Server{svc: svc, log: log} }

// Routes registers GET /media/{key...}.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /media/{key...}", s.serve)
}

// serve answers a file with what browsers and apps cache on: its type, an
// ETag, a year's max-age (a file never changes under its random name) and
// byte ranges (video players seek with them).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.OpenMediaFile(r.Context(), r.PathValue("key"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if f.Redirect != "" {
		w.Header().Set("Cache-Control", "private, max-age=600")
		http.Redirect(w, r, f.Redirect, http.StatusFound)
		return
	}
	defer f.Object.Close()
	info := f.Object.Info()
	h := w.Header()
	h.Set("Content-Type", info.ContentType)
	if info.ETag != "" {
		h.Set("ETag", info.ETag)
	}
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	// A file is never a page: no scripts, no plugins, even if a browser
	// were to render one.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", info.ModTime, f.Object)
}
