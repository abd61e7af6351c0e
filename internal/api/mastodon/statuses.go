package mastodon

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) statusRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/statuses", ifToken("read:statuses"), a.getStatuses)
	a.route(mux, "POST /api/v1/statuses", userScope("write:statuses"), a.createStatus)
	a.route(mux, "GET /api/v1/statuses/{id}", ifToken("read:statuses"), a.getStatus)
	a.route(mux, "PUT /api/v1/statuses/{id}", userScope("write:statuses"), a.editStatus)
	a.route(mux, "DELETE /api/v1/statuses/{id}", userScope("write:statuses"), a.deleteStatus)
	a.route(mux, "GET /api/v1/statuses/{id}/history", ifToken("read:statuses"), a.statusHistory)
	a.route(mux, "GET /api/v1/statuses/{id}/source", appScope("read:statuses"), a.statusSource)
	a.route(mux, "GET /api/v1/statuses/{id}/context", ifToken("read:statuses"), a.statusContext)
	// Mastodon checks read:accounts here, when a token is sent: the answer is accounts.
	a.route(mux, "GET /api/v1/statuses/{id}/favourited_by", ifToken("read:accounts"), a.accountsOfStatus(a.svc.FavouritedBy))
	a.route(mux, "GET /api/v1/statuses/{id}/reblogged_by", ifToken("read:accounts"), a.accountsOfStatus(a.svc.RebloggedBy))
	a.route(mux, "POST /api/v1/statuses/{id}/favourite", userScope("write:favourites"), a.statusAction(a.svc.Favourite))
	a.route(mux, "POST /api/v1/statuses/{id}/unfavourite", userScope("write:favourites"), a.statusAction(a.svc.Unfavourite))
	a.route(mux, "POST /api/v1/statuses/{id}/reblog", userScope("write:statuses"), a.reblog)
	a.route(mux, "POST /api/v1/statuses/{id}/unreblog", userScope("write:statuses"), a.statusAction(a.svc.Unreblog))
	a.route(mux, "POST /api/v1/statuses/{id}/bookmark", userScope("write:bookmarks"), a.statusAction(a.svc.Bookmark))
	a.route(mux, "POST /api/v1/statuses/{id}/unbookmark", userScope("write:bookmarks"), a.statusAction(a.svc.Unbookmark))
	a.route(mux, "POST /api/v1/statuses/{id}/pin", userScope("write:accounts"), a.pin)
	a.route(mux, "POST /api/v1/statuses/{id}/unpin", userScope("write:accounts"), a.unpin)
	a.route(mux, "POST /api/v1/statuses/{id}/mute", userScope("write:mutes"), a.statusAction(a.svc.MuteConversation))
	a.route(mux, "POST /api/v1/statuses/{id}/unmute", userScope("write:mutes"), a.statusAction(a.svc.UnmuteConversation))
}

// notYours answers "not found" where the service says a post is someone
// else's: Mastodon looks up the caller's own posts only when deleting,
// editing or reading a post's source, so another's post "does not exist".
func notYours(err error) error {
	if errors.Is(err, model.ErrForbidden) {
		return model.Errorf(model.ErrNotFound, "", "Record not found")
	}
	return err
}

// unsupported refuses what weft cannot do yet (attachments, polls,
// scheduling) rather than silently posting without it. Empty values, as
// some clients send for "none" (`"poll": null`, `media_ids[]=`), are fine.
func unsupported(p *httpx.Params) error {
	if len(p.Strings("poll[options]")) > 0 || p.String("poll[expires_in]") != "" {
		return model.Invalid("poll", "polls are not supported yet")
	}
	return nil
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
	if err := unsupported(p); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.String("scheduled_at")) != "" {
		return nil, model.Invalid("scheduled_at", "scheduled posts are not supported yet")
	}
	media, err := mediaIDs(p.Strings("media_ids"))
	if err != nil {
		return nil, err
	}
	in := service.PostInput{Text: p.String("status"), SpoilerText: p.String("spoiler_text"), Sensitive: sensitive,
		Language: p.String("language"), Visibility: model.Visibility(p.String("visibility")), InReplyToID: replyTo,
		MediaIDs: media, IdempotencyKey: c.r.Header.Get("Idempotency-Key")}
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

// getStatuses answers GET /api/v1/statuses?id[]=…: the posts the caller may
// see among those asked, in the order asked. An ID that is no number names
// no post, as on Mastodon, and is left out like an unknown one.
func (a *API) getStatuses(c *call) (any, error) {
	raw := c.params.Strings("id")
	ids := make([]int64, 0, len(raw))
	for _, s := range raw {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	views, err := a.svc.StatusesByIDs(c.ctx(), c.viewer(), ids)
	if err != nil {
		return nil, err
	}
	return a.statuses(views, c.viewer() != 0), nil
}

// deleteStatus deletes one of the caller's posts and answers it as it was,
// with its source text, for "delete and redraft".
func (a *API) deleteStatus(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := a.svc.DeletePost(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, notYours(err)
	}
	out := a.status(v, true)
	text := v.Status.Text
	out.Text = &text
	return out, nil
}
