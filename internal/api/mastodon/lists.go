package mastodon

import (
	"net/http"
	"strconv"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) listRoutes(mux *http.ServeMux) {
	read, write := userScope("read:lists"), userScope("write:lists")
	a.route(mux, "GET /api/v1/lists", read, a.getLists)
	a.route(mux, "POST /api/v1/lists", write, a.createList)
	a.route(mux, "GET /api/v1/lists/{id}", read, a.getList)
	a.route(mux, "PUT /api/v1/lists/{id}", write, a.updateList)
	a.route(mux, "DELETE /api/v1/lists/{id}", write, a.deleteList)
	a.route(mux, "GET /api/v1/lists/{id}/accounts", read, a.listAccounts)
	a.route(mux, "POST /api/v1/lists/{id}/accounts", write, a.addListAccounts)
	a.route(mux, "DELETE /api/v1/lists/{id}/accounts", write, a.removeListAccounts)
	// In the accounts' path space, but about lists: which of the caller's
	// lists have this account.
	a.route(mux, "GET /api/v1/accounts/{id}/lists", read, a.accountLists)
}

// List is Mastodon's List entity.
type List struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

func list(l *model.List) List {
	return List{ID: idStr(l.ID), Title: l.Title, RepliesPolicy: string(l.RepliesPolicy), Exclusive: l.Exclusive}
}

func lists(ls []*model.List) []List {
	out := make([]List, 0, len(ls))
	for _, l := range ls {
		out = append(out, list(l))
	}
	return out
}

func (a *API) getLists(c *call) (any, error) {
	ls, err := a.svc.Lists(c.ctx(), c.viewer())
	if err != nil {
		return nil, err
	}
	return lists(ls), nil
}

// listInput reads title, replies_policy and exclusive; absent ones are nil.
func listInput(c *call) (service.ListInput, error) {
	var in service.ListInput
	if c.params.Has("title") {
		v := c.params.String("title")
		in.Title = &v
	}
	if c.params.Has("replies_policy") {
		v := c.params.String("replies_policy")
		in.RepliesPolicy = &v
	}
	var err error
	in.Exclusive, err = c.params.BoolPtr("exclusive")
	return in, err
}

func (a *API) createList(c *call) (any, error) {
	in, err := listInput(c)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.CreateList(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	return list(l), nil
}

func (a *API) getList(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	l, err := a.svc.List(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return list(l), nil
}

func (a *API) updateList(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	in, err := listInput(c)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.UpdateList(c.ctx(), c.viewer(), id, in)
	if err != nil {
		return nil, err
	}
	return list(l), nil
}

func (a *API) deleteList(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.DeleteList(c.ctx(), c.viewer(), id)
}

// listAccounts pages a list's members by membership, with Link headers;
// limit=0 asks for all of them on one page, as on Mastodon.
func (a *API) listAccounts(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	all := c.params.String("limit") == "0"
	var pg model.Page
	if !all {
		if pg, err = c.params.Page(40, 80); err != nil {
			return nil, err
		}
	}
	l, err := a.svc.ListAccounts(c.ctx(), c.viewer(), id, pg, all)
	if err != nil {
		return nil, err
	}
	if !all && len(l.RowIDs) > 0 {
		httpx.SetLink(c.w, c.r, a.cfg.BaseURL, l.RowIDs[len(l.RowIDs)-1], l.RowIDs[0])
	}
	return a.accounts(l.Accounts), nil
}

// accountIDs reads account_ids[].
func accountIDs(c *call) ([]int64, error) {
	var ids []int64
	for _, raw := range c.params.Strings("account_ids") {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return nil, model.Invalid("account_ids", "must be account IDs")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (a *API) addListAccounts(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ids, err := accountIDs(c)
	if err != nil {
		return nil, err
	}
	return nil, a.svc.AddListAccounts(c.ctx(), c.viewer(), id, ids)
}

func (a *API) removeListAccounts(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ids, err := accountIDs(c)
	if err != nil {
		return nil, err
	}
	return nil, a.svc.RemoveListAccounts(c.ctx(), c.viewer(), id, ids)
}

func (a *API) accountLists(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ls, err := a.svc.ListsWithAccount(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return lists(ls), nil
}
