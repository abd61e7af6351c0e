package activitypub

import (
	"net/http"
	"strconv"

	"weft/internal/federation"
	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// replies answers /users/{username}/statuses/{id}/replies as Mastodon
// does: the collection with its first page inline, or with ?page=true a
// page of reply ids, oldest first — the author's own replies, then with
// only_other_accounts=true everyone else's, min_id paging each — public
// and unlisted replies only, to whoever may fetch the post.
func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	viewer, ok := s.requester(w, r, true)
	if !ok {
		return
	}
	username := r.PathValue("username")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.WriteError(w, r, s.log, model.NotFound("status"))
		return
	}
	query := r.URL.Query()
	at := service.RepliesCursor{Others: query.Get("only_other_accounts") == "true"}
	if v := query.Get("min_id"); v != "" {
		if at.MinID, err = strconv.ParseInt(v, 10, 64); err != nil || at.MinID <= 0 {
			httpx.WriteError(w, r, s.log, model.Invalid("min_id", "must be a positive integer"))
			return
		}
	}
	paged := query.Get("page") != ""
	if !paged {
		at = service.RepliesCursor{} // the collection starts at the author's own replies
	}
	rp, err := s.svc.FediverseReplies(r.Context(), username, id, viewer, at)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	collID := s.actorURL(username) + "/statuses/" + strconv.FormatInt(id, 10) + "/replies"
	page := federation.RepliesPageDoc(collID, at, rp)
	if paged {
		page.Context = []any{"https://www.w3.org/ns/activitystreams"}
		writeActivityJSON(w, page)
		return
	}
	writeActivityJSON(w, federation.Collection{Context: []any{"https://www.w3.org/ns/activitystreams"}, ID: collID,
		Type: "Collection", First: page})
}
