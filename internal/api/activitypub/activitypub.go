// Package activitypub is weft's door to the fediverse: discovery
// (WebFinger, host-meta) now, and the ActivityPub actors, objects and
// inboxes as the federation work adds them. Handlers parse the request,
// call one service method and render; one file per endpoint.
package activitypub

import (
	"errors"
	"log/slog"
	"net/http"

	"weft/internal/federation"
	"weft/internal/httpx"
	"weft/internal/model"
	"weft/internal/service"
)

// Settings are what the fediverse side needs of the configuration.
type Settings struct {
	Domain  string // host[:port] of this server, as in acct: URIs
	BaseURL string // scheme://domain
	// AuthorizedFetch: documents only to signed requests (secure mode).
	AuthorizedFetch bool
}

// Server serves the fediverse's requests.
type Server struct {
	svc    *service.Service
	fed    *federation.Federation
	render *federation.Renderer
	cfg    Settings
	log    *slog.Logger
}

// New builds the server.
func New(svc *service.Service, fed *federation.Federation, cfg Settings, log *slog.Logger) *Server {
	return &Server{svc: svc, fed: fed, cfg: cfg, log: log, render: fed.Renderer()}
}

// Routes registers the endpoints on mux.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/webfinger", s.webfinger)
	mux.HandleFunc("GET /.well-known/host-meta", s.hostMeta)
	mux.HandleFunc("GET /.well-known/host-meta.json", s.hostMetaJSON)
	mux.HandleFunc("GET /actor", s.instanceActor)
	mux.HandleFunc("GET /actor/outbox", s.instanceOutbox)
	mux.HandleFunc("POST /actor/inbox", s.inbox)
	mux.HandleFunc("GET /users/{username}", s.actor)
	mux.HandleFunc("POST /users/{username}/inbox", s.inbox)
	mux.HandleFunc("POST /inbox", s.inbox)
	mux.HandleFunc("GET /users/{username}/statuses/{id}", s.note)
	mux.HandleFunc("GET /users/{username}/statuses/{id}/replies", s.replies)
	mux.HandleFunc("GET /users/{username}/followers", s.follows(true))
	mux.HandleFunc("GET /users/{username}/following", s.follows(false))
	mux.HandleFunc("GET /users/{username}/outbox", s.outbox)
	mux.HandleFunc("GET /users/{username}/collections/featured", s.featured)
}

// actorURL is the ActivityPub ID of a local account.
func (s *Server) actorURL(username string) string { return s.cfg.BaseURL + "/users/" + username }

// profileURL is the web page of a local account.
func (s *Server) profileURL(username string) string { return s.cfg.BaseURL + "/@" + username }

// requester identifies the server fetching a document (nil: unsigned) and
// applies authorized-fetch mode; false when it answered the request itself
// with a refusal.
//
// need says whether the answer depends on who asks (a post that may be
// followers-only); without authorized fetch, only then is a signature
// checked at all.
func (s *Server) requester(w http.ResponseWriter, r *http.Request, need bool) (*model.Account, bool) {
	acc, err := s.fed.VerifyFetch(r.Context(), r, s.cfg.AuthorizedFetch, need)
	var refusal *federation.Refusal
	if errors.As(err, &refusal) {
		s.log.Debug("fetch refused", "path", r.URL.Path, "status", refusal.Status, "err", refusal)
		writeRefusal(w, refusal)
		return nil, false
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return nil, false
	}
	// A member's documents (/users/{username}/…) are not for an account
	// they block, nor for a server they block.
	if username := r.PathValue("username"); acc != nil && username != "" {
		refused, err := s.svc.FediverseRefuses(r.Context(), username, acc)
		if err != nil {
			httpx.WriteError(w, r, s.log, err)
			return nil, false
		}
		if refused {
			writeRefusal(w, &federation.Refusal{Status: http.StatusForbidden, Reason: "this member does not share with you"})
			return nil, false
		}
	}
	return acc, true
}
