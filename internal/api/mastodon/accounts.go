package mastodon

import "net/http"

func (a *API) accountRoutes(mux *http.ServeMux) {
	// verify_credentials accepts the profile scope too, as on Mastodon.
	a.route(mux, "GET /api/v1/accounts/verify_credentials", userScope("read:accounts", "profile"), a.verifyCredentials)
	a.route(mux, "GET /api/v1/accounts/{id}", public, a.getAccount)
}

func (a *API) verifyCredentials(c *call) (any, error) {
	acc, u, pending, err := a.svc.Credentials(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	return a.credentialAccount(acc, u, pending), nil
}

func (a *API) getAccount(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	acc, err := a.svc.Account(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return a.account(acc), nil
}
