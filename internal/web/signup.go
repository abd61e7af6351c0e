package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"weft/internal/model"
	"weft/internal/service"
)

// signUpPage is GET /auth/sign_up (Mastodon's path).
func (w *Web) signUpPage(q *req) error {
	if q.me != nil {
		return redirect(q, "/")
	}
	return w.showSignUp(q, 0, nil, "")
}

func (w *Web) showSignUp(q *req, status int, problems map[string]string, username string) error {
	d := w.data(q, "Create an account", "signup")
	d["CSRF"] = w.preSessionCSRF(q.rw, q.r)
	d["Problems"] = problems
	d["Username"] = username
	d["Email"] = q.r.PostFormValue("email")
	mode := w.svc.InstanceInfo(q.r.Context()).Registrations
	d["Open"], d["Approval"] = mode != "closed", mode == "approval"
	d["Reason"] = q.r.PostFormValue("reason")
	d["Domain"] = w.cfg.Domain
	return w.show(q, status, "sign_up", d)
}

// signUp creates the account and signs it in.
func (w *Web) signUp(q *req) error {
	q.r.Body = http.MaxBytesReader(q.rw, q.r.Body, maxFormBytes)
	username := strings.TrimSpace(q.r.PostFormValue("username"))
	mode := w.svc.InstanceInfo(q.r.Context()).Registrations
	if mode == "closed" {
		return w.showSignUp(q, http.StatusForbidden, nil, username)
	}
	if !checkPreSessionCSRF(q.r) {
		return w.showSignUp(q, http.StatusForbidden, map[string]string{"form": "Your form expired. Please try again."}, username)
	}
	if err := formNUL(q.r); err != nil {
		return w.showSignUp(q, http.StatusUnprocessableEntity, map[string]string{"form": model.Message(err)}, username)
	}
	if q.r.PostFormValue("password") != q.r.PostFormValue("password_confirmation") {
		return w.showSignUp(q, http.StatusUnprocessableEntity, map[string]string{"password_confirmation": "does not match the password"}, username)
	}
	if q.r.PostFormValue("agreement") == "" {
		return w.showSignUp(q, http.StatusUnprocessableEntity, map[string]string{"agreement": "must be accepted to join"}, username)
	}
	acc, err := w.svc.Register(q.r.Context(), service.Registration{Username: username,
		Email: strings.TrimSpace(q.r.PostFormValue("email")), Password: q.r.PostFormValue("password"),
		Pending: mode == "approval", Reason: q.r.PostFormValue("reason")})
	if err != nil {
		problems := map[string]string{}
		var list service.SignUpErrors
		var one *model.Error
		switch {
		case errors.As(err, &list):
			for _, p := range list {
				problems[p.Field] = p.Msg
			}
		case errors.As(err, &one) && one.Field != "":
			problems[one.Field] = one.Msg
		case errors.As(err, &one):
			problems["form"] = one.Msg
		default:
			return err
		}
		return w.showSignUp(q, http.StatusUnprocessableEntity, problems, username)
	}
	if mode == "approval" {
		d := w.data(q, "Thanks for signing up", "signup")
		d["Username"] = acc.Username
		return w.show(q, 0, "sign_up_pending", d)
	}
	cookie, _, err := w.svc.StartSession(q.r.Context(), acc.ID, q.r.UserAgent())
	if err != nil {
		return err
	}
	w.setSession(q.rw, cookie)
	return redirect(q, "/settings/fediverse?welcome=1")
}

// setSession sets the session cookie: HttpOnly, SameSite=Lax (links from
// other sites arrive signed in; their forms do not), Secure on https.
func (w *Web) setSession(rw http.ResponseWriter, cookie string) {
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HttpOnly: true, Secure: w.cfg.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds())})
}
