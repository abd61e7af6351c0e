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
	d["Problems"], d["ProblemCount"] = problems, int64(len(problems))
	d["Username"] = username
	d["Email"] = q.r.PostFormValue("email")
	mode := w.svc.InstanceInfo(q.r.Context()).Registrations
	d["Open"], d["Approval"] = mode != "closed", mode == "approval"
	d["Reason"] = q.r.PostFormValue("reason")
	d["Agreed"] = q.r.PostFormValue("agreement") != ""
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
	// Every problem at once, each next to its field, in plain words.
	in := service.SignUp{Username: username, Email: strings.TrimSpace(q.r.PostFormValue("email")),
		Password: q.r.PostFormValue("password"), Agreement: q.r.PostFormValue("agreement") != ""}
	problems := map[string]string{}
	for _, p := range w.svc.CheckSignUp(q.r.Context(), in) {
		problems[p.Field] = signUpProblem(p)
	}
	if _, ok := problems["password"]; !ok && in.Password != q.r.PostFormValue("password_confirmation") {
		problems["password_confirmation"] = "The two passwords are not the same. Type it again."
	}
	reason := strings.TrimSpace(q.r.PostFormValue("reason"))
	if mode == "approval" && reason == "" {
		problems["reason"] = "Say in a few words why you want to join: the admins read it."
	}
	if len(problems) > 0 {
		return w.showSignUp(q, http.StatusUnprocessableEntity, problems, username)
	}
	acc, err := w.svc.Register(q.r.Context(), service.Registration{Username: in.Username, Email: in.Email, Password: in.Password,
		Pending: mode == "approval", Reason: reason})
	if err != nil {
		var one *model.Error
		switch {
		case errors.As(err, &one) && one.Field != "": // taken meanwhile, or a reason too long
			problems[one.Field] = signUpProblem(service.FieldProblem{Field: one.Field, Msg: one.Msg, Kind: one.Kind,
				Reason: map[bool]string{true: "taken", false: "invalid"}[errors.Is(err, model.ErrConflict)]})
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

// signUpProblem says what is wrong with a sign-up field as a person would,
// not as an API does ("username: can't be blank").
func signUpProblem(p service.FieldProblem) string {
	switch p.Field + "/" + p.Reason {
	case "username/blank":
		return "Choose a username."
	case "username/taken":
		return "That username is taken. Try another one."
	case "username/reserved":
		return "That username is reserved. Try another one."
	case "username/invalid":
		return "Use 1 to 30 letters, digits and underscores in a username."
	case "email/blank":
		return "Enter your email address."
	case "email/taken":
		return "An account with this email address exists already. Sign in instead?"
	case "email/invalid":
		return "That does not look like an email address."
	case "password/blank":
		return "Choose a password."
	case "password/too_short", "password/too_long":
		return "The password " + p.Msg + "."
	case "agreement/accepted":
		return "Accept the rules and the privacy policy to join."
	}
	// Anything else, still whole: "Reason is too long (maximum is 1000 characters)".
	name := map[string]string{"username": "The username", "email": "The email address", "password": "The password", "reason": "The reason"}[p.Field]
	if name == "" {
		name = "This"
	}
	return name + " " + p.Msg + "."
}

// setSession sets the session cookie: HttpOnly, SameSite=Lax (links from
// other sites arrive signed in; their forms do not), Secure on https.
func (w *Web) setSession(rw http.ResponseWriter, cookie string) {
	http.SetCookie(rw, &http.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HttpOnly: true, Secure: w.cfg.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds())})
}
