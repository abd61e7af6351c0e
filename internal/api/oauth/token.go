package oauth

import (
	"net/http"
	"strings"

	"weft/internal/httpx"
	"weft/internal/service"
)

// token is POST /oauth/token: authorization_code (with PKCE), client_credentials,
// refresh_token, and password when the admin allows it.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	p, err := httpx.ParseParams(r, 64<<10)
	if err != nil {
		tokenError(w, err, s.log, r)
		return
	}
	id, secret := clientCredentials(r, p)
	t, err := s.svc.Token(r.Context(), service.TokenRequest{
		GrantType: p.String("grant_type"), ClientID: id, ClientSecret: secret, Code: p.String("code"),
		RedirectURI: p.String("redirect_uri"), CodeVerifier: p.String("code_verifier"), RefreshToken: p.String("refresh_token"),
		Scope: p.String("scope"), Username: p.String("username"), Password: p.String("password"),
		IP: httpx.ClientIPOf(r), PasswordGrant: s.cfg.PasswordGrant,
	})
	if err != nil {
		tokenError(w, err, s.log, r)
		return
	}
	out := map[string]any{"access_token": t.AccessToken, "token_type": "Bearer", "scope": strings.Join(t.Scopes, " "),
		"created_at": t.CreatedAt.Unix()}
	if t.RefreshToken != "" {
		out["refresh_token"] = t.RefreshToken
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
}

// revoke is POST /oauth/revoke (RFC 7009).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	p, err := httpx.ParseParams(r, 64<<10)
	if err != nil {
		tokenError(w, err, s.log, r)
		return
	}
	id, secret := clientCredentials(r, p)
	if err := s.svc.RevokeToken(r.Context(), id, secret, p.String("token")); err != nil {
		tokenError(w, err, s.log, r)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct{}{})
}

// metadata is the RFC 8414 authorization server metadata.
func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	grants := []string{"authorization_code", "client_credentials", "refresh_token"}
	if s.cfg.PasswordGrant {
		grants = append(grants, "password")
	}
	b := s.cfg.BaseURL
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"issuer": b + "/", "service_documentation": "https://docs.joinmastodon.org/",
		"authorization_endpoint": b + "/oauth/authorize", "token_endpoint": b + "/oauth/token",
		"revocation_endpoint": b + "/oauth/revoke", "app_registration_endpoint": b + "/api/v1/apps",
		"scopes_supported": service.KnownScopes(), "response_types_supported": []string{"code"},
		"response_modes_supported": []string{"query", "fragment", "form_post"},
		"grant_types_supported":    grants, "code_challenge_methods_supported": []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
	})
}
