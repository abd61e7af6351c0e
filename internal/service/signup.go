package service

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"weft/internal/model"
)

// SignUp is a registration made through an app (Mastodon's POST
// /api/v1/accounts): the new account signs in with a token for that app.
type SignUp struct {
	Username  string
	Email     string
	Password  string
	Locale    string // kept when it looks like a language tag, dropped otherwise
	Agreement bool   // the server's rules and terms were accepted
}

// FieldProblem is one reason a field of a sign-up was refused. Reason is
// Rails' name for it, which Mastodon shows to apps: blank, invalid, taken,
// reserved, too_short, too_long, accepted.
type FieldProblem struct {
	Field  string
	Reason string
	Msg    string // "is too short (minimum is 8 characters)"
	Kind   error  // model.ErrInvalid or model.ErrConflict
}

// SignUpErrors lists every field at fault, so an app can show them all at
// once. errors.Is finds the kinds of its problems (ErrInvalid, ErrConflict).
type SignUpErrors []FieldProblem

func (e SignUpErrors) Error() string {
	parts := make([]string, len(e))
	for i, p := range e {
		parts[i] = p.Field + " " + p.Msg
	}
	return strings.Join(parts, ", ")
}

// Unwrap gives each problem as a *model.Error.
func (e SignUpErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, p := range e {
		out[i] = &model.Error{Kind: p.Kind, Field: p.Field, Msg: p.Msg}
	}
	return out
}

var localeRE = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$`)

// SignUpForApp creates a local account with its user and returns an access
// token for it, made for app with the app's scopes, as Mastodon does. Every
// field is checked before anything is written; the problems come back
// together as SignUpErrors. Whether sign-ups are open is the caller's
// decision (the configuration).
func (s *Service) SignUpForApp(ctx context.Context, app *model.App, in SignUp) (*IssuedToken, error) {
	if app == nil {
		return nil, model.Errorf(model.ErrForbidden, "", "signing up needs an app's token")
	}
	if errs := s.checkSignUp(ctx, in); len(errs) > 0 {
		return nil, errs
	}
	locale := strings.TrimSpace(in.Locale)
	if !localeRE.MatchString(locale) {
		locale = ""
	}
	a, err := s.Register(ctx, Registration{Username: in.Username, Email: in.Email, Password: in.Password, Locale: locale})
	if err != nil {
		var e *model.Error
		if errors.As(err, &e) && e.Field != "" { // taken meanwhile
			return nil, SignUpErrors{problemOf(e)}
		}
		return nil, err
	}
	return s.issueToken(ctx, app.ID, a.ID, app.Scopes, true)
}

// CheckSignUp runs every check of a sign-up without writing anything, so
// that a form can show all its problems at once (the web's sign-up page).
func (s *Service) CheckSignUp(ctx context.Context, in SignUp) SignUpErrors {
	return s.checkSignUp(ctx, in)
}

// checkSignUp runs every check of Register, and whether the username and
// the email are free, collecting the problems.
func (s *Service) checkSignUp(ctx context.Context, in SignUp) SignUpErrors {
	var errs SignUpErrors
	add := func(err error) {
		var e *model.Error
		if errors.As(err, &e) {
			errs = append(errs, problemOf(e))
		}
	}
	blank := func(field string) {
		errs = append(errs, FieldProblem{Field: field, Reason: "blank", Msg: "can't be blank", Kind: model.ErrInvalid})
	}
	q := s.st.Read()
	switch err := validateUsername(in.Username); {
	case in.Username == "":
		blank("username")
	case err != nil:
		add(err)
	default:
		if _, err := q.AccountByUsername(ctx, in.Username, ""); err == nil {
			errs = append(errs, FieldProblem{Field: "username", Reason: "taken", Msg: "has already been taken", Kind: model.ErrConflict})
		}
	}
	switch err := validateEmail(in.Email); {
	case in.Email == "":
		blank("email")
	case err != nil:
		add(err)
	default:
		if _, err := q.UserByEmail(ctx, in.Email); err == nil {
			errs = append(errs, FieldProblem{Field: "email", Reason: "taken", Msg: "has already been taken", Kind: model.ErrConflict})
		}
	}
	if in.Password == "" {
		blank("password")
	} else {
		add(validatePassword(in.Password))
	}
	if !in.Agreement {
		errs = append(errs, FieldProblem{Field: "agreement", Reason: "accepted", Msg: "must be accepted", Kind: model.ErrInvalid})
	}
	return errs
}

// problemOf names the reason of a validation error of this package.
func problemOf(e *model.Error) FieldProblem {
	p := FieldProblem{Field: e.Field, Msg: e.Msg, Kind: e.Kind, Reason: "invalid"}
	switch {
	case strings.Contains(e.Msg, "reserved"):
		p.Reason = "reserved"
	case errors.Is(e.Kind, model.ErrConflict):
		p.Reason = "taken"
	case strings.HasPrefix(e.Msg, "is too short"):
		p.Reason = "too_short"
	case strings.HasPrefix(e.Msg, "is too long"):
		p.Reason = "too_long"
	}
	return p
}
