// Package web is weft's browser side: the web app (home feed, composer,
// threads, profiles, notifications, search, settings), sign-up and sign-in,
// and the OAuth pages apps send people to. Pages are server-rendered
// html/template, embedded in the binary; every action is a plain form that
// works without JavaScript, and static/app.js only enhances them.
package web

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

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
	BaseURL       string
	Domain        string
	Secure        bool // https: cookies only over TLS
	InstanceName  string
	Description   string
	ContactEmail  string
	Registrations string // open, approval, closed
	MaxPostChars  int
	MaxImageBytes int64
	MaxVideoBytes int64
}

// Web serves the browser pages.
type Web struct {
	svc    *service.Service
	cfg    Settings
	log    *slog.Logger
	tmpl   *template.Template            // the OAuth and sign-in pages
	pages  map[string]*template.Template // the web app's pages
	assets *assets
	icons  iconSet
	now    func() time.Time
}

// New parses the templates and loads the static files (embedded: a broken
// one is a bug, caught by the tests, so it panics).
func New(svc *service.Service, cfg Settings, log *slog.Logger) *Web {
	if cfg.MaxPostChars <= 0 {
		cfg.MaxPostChars = 500
	}
	a, err := loadAssets()
	if err != nil {
		panic(fmt.Sprintf("web assets: %v", err))
	}
	icons, err := loadIcons()
	if err != nil {
		panic(fmt.Sprintf("web icons: %v", err))
	}
	pages, err := parsePages(a, icons)
	if err != nil {
		panic(fmt.Sprintf("web pages: %v", err))
	}
	t := template.Must(template.New("").Funcs(template.FuncMap{"asset": a.url}).ParseFS(templateFS, "templates/*.html"))
	return &Web{svc: svc, cfg: cfg, log: log, tmpl: t, pages: pages, assets: a, icons: icons, now: time.Now}
}

// Routes registers the pages. Profiles and posts (/@user, /@user/123) come
// through NotFound, the catch-all: ServeMux cannot match "@" in a segment.
func (w *Web) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /auth/sign_in", w.signInPage)
	mux.HandleFunc("POST /auth/sign_in", w.signIn)
	mux.HandleFunc("POST /auth/sign_out", w.signOut)
	mux.HandleFunc("DELETE /auth/sign_out", w.signOut)
	mux.HandleFunc("GET /auth/sign_up", w.page(w.signUpPage))
	mux.HandleFunc("POST /auth/sign_up", w.page(w.signUp))
	mux.HandleFunc("GET /assets/", w.assets.serve)
	mux.HandleFunc("GET /favicon.ico", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, w.assets.byName["icon.svg"], http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /{$}", w.page(w.home))
	mux.HandleFunc("GET /public", w.page(w.public))
	mux.HandleFunc("GET /explore", w.page(w.public))
	mux.HandleFunc("GET /tags/{name}", w.page(w.tag))
	mux.HandleFunc("GET /streaming/home", w.liveHome)
	mux.HandleFunc("GET /fediverse", w.page(w.fediverse))
	mux.HandleFunc("GET /search", w.page(w.search))
	mux.HandleFunc("GET /autocomplete", w.page(w.autocomplete))
	mux.HandleFunc("GET /about", w.page(w.about))
	mux.HandleFunc("GET /privacy-policy", w.page(w.privacy))
	mux.HandleFunc("GET /notifications", w.page(w.notifications))
	mux.HandleFunc("GET /bookmarks", w.page(w.saved))
	mux.HandleFunc("GET /reports/new", w.page(w.reportPage))
	mux.HandleFunc("POST /reports", w.action(w.report))
	mux.HandleFunc("GET /favourites", w.page(w.liked))
	mux.HandleFunc("GET /follow_requests", w.page(w.followRequests))
	mux.HandleFunc("POST /follow_requests/{id}/{verb}", w.action(w.answerFollowRequest))
	mux.HandleFunc("GET /compose", w.page(w.composePage))
	mux.HandleFunc("GET /remote_follow", w.page(w.remoteFollowPage))
	mux.HandleFunc("POST /auth/remote_follow", w.page(w.remoteFollow)) // under /auth: the pre-session CSRF cookie's path
	mux.HandleFunc("GET /authorize_interaction", w.page(w.authorizeInteraction))
	mux.HandleFunc("GET /lists", w.page(w.lists))
	mux.HandleFunc("POST /lists", w.action(w.createList))
	mux.HandleFunc("GET /lists/{id}", w.page(w.listTimeline))
	mux.HandleFunc("GET /lists/{id}/edit", w.page(w.editList))
	mux.HandleFunc("POST /lists/{id}", w.action(w.updateList))
	mux.HandleFunc("POST /lists/{id}/delete", w.action(w.deleteList))
	mux.HandleFunc("POST /lists/{id}/{verb}", w.action(w.listMember))
	mux.HandleFunc("POST /statuses", w.page(w.compose)) // multipart: checks its own CSRF token
	mux.HandleFunc("POST /statuses/{id}/edit", w.action(w.edit))
	mux.HandleFunc("GET /statuses/{id}/delete", w.page(w.deletePage))
	mux.HandleFunc("POST /statuses/{id}/{verb}", w.action(w.statusAction))
	mux.HandleFunc("GET /accounts/{id}/confirm", w.page(w.confirmAccount))
	mux.HandleFunc("POST /accounts/{id}/{verb}", w.action(w.accountAction))
	mux.HandleFunc("GET /settings/profile", w.page(w.settingsProfile))
	mux.HandleFunc("POST /settings/profile", w.page(w.saveProfile)) // multipart: checks its own CSRF token
	mux.HandleFunc("GET /settings/fediverse", w.page(w.settingsFediverse))
	mux.HandleFunc("POST /settings/fediverse", w.action(w.saveFediverse))
	mux.HandleFunc("GET /settings/mutes", w.page(w.settingsMutes))
	mux.HandleFunc("POST /settings/muted_words", w.action(w.muteWord))
	mux.HandleFunc("POST /settings/muted_words/{id}/delete", w.action(w.unmuteWord))
	mux.HandleFunc("GET /settings/sessions", w.page(w.settingsSessions))
	mux.HandleFunc("POST /settings/sessions/end", w.action(w.endSession))
	mux.HandleFunc("POST /settings/sessions/end_others", w.action(w.endOtherSessions))
	mux.HandleFunc("POST /settings/apps/{id}/revoke", w.action(w.revokeApp))
	mux.HandleFunc("GET /settings/password", w.page(w.settingsPassword))
	mux.HandleFunc("GET /settings/appearance", w.page(w.settingsAppearance))
	mux.HandleFunc("POST /settings/appearance", w.action(w.saveAppearance))
	// Mastodon's address of the account page with the password form.
	mux.HandleFunc("GET /auth/edit", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "/settings/password", http.StatusMovedPermanently)
	})
	w.adminRoutes(mux)
	mux.HandleFunc("POST /settings/password", w.action(w.savePassword))
}

// NotFound is the catch-all: the "/@" pages for browsers; for any other
// address a browser asks for (it accepts HTML, and the path is not one of
// the API's or the fediverse's), the web app's 404 page; a JSON 404 for
// everything else (what API clients expect).
func (w *Web) NotFound(rw http.ResponseWriter, r *http.Request) {
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	if get && strings.HasPrefix(r.URL.Path, "/@") {
		w.page(w.at)(rw, r)
		return
	}
	if get && wantsPage(r) {
		w.page(func(*req) error { return model.NotFound("page") })(rw, r)
		return
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(http.StatusNotFound)
	_, _ = rw.Write([]byte(`{"error":"Record not found"}` + "\n"))
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
	got := r.Header.Get("X-CSRF-Token") // requests without a form body (DELETE)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

// Render writes a page of the OAuth flow; status 0 means 200. It follows
// the member's Appearance choice, as the app's own pages do.
func (w *Web) Render(rw http.ResponseWriter, r *http.Request, status int, name string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["InstanceName"] = w.svc.InstanceInfo(r.Context()).Name
	data["Theme"] = theme(r)
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// No script and no inline style on these pages; forms post to this
	// origin only — and, on the consent page, its answer goes on to the
	// app's redirect URI, which browsers hold to form-action too
	// (data["FormAction"], a CSP source for it).
	formAction := "'self'"
	if fa, _ := data["FormAction"].(string); fa != "" {
		formAction += " " + fa
	}
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action "+formAction+
		"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store") // a consent page and its codes are for this moment only
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

// machinePaths are where apps and other servers ask, and get JSON whatever
// their Accept header says.
var machinePaths = []string{"/api/", "/oauth/", "/.well-known/", "/nodeinfo/", "/users/", "/actor", "/inbox", "/media/", "/proxy/", "/metrics", "/readyz", "/livez"}

// wantsPage tells a browser's navigation: it asks for HTML, at an address
// that is not the API's or the fediverse's.
func wantsPage(r *http.Request) bool {
	for _, p := range machinePaths {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
