package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// remoteFollowPage is GET /remote_follow?acct=USER: how a visitor with an
// account elsewhere follows a member who shares with the fediverse. They
// give their handle (POST /auth/remote_follow); weft asks their server
// (WebFinger) for its follow page and sends them there, where they are
// signed in and can confirm.
func (w *Web) remoteFollowPage(q *req) error {
	return w.showRemoteFollow(q, 0, q.r.URL.Query().Get("acct"), "", "")
}

func (w *Web) showRemoteFollow(q *req, status int, acct, handle, problem string) error {
	username := strings.TrimPrefix(acct, "@")
	username, _, _ = strings.Cut(username, "@") // @user@this.domain works too
	acc, err := w.svc.LocalAccountByUsername(q.r.Context(), username)
	if err != nil {
		return err
	}
	d := w.data(q, "Follow "+w.account(acc).Name, "")
	d["Account"], d["Handle"], d["Problem"] = w.account(acc), handle, problem
	d["Sharing"] = acc.FediverseSharing
	d["CSRF"] = w.preSessionCSRF(q.rw, q.r)
	return w.show(q, status, "remote_follow", d)
}

// remoteFollow is POST /auth/remote_follow (acct, handle). A form of this
// server's own page (its CSRF token), so that no link elsewhere can make
// weft send someone on to a server of the link's choosing; the look-ups
// it makes are rate-limited per address (server/routes.go).
func (w *Web) remoteFollow(q *req) error {
	q.r.Body = http.MaxBytesReader(q.rw, q.r.Body, maxPageForm)
	acct, handle := q.r.PostFormValue("acct"), strings.TrimSpace(q.r.PostFormValue("handle"))
	if !checkPreSessionCSRF(q.r) {
		return w.showRemoteFollow(q, http.StatusForbidden, acct, handle, "This form has expired. Please try again.")
	}
	username, _, _ := strings.Cut(strings.TrimPrefix(acct, "@"), "@")
	to, err := w.svc.RemoteFollowURL(q.r.Context(), username, handle)
	if err == nil {
		http.Redirect(q.rw, q.r, to, http.StatusSeeOther)
		return nil
	}
	var problem string
	switch {
	case errors.Is(err, model.ErrInvalid), errors.Is(err, model.ErrNotFound), errors.Is(err, model.ErrUpstream):
		if _, lookErr := w.svc.LocalAccountByUsername(q.r.Context(), username); lookErr != nil {
			return lookErr // no such member here: the 404 page
		}
		problem = remoteFollowProblem(err, handle)
	default:
		// Their server did not answer as it should (down, refused, not
		// a fediverse server): said plainly, with the way round it.
		w.log.Info("web remote follow: look-up failed", "handle", handle, "err", err)
		problem = "Your server did not answer. Check the handle, or search for @" + username + "@" + w.cfg.Domain + " on your server and follow from there."
	}
	return w.showRemoteFollow(q, http.StatusUnprocessableEntity, acct, handle, problem)
}

// remoteFollowProblem words a refused remote follow for the form.
func remoteFollowProblem(err error, handle string) string {
	msg := model.Message(err)
	_, domain, _ := strings.Cut(strings.TrimPrefix(handle, "@"), "@")
	switch {
	case strings.Contains(msg, "as you@your.server"):
		return "Write your handle as you@your.server, for example ana@mastodon.social."
	case strings.Contains(msg, "on this server"):
		return "That account is on this server: sign in, then follow from here."
	case strings.Contains(msg, "does not offer"):
		return domain + " does not offer following from other servers' pages. Search for the handle above on your server and follow from there."
	case strings.Contains(msg, "not its own"):
		return domain + " answered with an address that is not its own, so weft did not go there."
	}
	return "No account " + handle + " was found. Check the handle and try again."
}

// authorizeInteraction is GET /authorize_interaction?uri=: where another
// server sends its visitor who wants to follow someone (or answer a post)
// from their weft account — the template weft publishes with its
// WebFinger. uri is an account (acct:user@domain, user@domain) or a
// post's address; the member lands on its page here, with Follow.
func (w *Web) authorizeInteraction(q *req) error {
	if q.me == nil {
		return errSignIn
	}
	uri := strings.TrimPrefix(strings.TrimSpace(q.r.URL.Query().Get("uri")), "acct:")
	if uri == "" {
		return model.NotFound("uri")
	}
	if !strings.Contains(uri, "://") && !strings.HasPrefix(uri, "@") {
		uri = "@" + uri
	}
	res, err := w.svc.Search(q.r.Context(), q.me.ID, service.Search{Query: uri, Resolve: true, Limit: 1})
	switch {
	case err != nil && !errors.Is(err, model.ErrNotFound) && !errors.Is(err, model.ErrInvalid):
		return err
	case err == nil && len(res.Accounts) == 1:
		return redirect(q, accountPath(res.Accounts[0]))
	case err == nil && len(res.Statuses) == 1:
		st := res.Statuses[0]
		return redirect(q, accountPath(st.Account)+"/"+strconv.FormatInt(st.Status.ID, 10))
	}
	// Not found (yet): the search page says so, and lets one try again.
	return redirect(q, "/search?q="+url.QueryEscape(uri))
}
