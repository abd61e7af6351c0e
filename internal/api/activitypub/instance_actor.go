package activitypub

import (
	"net/http"

	"weft/internal/federation"
	"weft/internal/httpx"
)

// InstanceActor is the server's own actor (an Application, as Mastodon's):
// it signs fetches made for the server rather than for a member.
type InstanceActor struct {
	Context                   []any                `json:"@context"`
	ID                        string               `json:"id"`
	Type                      string               `json:"type"`
	Inbox                     string               `json:"inbox"`
	Outbox                    string               `json:"outbox"`
	PreferredUsername         string               `json:"preferredUsername"`
	URL                       string               `json:"url"`
	ManuallyApprovesFollowers bool                 `json:"manuallyApprovesFollowers"`
	PublicKey                 federation.PublicKey `json:"publicKey"`
	Endpoints                 federation.Endpoints `json:"endpoints"`
}

// instanceActorURL is the instance actor's ID.
func (s *Server) instanceActorURL() string { return s.cfg.BaseURL + "/actor" }

// instanceActor answers /actor, to anyone: servers fetch its key unsigned.
func (s *Server) instanceActor(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if !wantsActivityJSON(r) {
		http.Redirect(w, r, s.cfg.BaseURL+"/", http.StatusFound)
		return
	}
	key, err := s.svc.InstanceKey(r.Context())
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	id := s.instanceActorURL()
	writeActivityJSON(w, InstanceActor{
		Context: federation.ContextActor, ID: id, Type: "Application", Inbox: id + "/inbox", Outbox: id + "/outbox",
		PreferredUsername: s.cfg.Domain, URL: s.cfg.BaseURL + "/about", ManuallyApprovesFollowers: true,
		PublicKey: federation.PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: key.PublicPEM},
		Endpoints: federation.Endpoints{SharedInbox: s.cfg.BaseURL + "/inbox"},
	})
}

// instanceOutbox answers /actor/outbox, which the instance actor names:
// an empty collection, since the server itself publishes nothing (a 404
// there reads as a broken actor to servers that check, GoToSocial among
// them). Its inbox, /actor/inbox, is the shared inbox.
func (s *Server) instanceOutbox(w http.ResponseWriter, r *http.Request) {
	id := s.instanceActorURL() + "/outbox"
	writeActivityJSON(w, itemsCollection{Context: []any{"https://www.w3.org/ns/activitystreams"}, ID: id,
		Type: "OrderedCollection", TotalItems: 0, OrderedItems: []any{}})
}
