package activitypub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"weft/internal/httpx"
	"weft/internal/model"
)

// contextActor is the JSON-LD context of actor documents: ActivityStreams,
// the security vocabulary (publicKey) and the extensions Mastodon uses.
var contextActor = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/security/v1",
	map[string]any{
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"toot":                      "http://joinmastodon.org/ns#",
		"featured":                  map[string]string{"@id": "toot:featured", "@type": "@id"},
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"schema":                    "http://schema.org#",
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
	},
}

// Actor is an ActivityPub actor document (Person, or Service for bots).
type Actor struct {
	Context                   []any           `json:"@context"`
	ID                        string          `json:"id"`
	Type                      string          `json:"type"`
	Following                 string          `json:"following"`
	Followers                 string          `json:"followers"`
	Inbox                     string          `json:"inbox"`
	Outbox                    string          `json:"outbox"`
	Featured                  string          `json:"featured"`
	PreferredUsername         string          `json:"preferredUsername"`
	Name                      string          `json:"name"`
	Summary                   string          `json:"summary"`
	URL                       string          `json:"url"`
	ManuallyApprovesFollowers bool            `json:"manuallyApprovesFollowers"`
	Discoverable              bool            `json:"discoverable"`
	Indexable                 bool            `json:"indexable"`
	Published                 string          `json:"published"`
	PublicKey                 PublicKey       `json:"publicKey"`
	Attachment                []PropertyValue `json:"attachment"`
	Endpoints                 Endpoints       `json:"endpoints"`
}

// PublicKey is the key other servers check this actor's signatures with.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// PropertyValue is a profile field.
type PropertyValue struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Endpoints names the shared inbox.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox"`
}

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
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if !wantsActivityJSON(r) {
		http.Redirect(w, r, s.profileURL(acc.Username), http.StatusFound)
		return
	}
	key, err := s.svc.ActorKey(r.Context(), acc.ID)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	writeActivityJSON(w, s.actorOf(acc, key.PublicPEM))
}

func (s *Server) actorOf(acc *model.Account, publicPEM string) Actor {
	id := s.actorURL(acc.Username)
	typ := "Person"
	if acc.Bot {
		typ = "Service"
	}
	a := Actor{
		Context: contextActor, ID: id, Type: typ,
		Following: id + "/following", Followers: id + "/followers", Inbox: id + "/inbox", Outbox: id + "/outbox",
		Featured: id + "/collections/featured", PreferredUsername: acc.Username, Name: acc.DisplayName,
		Summary: acc.NoteHTML, URL: s.profileURL(acc.Username), ManuallyApprovesFollowers: acc.Locked,
		Discoverable: acc.Discoverable, Indexable: acc.Discoverable,
		// Mastodon publishes the day an account was made, not the moment.
		Published:  acc.CreatedAt.UTC().Truncate(24 * time.Hour).Format(time.RFC3339),
		PublicKey:  PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: publicPEM},
		Attachment: []PropertyValue{},
		Endpoints:  Endpoints{SharedInbox: s.cfg.BaseURL + "/inbox"},
	}
	for _, f := range acc.Fields {
		a.Attachment = append(a.Attachment, PropertyValue{Type: "PropertyValue", Name: f.Name, Value: f.ValueHTML})
	}
	return a
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
