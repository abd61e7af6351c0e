package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

//go:embed pages/*.html
var pagesFS embed.FS

// parsePages parses each page with the base layout and its partials: one
// template set per page, since every page defines "main". Icons are
// written into the sources first (iconSet.inline).
func parsePages(a *assets, icons iconSet) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset":        a.url,
		"iconSprite":   func() template.HTML { return spriteMarker }, // filled in by show
		"toggle":       toggleFor,
		"inc":          func(i int) int { return i + 1 },
		"dict":         dict,
		"focus":        focus,
		"nodeOf":       nodeOf,
		"acctAction":   acctAction,
		"split":        paragraphs,
		"plural":       plural,
		"list":         func(s ...string) []string { return s },
		"focusChoices": focusChoices,
	}
	source := func(file string) (string, error) {
		b, err := pagesFS.ReadFile(file)
		if err != nil {
			return "", err
		}
		return icons.inline(file, string(b))
	}
	src, err := source("pages/base.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("base.html").Funcs(funcs).Parse(src)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(pagesFS, "pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "pages/"), ".html")
		if name == "base" {
			continue
		}
		src, err := source(n)
		if err != nil {
			return nil, err
		}
		t, err := template.Must(base.Clone()).New(name + ".html").Parse(src)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// req is one browser request: the signed-in member, if any.
type req struct {
	rw   http.ResponseWriter
	r    *http.Request
	sess *model.Session
	me   *model.Account
}

// page wraps a handler: it finds the session (a page works signed out
// unless it says otherwise) and turns errors into readable pages.
func (w *Web) page(fn func(q *req) error) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		q := &req{rw: rw, r: r}
		if sess, me, err := w.Current(r); err == nil {
			q.sess, q.me = sess, me
		}
		if err := fn(q); err != nil {
			w.fail(q, err)
		}
	}
}

// action wraps a state-changing form: a signed-in member and a valid CSRF
// token are required; the body is bounded.
func (w *Web) action(fn func(q *req) error) http.HandlerFunc {
	return w.page(func(q *req) error {
		q.r.Body = http.MaxBytesReader(q.rw, q.r.Body, maxPageForm)
		if q.me == nil {
			return errSignIn
		}
		if !CheckCSRF(q.r, q.sess) {
			return model.Errorf(model.ErrForbidden, "", "This form has expired. Go back, reload the page and try again.")
		}
		if err := formNUL(q.r); err != nil {
			return err
		}
		return fn(q)
	})
}

// formNUL refuses a form with the NUL character in any field (whichever
// parts of it were read so far): PostgreSQL cannot store it, and no
// browser means to send it.
func formNUL(r *http.Request) error {
	lists := []url.Values{r.Form, r.PostForm}
	if r.MultipartForm != nil {
		lists = append(lists, r.MultipartForm.Value)
	}
	for _, vals := range lists {
		for k, vs := range vals {
			for _, v := range append(vs, k) {
				if strings.IndexByte(v, 0) >= 0 {
					return model.Errorf(model.ErrInvalid, "", "The form contains a character that cannot be stored (NUL). Remove it and try again.")
				}
			}
		}
	}
	return nil
}

// maxPageForm bounds a form's body (a thread of several long posts fits).
const maxPageForm = 256 << 10

// maxBadge is the most the unread badge counts; more shows as "99+".
const maxBadge = 99

// errSignIn: the page needs a signed-in member.
var errSignIn = model.Errorf(model.ErrUnauthorized, "", "Sign in to do that.")

// data starts a page's template data with what every page shows.
func (w *Web) data(q *req, title, nav string) map[string]any {
	info := w.svc.InstanceInfo(q.r.Context())
	d := map[string]any{"Title": title, "Nav": nav, "InstanceName": info.Name,
		"RegistrationsOpen": info.Registrations != "closed", "ReturnTo": q.r.URL.RequestURI(), "MaxChars": w.cfg.MaxPostChars,
		"FeedHidden": info.PublicFeedHidden, "Theme": theme(q.r)}
	if q.me != nil {
		me := w.account(q.me)
		d["Me"] = &me
		d["CSRF"] = q.sess.CSRFToken
		d["IsAdmin"] = w.svc.CheckAdmin(q.r.Context(), q.me.ID) == nil
		// The unread badge: a count bounded like Mastodon's; a failure only
		// leaves the badge out.
		if n, err := w.svc.UnreadNotificationCount(q.r.Context(), q.me.ID, service.NotificationFilter{}, maxBadge+1); err == nil && n > 0 {
			d["Unread"] = strconv.FormatInt(n, 10)
			if n > maxBadge {
				d["Unread"] = strconv.Itoa(maxBadge) + "+"
			}
		}
	}
	if msg, ok := notices[q.r.URL.Query().Get("notice")]; ok {
		d["Flash"] = msg
	}
	return d
}

// show renders a page with the strict policy of the web app: scripts and
// styles from this origin only, no inline script, forms to this origin.
func (w *Web) show(q *req, status int, page string, data map[string]any) error {
	t, ok := w.pages[page]
	if !ok {
		return fmt.Errorf("no page %q", page)
	}
	var buf strings.Builder
	buf.Grow(64 << 10) // a feed page is tens of kilobytes: grown once, not doubling from nothing
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	h := q.rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store") // pages show a member's own data
	if status != 0 {
		q.rw.WriteHeader(status)
	}
	return w.icons.writeWithSprite(q.rw, buf.String())
}

// fail shows an error as a page a person can read: what went wrong and
// where to go; signed-out visitors of a members' page go to sign in.
func (w *Web) fail(q *req, err error) {
	if httpx.ClientGone(q.r, err) {
		httpx.LogClientGone(q.rw, q.r, w.log, err)
		return
	}
	status := http.StatusInternalServerError
	msg := "Something went wrong on our side. Please try again."
	switch {
	case errors.Is(err, model.ErrUnauthorized):
		if q.me == nil && q.r.Method == http.MethodGet {
			http.Redirect(q.rw, q.r, "/auth/sign_in?return_to="+url.QueryEscape(q.r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		status, msg = http.StatusUnauthorized, model.Message(err)
	case errors.Is(err, model.ErrNotFound):
		status, msg = http.StatusNotFound, "This page does not exist, or you may not see it."
	case errors.Is(err, model.ErrForbidden), errors.Is(err, model.ErrSuspended):
		status, msg = http.StatusForbidden, model.Message(err)
	case errors.Is(err, model.ErrInvalid), errors.Is(err, model.ErrConflict), errors.Is(err, model.ErrLimit),
		errors.Is(err, model.ErrAlready):
		status, msg = http.StatusUnprocessableEntity, model.Message(err)
	case errors.Is(err, model.ErrGone):
		status, msg = http.StatusGone, "This is gone."
	default:
		w.log.Error("web page", "path", q.r.URL.Path, "err", err)
	}
	d := w.data(q, http.StatusText(status), "")
	d["Message"], d["Status"] = msg, status
	page := "error"
	if status == http.StatusUnprocessableEntity && strings.Contains(msg, "fediverse sharing") {
		// Following, answering or liking across servers needs sharing on:
		// say why and offer the switch.
		page, d["Title"] = "needs_sharing", "Turn on fediverse sharing"
		d["ReturnTo"] = localPath(q.r.PostFormValue("return_to"))
	}
	if err := w.show(q, status, page, d); err != nil {
		w.log.Error("render error page", "err", err)
		http.Error(q.rw, msg, status)
	}
}
