package web

import (
	"strconv"
	"strings"

	"weft/internal/model"
)

// sessionItem is a browser session as the settings page lists it.
type sessionItem struct {
	Key, Device    string
	SignedIn, Seen adminTime
	SeenAgo        string
	Current        bool
}

// appItem is an authorized app as the settings page lists it.
type appItem struct {
	ID, Name, Website, Scopes string
	Authorized                adminTime
}

// settingsSessions is GET /settings/sessions: where the member is signed
// in (each browser, with a button to sign it out) and the apps that can act
// for them (each with a button to take its access away), as Mastodon's
// "Account" settings list them.
func (w *Web) settingsSessions(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	ctx := q.r.Context()
	sessions, err := w.svc.Sessions(ctx, q.me.ID)
	if err != nil {
		return err
	}
	apps, err := w.svc.AuthorizedApps(ctx, q.me.ID)
	if err != nil {
		return err
	}
	now := w.now()
	var list []sessionItem
	for _, s := range sessions {
		list = append(list, sessionItem{Key: s.Key, Device: deviceOf(s.UserAgent), SignedIn: adminTimeOf(s.CreatedAt),
			Seen: adminTimeOf(s.LastSeenAt), SeenAgo: ago(now, s.LastSeenAt), Current: s.Key == q.sess.Key})
	}
	var appList []appItem
	for _, a := range apps {
		appList = append(appList, appItem{ID: strconv.FormatInt(a.ID, 10), Name: a.Name, Website: safeWebsite(a.Website),
			Scopes: strings.Join(a.Scopes, ", "), Authorized: adminTimeOf(a.AuthorizedAt)})
	}
	d := w.data(q, "Sessions and apps", "settings")
	d["Sessions"], d["Apps"] = list, appList
	d["Others"] = len(list) > 1
	d["Done"] = q.r.URL.Query().Get("done")
	return w.show(q, 0, "settings_sessions", d)
}

// endSession is POST /settings/sessions/end: sign one other browser out.
func (w *Web) endSession(q *req) error {
	key := q.r.PostFormValue("session")
	if key == q.sess.Key {
		return model.Invalid("session", "is this browser: use Sign out")
	}
	if err := w.svc.EndSessionOf(q.r.Context(), q.me.ID, key); err != nil {
		return err
	}
	return redirect(q, "/settings/sessions?done=session")
}

// endOtherSessions is POST /settings/sessions/end_others.
func (w *Web) endOtherSessions(q *req) error {
	if err := w.svc.EndOtherSessions(q.r.Context(), q.me.ID, q.sess.Key); err != nil {
		return err
	}
	return redirect(q, "/settings/sessions?done=others")
}

// revokeApp is POST /settings/apps/{id}/revoke.
func (w *Web) revokeApp(q *req) error {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return model.NotFound("app")
	}
	if err := w.svc.RevokeApp(q.r.Context(), q.me.ID, id); err != nil {
		return err
	}
	return redirect(q, "/settings/sessions?done=app")
}

// deviceOf names a browser from its User-Agent, as people know them
// ("Firefox on Linux"); "A browser" when it says nothing known.
func deviceOf(ua string) string {
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Chromium/", "Chromium"},
		{"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"},
		{"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	return "A browser"
}

// safeWebsite keeps an app's website only when it is an http(s) link.
func safeWebsite(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
