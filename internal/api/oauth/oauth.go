// Package oauth is weft's OAuth 2 authorization server for the client API:
// the authorize page (sign-in, then consent), the token and revoke
// endpoints and the RFC 8414 metadata document.
package oauth

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/web"
)

// Settings are what the OAuth server needs of the configuration.
type Settings struct {
	BaseURL       string
	PasswordGrant bool
}

// Server serves the OAuth endpoints.
type Server struct {
	svc *service.Service
	web *web.Web
	cfg Settings
	log *slog.Logger
}

// New builds the OAuth server; the web side provides sessions and pages.
func New(svc *service.Service, w *web.Web, cfg Settings, log *slog.Logger) *Server {
	return &Server{svc: svc, web: w, cfg: cfg, log: log}
}

// Routes registers the endpoints.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /oauth/authorize", s.authorizePage)
	mux.HandleFunc("POST /oauth/authorize", s.authorize)
	mux.HandleFunc("POST /oauth/token", s.token)
	mux.HandleFunc("POST /oauth/revoke", s.revoke)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", s.metadata)
}

// authorizeParams are the query parameters of an authorization request,
// carried through the consent form.
var authorizeParams = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"}

func authorizeRequest(v url.Values) service.AuthorizeRequest {
	return service.AuthorizeRequest{ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"), Scope: v.Get("scope"),
		CodeChallenge: v.Get("code_challenge"), CodeChallengeMethod: v.Get("code_challenge_method")}
}

// authorizePage checks the request, sends signed-out visitors to sign in
// first, then asks for consent.
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if rt := q.Get("response_type"); rt != "code" {
		s.web.Render(w, r, http.StatusBadRequest, "oauth_error.html", map[string]any{"Title": "Authorization",
			"Error": "response_type must be code"})
		return
	}
	app, scopes, err := s.svc.CheckAuthorize(r.Context(), authorizeRequest(q))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sess, acc, err := s.web.Current(r)
	if err != nil {
		http.Redirect(w, r, "/auth/sign_in?return_to="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	hidden := map[string]string{}
	for _, k := range authorizeParams {
		if v := q.Get(k); v != "" {
			hidden[k] = v
		}
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		redirect = app.RedirectURIs[0]
	}
	s.web.Render(w, r, 0, "authorize.html", map[string]any{"Title": "Authorize " + app.Name, "AppName": app.Name,
		"Website": safeWebsite(app.Website), "Username": acc.Username, "Scopes": scopes, "CSRF": sess.CSRFToken, "Hidden": hidden,
		"FormAction": cspSource(redirect)})
}

// cspSource is the Content-Security-Policy source that allows a redirect
// to uri (after the consent form): its origin for http(s), its scheme for
// an app's own ("myapp:"), nothing for the out-of-band URI.
func cspSource(uri string) string {
	if uri == service.OOB {
		return ""
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme == "" || strings.ContainsAny(uri, " ;'\"") {
		return ""
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + ":"
}

// authorize records the decision and sends the browser back to the app.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, model.Invalid("form", "cannot be read"))
		return
	}
	sess, acc, err := s.web.Current(r)
	if err != nil {
		http.Redirect(w, r, "/auth/sign_in", http.StatusSeeOther)
		return
	}
	if !web.CheckCSRF(r, sess) {
		s.web.Render(w, r, http.StatusForbidden, "oauth_error.html", map[string]any{"Title": "Authorization",
			"Error": "Your form expired. Please go back and try again."})
		return
	}
	req := authorizeRequest(r.PostForm)
	app, _, err := s.svc.CheckAuthorize(r.Context(), req)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	redirect := req.RedirectURI
	if redirect == "" {
		redirect = app.RedirectURIs[0]
	}
	state := r.PostForm.Get("state")
	if r.PostForm.Get("decision") != "approve" {
		s.sendBack(w, r, redirect, url.Values{"error": {"access_denied"}, "error_description": {"The user denied the request"}}, state)
		return
	}
	code, err := s.svc.IssueAuthCode(r.Context(), acc.ID, req)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if redirect == service.OOB {
		s.web.Render(w, r, 0, "oauth_code.html", map[string]any{"Title": "Authorization code", "AppName": app.Name, "Code": code})
		return
	}
	s.sendBack(w, r, redirect, url.Values{"code": {code}}, state)
}

// sendBack redirects to the app's registered URI with the answer.
func (s *Server) sendBack(w http.ResponseWriter, r *http.Request, redirect string, v url.Values, state string) {
	if state != "" {
		v.Set("state", state)
	}
	if redirect == service.OOB {
		s.web.Render(w, r, http.StatusBadRequest, "oauth_error.html", map[string]any{"Title": "Authorization", "Error": v.Get("error_description")})
		return
	}
	u, err := url.Parse(redirect)
	if err != nil {
		s.renderError(w, r, model.Invalid("redirect_uri", "is not valid"))
		return
	}
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	// http.Redirect would rewrite custom schemes (app://callback) as paths.
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusFound)
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.ClientGone(r, err) {
		httpx.LogClientGone(w, r, s.log, err)
		return
	}
	msg := model.Message(err)
	var oe *service.OAuthError
	if errors.As(err, &oe) {
		msg = oe.Description
	} else if httpx.Status(err) == http.StatusInternalServerError {
		s.log.Error("oauth authorize", "err", err)
		msg = "Something went wrong."
	}
	s.web.Render(w, r, http.StatusBadRequest, "oauth_error.html", map[string]any{"Title": "Authorization", "Error": msg})
}

// safeWebsite shows an app's website only when it is an http(s) URL.
func safeWebsite(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return raw
}

// tokenError answers an OAuth error as RFC 6749 §5.2 says.
func tokenError(w http.ResponseWriter, err error, log *slog.Logger, r *http.Request) {
	var oe *service.OAuthError
	if !errors.As(err, &oe) {
		if st := httpx.Status(err); st == http.StatusInternalServerError || st == http.StatusTooManyRequests {
			httpx.WriteError(w, r, log, err)
			return
		}
		oe = &service.OAuthError{Code: "invalid_request", Description: model.Message(err)}
	}
	status := http.StatusBadRequest
	if oe.Code == "invalid_client" {
		status = http.StatusUnauthorized
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, status, map[string]string{"error": oe.Code, "error_description": oe.Description})
}

// clientCredentials reads client_id/client_secret from HTTP Basic auth or the body.
func clientCredentials(r *http.Request, p *httpx.Params) (string, string) {
	if id, secret, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		return id, secret
	}
	return strings.TrimSpace(p.String("client_id")), p.String("client_secret")
}
