package mastodon

import "net/http"

// followRequestRoutes: the requests to follow the caller, when they approve
// followers by hand. {id} is the requesting account.
func (a *API) followRequestRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/follow_requests", userScope("read:follows"), a.followRequests)
	a.route(mux, "POST /api/v1/follow_requests/{id}/authorize", userScope("write:follows"), a.authorizeFollowRequest)
	a.route(mux, "POST /api/v1/follow_requests/{id}/reject", userScope("write:follows"), a.rejectFollowRequest)
}

func (a *API) followRequests(c *call) (any, error) {
	pg, err := c.params.Page(40, 80)
	if err != nil {
		return nil, err
	}
	l, err := a.svc.FollowRequests(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	return a.accountPage(c, l), nil
}

func (a *API) authorizeFollowRequest(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.AuthorizeFollowRequest(c.ctx(), c.viewer(), id))
}

func (a *API) rejectFollowRequest(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return relationshipResult(a.svc.RejectFollowRequest(c.ctx(), c.viewer(), id))
}
