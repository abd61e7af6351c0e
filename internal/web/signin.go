package web

import (
	"errors"
	"net/http"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// maxFormBytes bounds the sign-in form.
const maxFormBytes = 16 << 10

func (w *Web) signInPage(rw http.ResponseWriter, r *http.Request) {
	w.page(func(q *req) error { return w.showSignIn(q, 0, localPath(r.URL.Query().Get("return_to")), "") })(rw, r)
}

// showSignIn renders the sign-in form (also the first page of an app's
// OAuth authorization: return_to leads back to it).
func (w *Web) showSignIn(q *req, status int, returnTo, problem string) error {
	d := w.data(q, "Sign in", "signin")
	d["CSRF"] = w.preSessionCSRF(q.rw, q.r)
	d["ReturnTo"], d["Error"], d["Login"] = returnTo, problem, q.r.PostFormValue("login")
	return w.show(q, status, "sign_in", d)
}

func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(rw, r.Body, maxFormBytes)
	w.page(func(q *req) error {
		returnTo := localPath(r.PostFormValue("return_to"))
		if !checkPreSessionCSRF(r) {
			return w.showSignIn(q, http.StatusForbidden, returnTo, "Your form expired. Please try again.")
		}
		if err := formNUL(r); err != nil {
			return w.showSignIn(q, http.StatusUnprocessableEntity, returnTo, model.Message(err))
		}
		acc, _, err := w.svc.Authenticate(r.Context(), service.SignIn{Login: r.PostFormValue("login"),
			Password: r.PostFormValue("password"), IP: httpx.ClientIPOf(r)})
		if errors.Is(err, model.ErrThrottled) {
			httpx.SetRetryAfter(rw, err)
			return w.showSignIn(q, http.StatusTooManyRequests, returnTo, model.Message(err))
		}
		if err != nil {
			if !isAuthError(err) {
				return err
			}
			return w.showSignIn(q, http.StatusUnauthorized, returnTo, model.Message(err))
		}
		cookie, _, err := w.svc.StartSession(r.Context(), acc.ID, r.UserAgent())
		if err != nil {
			return err
		}
		w.setSession(rw, cookie)
		http.Redirect(rw, r, returnTo, http.StatusSeeOther)
		return nil
	})(rw, r)
}

func isAuthError(err error) bool {
	return errors.Is(err, model.ErrUnauthorized) || errors.Is(err, model.ErrSuspended)
}

func (w *Web) signOut(rw http.ResponseWriter, r *http.Request) {
	sess, _, err := w.Current(r)
	if err == nil && !CheckCSRF(r, sess) {
		// POST carries the token in the form, DELETE (Mastodon's web
		// app's way) in X-CSRF-Token: without it, another site could
		// sign a member out.
		http.Error(rw, "Your form expired. Please try again.", http.StatusForbidden)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = w.svc.EndSession(r.Context(), c.Value)
	}
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: w.cfg.Secure})
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}
