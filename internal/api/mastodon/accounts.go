package mastodon

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) accountRoutes(mux *http.ServeMux) {
	// verify_credentials accepts the profile scope too, as on Mastodon.
	a.route(mux, "GET /api/v1/accounts/verify_credentials", userScope("read:accounts", "profile"), a.verifyCredentials)
	a.route(mux, "PATCH /api/v1/accounts/update_credentials", userScope("write:accounts").withBody(2*a.cfg.MaxImageBytes), a.updateCredentials)
	a.route(mux, "DELETE /api/v1/profile/avatar", userScope("write:accounts"), a.deleteProfileImage(true))
	a.route(mux, "DELETE /api/v1/profile/header", userScope("write:accounts"), a.deleteProfileImage(false))
	a.route(mux, "GET /api/v1/accounts/{id}", ifToken("read:accounts"), a.getAccount)
	a.route(mux, "GET /api/v1/accounts", ifToken("read:accounts"), a.getAccounts)
	a.route(mux, "GET /api/v1/accounts/lookup", ifToken("read:accounts"), a.lookupAccount)
	a.route(mux, "GET /api/v1/accounts/{id}/statuses", ifToken("read:statuses"), a.accountStatuses)
	a.relationshipRoutes(mux)
	a.blockMuteRoutes(mux)
	a.followRequestRoutes(mux)
	a.accountSearchRoutes(mux)
	a.registrationRoutes(mux)
}

func (a *API) verifyCredentials(c *call) (any, error) {
	acc, u, pending, err := a.svc.Credentials(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	return a.credentialAccount(acc, u, pending), nil
}

// updateCredentials edits the caller's profile. Avatars and headers are not
// stored yet: those parameters are ignored, as are source[privacy],
// source[sensitive] and source[language].
func (a *API) updateCredentials(c *call) (any, error) {
	p := c.params
	var u service.ProfileUpdate
	for _, t := range []struct {
		name string
		dst  **string
	}{{"display_name", &u.DisplayName}, {"note", &u.Note}} {
		if p.Has(t.name) {
			v := p.String(t.name)
			if !storable(v) {
				return nil, model.Invalid(t.name, "is not valid text")
			}
			*t.dst = &v
		}
	}
	for _, b := range []struct {
		name string
		dst  **bool
	}{{"locked", &u.Locked}, {"bot", &u.Bot}, {"discoverable", &u.Discoverable}, {"fediverse_sharing", &u.FediverseSharing},
		{"hide_collections", &u.HideCollections}} {
		v, err := p.BoolPtr(b.name)
		if err != nil {
			return nil, err
		}
		*b.dst = v
	}
	if u.FediverseSharing == nil { // also accepted beside the other source settings
		v, err := p.BoolPtr("source[fediverse_sharing]")
		if err != nil {
			return nil, err
		}
		u.FediverseSharing = v
	}
	// fields_attributes[0][name], fields_attributes[][name], or JSON (an
	// array, or an object keyed by index). Sent empty, it clears the fields.
	if rows := p.Indexed("fields_attributes"); len(rows) > 0 || p.Has("fields_attributes") {
		fields := make([]model.Field, 0, len(rows))
		for _, r := range rows {
			if !storable(r["name"]) || !storable(r["value"]) {
				return nil, model.Invalid("fields_attributes", "is not valid text")
			}
			fields = append(fields, model.Field{Name: r["name"], Value: r["value"]})
		}
		u.Fields = &fields
	}
	// avatar and header: image files in a multipart body.
	for _, img := range []struct {
		name string
		dst  *io.ReadSeeker
	}{{"avatar", &u.Avatar}, {"header", &u.Header}} {
		f, ok, err := p.File(img.name)
		if err != nil {
			return nil, err
		}
		if ok {
			defer f.Close()
			*img.dst = f
		}
	}
	acc, user, pending, err := a.svc.UpdateCredentials(c.ctx(), c.viewer(), u)
	if err != nil {
		return nil, err
	}
	return a.credentialAccount(acc, user, pending), nil
}

// deleteProfileImage is DELETE /api/v1/profile/avatar and …/header
// (Mastodon 4.2): the caller's account without it.
func (a *API) deleteProfileImage(avatar bool) handler {
	return func(c *call) (any, error) {
		u := service.ProfileUpdate{RemoveAvatar: avatar, RemoveHeader: !avatar}
		acc, user, pending, err := a.svc.UpdateCredentials(c.ctx(), c.viewer(), u)
		if err != nil {
			return nil, err
		}
		return a.credentialAccount(acc, user, pending), nil
	}
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

// getAccounts is GET /api/v1/accounts?id[]=…: the accounts found, in the
// order asked; unknown and hidden ones are left out.
func (a *API) getAccounts(c *call) (any, error) {
	list, err := a.svc.AccountsFor(c.ctx(), c.viewer(), idList(c, "id"))
	if err != nil {
		return nil, err
	}
	return a.accounts(list), nil
}

func (a *API) lookupAccount(c *call) (any, error) {
	acct := strings.TrimSpace(c.params.String("acct"))
	if acct == "" || !storable(acct) {
		return nil, model.NotFound("account") // as Mastodon: nothing to look up is not found
	}
	acc, err := a.svc.LookupAccount(c.ctx(), c.viewer(), acct)
	if err != nil {
		return nil, err
	}
	return a.account(acc), nil
}

// accountStatuses is an account's posts and boosts as the caller may see
// them, newest first, with Link pagination.
func (a *API) accountStatuses(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	p := c.params
	pg, err := p.Page(20, 40)
	if err != nil {
		return nil, err
	}
	var o service.AccountTimelineOptions
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"exclude_replies", &o.ExcludeReplies}, {"exclude_reblogs", &o.ExcludeReblogs}, {"pinned", &o.Pinned}, {"only_media", &o.OnlyMedia}} {
		if *b.dst, _, err = p.Bool(b.name); err != nil {
			return nil, err
		}
	}
	o.Tagged = strings.TrimPrefix(strings.TrimSpace(p.String("tagged")), "#")
	t, err := a.svc.AccountTimeline(c.ctx(), c.viewer(), id, o, pg)
	if err != nil {
		return nil, err
	}
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, t.NextMaxID, t.PrevMinID)
	return a.filteredStatuses(c, model.FilterAccount, t.Statuses)
}

// storable reports whether s is text both databases keep: valid UTF-8
// without NUL (PostgreSQL refuses either).
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// idList reads an array of IDs (id[]=1&id[]=2, id=1, or a JSON array).
// Values that are not IDs name no account, and are skipped as on Mastodon.
func idList(c *call, name string) []int64 {
	raw := c.params.Strings(name)
	out := make([]int64, 0, len(raw))
	for _, s := range raw {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// accountPage renders a page of accounts with its Link header, paged by the
// IDs of the rows that list them (follows, blocks …), as on Mastodon.
func (a *API) accountPage(c *call, l service.AccountList) any {
	if n := len(l.RowIDs); n > 0 {
		httpx.SetLink(c.w, c.r, a.cfg.BaseURL, l.RowIDs[n-1], l.RowIDs[0])
	}
	return a.accounts(l.Accounts)
}
