package web

import (
	"net/http"
	"time"
)

// themeCookie keeps a browser's choice of light or dark (as Threads keeps
// appearance per device); without it the system's choice applies.
const themeCookie = "weft_theme"

var themes = []struct{ Value, Label string }{
	{"system", "As the device is set"},
	{"light", "Light"},
	{"dark", "Dark"},
}

// theme is the browser's chosen theme: "light", "dark", or "" (the system's).
func theme(r *http.Request) string {
	if c, err := r.Cookie(themeCookie); err == nil && (c.Value == "light" || c.Value == "dark") {
		return c.Value
	}
	return ""
}

// settingsAppearance is GET /settings/appearance.
func (w *Web) settingsAppearance(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	d := w.data(q, "Appearance", "settings")
	current := theme(q.r)
	if current == "" {
		current = "system"
	}
	d["Themes"], d["Current"] = themes, current
	d["Saved"] = q.r.URL.Query().Get("saved") != ""
	return w.show(q, 0, "settings_appearance", d)
}

// saveAppearance is POST /settings/appearance: the choice is this
// browser's, kept in a cookie for a year.
func (w *Web) saveAppearance(q *req) error {
	c := &http.Cookie{Name: themeCookie, Path: "/", HttpOnly: true, Secure: w.cfg.Secure, SameSite: http.SameSiteLaxMode}
	switch v := q.r.PostFormValue("theme"); v {
	case "light", "dark":
		c.Value, c.MaxAge = v, int((365 * 24 * time.Hour).Seconds())
	default:
		c.MaxAge = -1 // the system's choice: no cookie
	}
	http.SetCookie(q.rw, c)
	return redirect(q, "/settings/appearance?saved=1")
}
