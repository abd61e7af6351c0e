package mastodon

import (
	"math"
	"net/http"
	"time"

	"weft/internal/service"
)

// blockMuteRoutes: blocking and muting accounts, and the lists of both.
func (a *API) blockMuteRoutes(mux *http.ServeMux) {
	a.route(mux, "POST /api/v1/accounts/{id}/block", userScope("write:blocks"), a.block)
	a.route(mux, "POST /api/v1/accounts/{id}/unblock", userScope("write:blocks"), a.unblock)
	a.route(mux, "POST /api/v1/accounts/{id}/mute", userScope("write:mutes"), a.mute)
	a.route(mux, "POST /api/v1/accounts/{id}/unmute", userScope("write:mutes"), a.unmute)
	a.route(mux, "GET /api/v1/blocks", userScope("read:blocks"), a.blocks)
	a.route(mux, "GET /api/v1/mutes", userScope("read:mutes"), a.mutes)
}

// MutedAccount is an Account with when its mute ends (Mastodon's mutes list).
type MutedAccount struct {
	Account
	MuteExpiresAt *string `json:"mute_expires_at"`
}

// block blocks an account; blocking again answers the relationship too.
func (a *API) block(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.Block(c.ctx(), c.viewer(), id))
}

func (a *API) unblock(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.Unblock(c.ctx(), c.viewer(), id))
}

// mute mutes an account: notifications (default true) mutes its
// notifications too; duration is in seconds, 0 for ever. Muting again
// changes the options.
func (a *API) mute(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	var opts service.MuteOptions
	if opts.HideNotifications, err = c.params.BoolPtr("notifications"); err != nil {
		return nil, err
	}
	secs, err := c.params.Int("duration", 0, 0, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	opts.Duration = time.Duration(secs) * time.Second
	return relationshipResult(a.svc.Mute(c.ctx(), c.viewer(), id, opts))
}

func (a *API) unmute(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.Unmute(c.ctx(), c.viewer(), id))
}

func (a *API) blocks(c *call) (any, error) {
	pg, err := c.params.Page(40, 80)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.Blocks(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	return a.accountPage(c, l), nil
}

func (a *API) mutes(c *call) (any, error) {
	pg, err := c.params.Page(40, 80)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.MuteList(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	a.accountPage(c, l.AccountList) // the Link header
	out := make([]MutedAccount, len(l.Accounts))
	for i, acc := range l.Accounts {
		out[i] = MutedAccount{Account: a.account(acc), MuteExpiresAt: timestampPtr(l.ExpiresAt[i])}
	}
	return out, nil
}
