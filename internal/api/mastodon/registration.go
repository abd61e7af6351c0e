package mastodon

import (
	"errors"
	"net/http"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// registrationRoutes: signing up through an app (POST /api/v1/accounts).
// It answers Mastodon's validation errors with their details, which the
// generic route cannot, so it is a handler of its own.
func (a *API) registrationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/accounts", a.register)
}

// ValidationDetail is one entry of the details of Mastodon's validation errors.
type ValidationDetail struct {
	Error       string `json:"error"` // ERR_BLANK, ERR_TAKEN …
	Description string `json:"description"`
}

// validationErrorBody is Mastodon's answer to a refused sign-up.
type validationErrorBody struct {
	Error   string                        `json:"error"`
	Details map[string][]ValidationDetail `json:"details"`
}

// register creates an account for an app's token (client credentials with
// write:accounts) and answers with a token for the new account, as
// Mastodon does. With registrations "approval", the account would have to
// wait for a moderator, which weft cannot do yet: such servers take
// sign-ups on the web only. There is no e-mail confirmation yet either: the
// account can be used at once.
func (a *API) register(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r}
	if err := a.authorize(c, appScope("write:accounts")); err != nil {
		a.fail(c, err)
		return
	}
	if c.caller.Account != nil || c.caller.App == nil {
		a.fail(c, model.Errorf(model.ErrForbidden, "", "This method requires a client credentials authentication"))
		return
	}
	switch a.svc.InstanceInfo(c.ctx()).Registrations {
	case "open":
	case "approval":
		a.fail(c, model.Errorf(model.ErrForbidden, "",
			"Sign-ups on this server need a moderator's approval, which is not possible through the API yet: please sign up on the website"))
		return
	default:
		a.fail(c, model.Errorf(model.ErrForbidden, "", "Registrations are closed"))
		return
	}
	p, err := httpx.ParseParams(r, httpx.MaxBody)
	if err != nil {
		a.fail(c, err)
		return
	}
	agreement, _, err := p.Bool("agreement")
	if err != nil {
		agreement = false // an unreadable answer is no acceptance
	}
	tok, err := a.svc.SignUpForApp(c.ctx(), c.caller.App, service.SignUp{Username: p.String("username"),
		Email: strings.TrimSpace(p.String("email")), Password: p.String("password"), Locale: p.String("locale"),
		Agreement: agreement})
	var problems service.SignUpErrors
	if errors.As(err, &problems) {
		httpx.WriteJSON(w, http.StatusUnprocessableEntity, validationError(problems))
		return
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	out := map[string]any{"access_token": tok.AccessToken, "token_type": "Bearer",
		"scope": strings.Join(tok.Scopes, " "), "created_at": tok.CreatedAt.Unix()}
	if tok.RefreshToken != "" {
		out["refresh_token"] = tok.RefreshToken
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
}

// validationError shapes sign-up problems as Mastodon does:
// "Validation failed: Username can't be blank, …" with details per field.
func validationError(problems service.SignUpErrors) validationErrorBody {
	body := validationErrorBody{Details: map[string][]ValidationDetail{}}
	msgs := make([]string, 0, len(problems))
	for _, p := range problems {
		body.Details[p.Field] = append(body.Details[p.Field],
			ValidationDetail{Error: "ERR_" + strings.ToUpper(p.Reason), Description: p.Msg})
		name := p.Field
		if name != "" {
			name = strings.ToUpper(name[:1]) + name[1:] + " "
		}
		msgs = append(msgs, name+p.Msg)
	}
	body.Error = "Validation failed: " + strings.Join(msgs, ", ")
	return body
}
