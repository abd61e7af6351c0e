package web

import (
	"errors"
	"net/http"

	"weft/internal/model"
)

// maxFormBytes bounds the sign-in form.
const maxFormBytes = 16 << 10

func (w *Web) signInPage(rw http.ResponseWriter, r *http.Request) {
	w.Render(rw, 0, "sign_in.html", map[string]any{"Title": "Sign in",
		"CSRF": w.preSessionCSRF(rw, r), "ReturnTo": localPath(r.URL.Query().Get("return_to")),
	})
}

func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(rw, r.Body, maxFormBytes)
	returnTo := localPath(r.PostFormValue("return_to"))
	again := func(status int, msg string) {
		w.Render(rw, status, "sign_in.html", map[string]any{"Title": "Sign in", "CSRF": w.preSessionCSRF(rw, r), "ReturnTo": returnTo,
			"Error": msg, "Login": r.PostFormValue("login")})
	}
	if !checkPreSessionCSRF(r) {
		again(http.StatusForbidden, "Your form expired. Please try again.")
		return
	}
	acc, _, err := w.svc.Authenticate(r.Context(), r.PostFormValue("login"), r.PostFormValue("password"))
	if err != nil {
		status := http.StatusUnauthorized
		if !isAuthError(err) {
			w.log.Error("sign in", "err", err)
			status = http.StatusInternalServerError
		}
		again(status, model.Message(err))
		return
	}
	cookie, _, err := w.svc.StartSession(r.Context(), acc.ID, r.UserAgent())
	if err != nil {
		w.log.Error("start session", "err", err)
		again(http.StatusInternalServerError, "Something went wrong. Please try again.")
		return
	}
	w.setSession(rw, cookie)
	http.Redirect(rw, r, returnTo, http.StatusSeeOther)
}

func isAuthError(err error) bool {
	return errors.Is(err, model.ErrUnauthorized) || errors.Is(err, model.ErrSuspended)
}

func (w *Web) signOut(rw http.ResponseWriter, r *http.Request) {
	sess, _, err := w.Current(r)
	if err == nil && r.Method == http.MethodPost && !CheckCSRF(r, sess) {
		http.Error(rw, "Your form expired. Please try again.", http.StatusForbidden)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		_ = w.svc.EndSession(r.Context(), c.Value)
	}
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: w.cfg.Secure})
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}
