package activitypub

import (
	"net/http"
	"strconv"

	"weft/internal/httpx"
	"weft/internal/model"
)

// replies answers /users/{username}/statuses/{id}/replies: the post's
// public and unlisted replies, by page (ids only), so other servers can
// fetch the whole thread.
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
	paged, maxID, err := cursor(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	rp, err := s.svc.FediverseReplies(r.Context(), username, id, viewer, maxID)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	collID := s.actorURL(username) + "/statuses/" + strconv.FormatInt(id, 10) + "/replies"
	// The total is not counted (replies_count counts what the policy
	// hides too); a page is what servers read.
	if !paged {
		out := summary(collID, int64(len(rp.URIs)))
		writeActivityJSON(w, out)
		return
	}
	out := page(collID, int64(len(rp.URIs)), maxID, rp.NextMaxID)
	for _, u := range rp.URIs {
		out.OrderedItems = append(out.OrderedItems, u)
	}
	writeActivityJSON(w, out)
}
