package mastodon

import (
	"net/http"

	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) statusRoutes(mux *http.ServeMux) {
	a.route(mux, "POST /api/v1/statuses", userScope("write:statuses"), a.createStatus)
	a.route(mux, "GET /api/v1/statuses/{id}", public, a.getStatus)
}

func (a *API) createStatus(c *call) (any, error) {
	p := c.params
	replyTo, err := p.ID("in_reply_to_id")
	if err != nil {
		return nil, err
	}
	sensitive, _, err := p.Bool("sensitive")
	if err != nil {
		return nil, err
	}
	in := service.PostInput{Text: p.String("status"), SpoilerText: p.String("spoiler_text"), Sensitive: sensitive,
		Language: p.String("language"), Visibility: model.Visibility(p.String("visibility")), InReplyToID: replyTo,
		IdempotencyKey: c.r.Header.Get("Idempotency-Key")}
	if len(p.Strings("media_ids")) > 0 {
		return nil, model.Invalid("media_ids", "media attachments are not supported yet")
	}
	v, err := a.svc.CreatePost(c.ctx(), c.viewer(), in)
	if err != nil {
		return nil, err
	}
	return a.status(v, true), nil
}

func (a *API) getStatus(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := a.svc.Status(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return a.status(v, c.viewer() != 0), nil
}
