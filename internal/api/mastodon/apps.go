package mastodon

import (
	"net/http"
	"strings"

	"weft/internal/model"
	"weft/internal/service"
)

// AppEntity is Mastodon's Application entity as the apps endpoints return it.
type AppEntity struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	Website               *string  `json:"website"`
	Scopes                []string `json:"scopes"`
	RedirectURI           string   `json:"redirect_uri"`
	RedirectURIs          []string `json:"redirect_uris"`
	ClientID              string   `json:"client_id,omitempty"`
	ClientSecret          string   `json:"client_secret,omitempty"`
	ClientSecretExpiresAt *int64   `json:"client_secret_expires_at,omitempty"`
	VapidKey              string   `json:"vapid_key"`
}

func (a *API) appRoutes(mux *http.ServeMux) {
	a.route(mux, "POST /api/v1/apps", public, a.createApp)
	a.route(mux, "GET /api/v1/apps/verify_credentials", appScope(), a.verifyApp)
}

func app(p *model.App) AppEntity {
	out := AppEntity{ID: idStr(p.ID), Name: p.Name, Scopes: p.Scopes, RedirectURI: strings.Join(p.RedirectURIs, "\n"),
		RedirectURIs: p.RedirectURIs}
	if p.Website != "" {
		w := p.Website
		out.Website = &w
	}
	return out
}

func (a *API) createApp(c *call) (any, error) {
	p := c.params
	uris := p.Strings("redirect_uris")
	registered, secret, err := a.svc.RegisterApp(c.ctx(), service.AppInput{Name: p.String("client_name"), Website: p.String("website"),
		RedirectURIs: uris, Scopes: p.String("scopes")})
	if err != nil {
		return nil, err
	}
	out := app(registered)
	out.ClientID, out.ClientSecret = registered.ClientID, secret
	zero := int64(0)
	out.ClientSecretExpiresAt = &zero
	return out, nil
}

func (a *API) verifyApp(c *call) (any, error) {
	if c.caller.App == nil {
		return nil, model.Errorf(model.ErrUnauthorized, "", "The access token is invalid")
	}
	return app(c.caller.App), nil
}
