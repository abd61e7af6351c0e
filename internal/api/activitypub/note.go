package activitypub

import (
	"net/http"
	"strconv"

	"weft/internal/httpx"
	"weft/internal/model"
)

// Tombstone is what is left of a deleted post.
type Tombstone struct {
	Context string `json:"@context"`
	ID      string `json:"id"`
	Type    string `json:"type"`
}

// note answers /users/{username}/statuses/{id}: the Note to ActivityPub
// clients (410 with a Tombstone once deleted), and the post's page to
// browsers.
func (s *Server) note(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.WriteError(w, r, s.log, model.NotFound("status"))
		return
	}
	var viewer *model.Account
	if wantsActivityJSON(r) {
		var ok bool
		if viewer, ok = s.requester(w, r, true); !ok {
			return
		}
	}
	fs, err := s.svc.FediverseStatus(r.Context(), r.PathValue("username"), id, viewer)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if !wantsActivityJSON(r) {
		http.Redirect(w, r, s.profileURL(fs.Author.Username)+"/"+strconv.FormatInt(id, 10), http.StatusFound)
		return
	}
	if fs.Tombstone {
		writeActivityJSONStatus(w, http.StatusGone, Tombstone{Context: "https://www.w3.org/ns/activitystreams",
			ID: s.svc.StatusURI(fs.Status, fs.Author), Type: "Tombstone"})
		return
	}
	writeActivityJSON(w, s.render.Note(fs))
}

// accountURI is an account's ActivityPub ID.
func (s *Server) accountURI(a *model.Account) string { return s.svc.ActorURI(a) }
