// Package web is weft's browser side. For now it holds what the OAuth
// flow needs — browser sessions, CSRF protection and the sign-in page —
// which the web app will build on. Pages are server-rendered html/template,
// embedded in the binary.
package web

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

//go:embed templates/*.html
var templateFS embed.FS

// Cookie names. The session cookie carries a random secret stored only
// hashed; the CSRF cookie protects forms shown before signing in.
const (
	sessionCookie = "_weft_session"
	csrfCookie    = "_weft_csrf"
	// CSRFField is the form field of the CSRF token, named as on Mastodon.
	CSRFField = "authenticity_token"
)

// Settings are what the web side needs of the configuration.
type Settings struct {
	BaseURL      string
	Secure       bool // https: cookies only over TLS
	InstanceName string
}

// Web serves the browser pages.
type Web struct {
	svc  *service.Service
	cfg  Settings
	log  *slog.Logger
	tmpl *template.Template
}

// New parses the templates.
func New(svc *service.Service, cfg Settings, log *slog.Logger) *Web {
	t := template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))
	return &Web{svc: svc, cfg: cfg, log: log, tmpl: t}
}

// Routes registers the pages.
func (w *Web) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /auth/sign_in", w.signInPage)
	mux.HandleFunc("POST /auth/sign_in", w.signIn)
	mux.HandleFunc("POST /auth/sign_out", w.signOut)
	mux.HandleFunc("DELETE /auth/sign_out", w.signOut)
}

// Current returns the signed-in session and account of a request, or
// ErrUnauthorized.
func (w *Web) Current(r *http.Request) (*model.Session, *model.Account, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil, model.Errorf(model.ErrUnauthorized, "", "not signed in")
	}
	return w.svc.Session(r.Context(), c.Value)
}

// CheckCSRF verifies a state-changing form of a signed-in session.
func CheckCSRF(r *http.Request, sess *model.Session) bool {
	got := r.PostFormValue(CSRFField)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

// Render writes a page; status 0 means 200.
func (w *Web) Render(rw http.ResponseWriter, status int, name string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["InstanceName"] = w.cfg.InstanceName
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// No script at all on these pages; forms post to this origin only.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self' *; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if status != 0 {
		rw.WriteHeader(status)
	}
	if err := w.tmpl.ExecuteTemplate(rw, name, data); err != nil {
		w.log.Error("render page", "page", name, "err", err)
	}
}

// preSessionCSRF returns the token of the CSRF cookie, setting a new one
// when there is none (forms shown to signed-out visitors).
func (w *Web) preSessionCSRF(rw http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(rw, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/auth", HttpOnly: true, Secure: w.cfg.Secure,
		SameSite: http.SameSiteStrictMode})
	return tok
}

func checkPreSessionCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	got := r.PostFormValue(CSRFField)
	return err == nil && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}

// localPath keeps a return_to target on this site: a path, not another origin.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}
