package mastodon

import (
	"net/http"

	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

func (a *API) conversationRoutes(mux *http.ServeMux) {
	a.route(mux, "GET /api/v1/conversations", userScope("read:statuses"), a.conversations)
	a.route(mux, "DELETE /api/v1/conversations/{id}", userScope("write:conversations"), a.removeConversation)
	a.route(mux, "POST /api/v1/conversations/{id}/read", userScope("write:conversations"), a.readConversation)
}

// conversationOf renders a conversation as its participant sees it.
func (a *API) conversationOf(cv *service.ConversationView) Conversation {
	st := a.status(cv.LastStatus, true)
	return Conversation{ID: idStr(cv.ID), Unread: cv.Unread, Accounts: a.accounts(cv.Accounts), LastStatus: &st}
}

// conversations lists the caller's direct conversations, newest post
// first; the Link header pages by the ID of that newest post.
func (a *API) conversations(c *call) (any, error) {
	pg, err := c.params.Page(model.DefaultLimit, model.MaxLimit)
	if err != nil {
		return nil, err
	}
	list, err := a.svc.Conversations(c.ctx(), c.viewer(), pg)
	if err != nil {
		return nil, err
	}
	httpx.SetLink(c.w, c.r, a.cfg.BaseURL, list.NextMaxID, list.PrevMinID)
	out := make([]Conversation, 0, len(list.Conversations))
	for _, cv := range list.Conversations {
		out = append(out, a.conversationOf(cv))
	}
	return out, nil
}

func (a *API) removeConversation(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return nil, a.svc.RemoveConversation(c.ctx(), c.viewer(), id)
}

func (a *API) readConversation(c *call) (any, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	cv, err := a.svc.ReadConversation(c.ctx(), c.viewer(), id)
	if err != nil {
		return nil, err
	}
	return a.conversationOf(cv), nil
}
