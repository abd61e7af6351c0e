package activitypub

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"weft/internal/federation"
	"weft/internal/httpx"
	"weft/internal/model"
)

// wantsActivityJSON: the request asks for ActivityStreams (Mastodon and
// most servers send application/activity+json; the spec's form is
// application/ld+json with the ActivityStreams profile).
func wantsActivityJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/activity+json") || strings.Contains(accept, "application/ld+json")
}

// actor answers /users/{username}: the actor document to ActivityPub
// clients, and a redirect to the profile page to browsers.
func (s *Server) actor(w http.ResponseWriter, r *http.Request) {
	username := r.PathValue("username")
	w.Header().Add("Vary", "Accept")
	acc, err := s.svc.FediverseAccount(r.Context(), username)
	if errors.Is(err, model.ErrNotFound) && wantsActivityJSON(r) {
		if gone, pem, err := s.svc.RetractedAccount(r.Context(), username); err == nil {
			// Stopped sharing: gone for other servers, but the key that
			// signs the retractions stays readable.
			id := s.svc.ActorURI(gone)
			writeActivityJSONStatus(w, http.StatusGone, RetractedActor{Context: federation.ContextActor, ID: id,
				Type: "Tombstone", FormerType: "Person",
				PublicKey: federation.PublicKey{ID: federation.KeyID(id), Owner: id, PublicKeyPem: pem}})
			return
		}
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if !wantsActivityJSON(r) {
		http.Redirect(w, r, s.profileURL(acc.Username), http.StatusFound)
		return
	}
	if _, ok := s.requester(w, r, false); !ok {
		return
	}
	key, err := s.svc.ActorKey(r.Context(), acc.ID)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	writeActivityJSON(w, s.render.Actor(acc, key.PublicPEM))
}

// writeActivityJSON writes an ActivityStreams document.
func writeActivityJSON(w http.ResponseWriter, v any) { writeActivityJSONStatus(w, http.StatusOK, v) }

// writeActivityJSONStatus writes an ActivityStreams document with a status.
func writeActivityJSONStatus(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)              // summaries and fields are HTML: keep them readable
	if err := enc.Encode(v); err != nil { // plain fields: cannot happen
		http.Error(w, "encode", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// RetractedActor is what is left of a member who stopped sharing.
type RetractedActor struct {
	Context    []any                `json:"@context"`
	ID         string               `json:"id"`
	Type       string               `json:"type"`
	FormerType string               `json:"formerType"`
	PublicKey  federation.PublicKey `json:"publicKey"`
}
