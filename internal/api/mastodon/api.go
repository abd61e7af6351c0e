// Package mastodon is weft's Mastodon client API: the REST endpoints and
// entities existing apps (Elk, Phanpy, Ivory, Tusky, Ice Cubes) speak.
// Handlers parse the request, call one service method and render
// Mastodon's entities; one file per endpoint group.
package mastodon

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"weft/internal/httpx"
	"weft/internal/service"
)

// Settings are what the API needs of the configuration.
type Settings struct {
	Domain        string
	BaseURL       string // https://example.com
	StreamingURL  string // wss://example.com
	InstanceName  string
	Description   string
	ContactEmail  string
	Registrations string // open, approval, closed
	MaxPostChars  int
	Version       string // weft's version
	// Media limits for the instance documents.
	MaxImageBytes, MaxVideoBytes, MaxImagePixels int64
}

// API serves the Mastodon client API.
type API struct {
	svc  *service.Service
	cfg  Settings
	log  *slog.Logger
	json *jsonCache // rendered entities by row revision (status_json.go)
	// streams counts the streams each token has open (streaming.go).
	streams streamCounts
}

// New builds the API.
func New(svc *service.Service, cfg Settings, log *slog.Logger) *API {
	return &API{svc: svc, cfg: cfg, log: log, json: newJSONCache()}
}

// Routes registers every endpoint on mux. Each group registers its own.
func (a *API) Routes(mux *http.ServeMux) {
	a.instanceRoutes(mux)
	a.accountRoutes(mux)
	a.statusRoutes(mux)
	a.mediaRoutes(mux)
	a.timelineRoutes(mux)
	a.notificationRoutes(mux)
	a.appRoutes(mux)
	a.streamingRoutes(mux)
	a.compatRoutes(mux)
	a.searchRoutes(mux)
	a.filterRoutes(mux)
	a.reportRoutes(mux)
	a.adminDomainBlockRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusNotFound, httpx.ErrorBody{Error: "Record not found"})
	})
}

// access says who may call an endpoint.
type access struct {
	scopes []string // any one of them suffices; none = no scope needed
	token  bool     // a token is required
	user   bool     // the token must act for an account (not an app-only token)
	// maxBody bounds the request body; 0 is httpx.MaxBody (uploads take more).
	maxBody int64
}

// withBody is acc for an endpoint that takes files of up to n bytes (plus
// a little for the form around them).
func (acc access) withBody(n int64) access {
	acc.maxBody = n + 64<<10
	return acc
}

// public: anyone; a token, if sent, must be valid.
var public = access{}

// ifToken: anyone may call; a token, if one is sent, must grant one of the
// scopes (Mastodon's authorize_if_got_token!).
func ifToken(scopes ...string) access { return access{scopes: scopes} }

// userScope requires a user's token with one of the scopes.
func userScope(scopes ...string) access { return access{scopes: scopes, token: true, user: true} }

// appScope requires a token (app-only ones too) with one of the scopes.
func appScope(scopes ...string) access { return access{scopes: scopes, token: true} }

// call is one API request in progress.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	caller *service.Caller // nil for anonymous requests
	params *httpx.Params
}

// viewer is the calling account's ID, 0 when anonymous.
func (c *call) viewer() int64 { return c.caller.AccountID() }

func (c *call) ctx() context.Context { return c.r.Context() }

// handler handles a call and returns what to render, or an error.
type handler func(c *call) (any, error)

// route registers pattern with its access rule. The handler's result is
// written as JSON with status 200.
func (a *API) route(mux *http.ServeMux, pattern string, acc access, h handler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		// A search with resolve=true may fetch and store remote accounts and
		// posts: it writes, so it must read the database as it is, not a
		// snapshot of reads made before its writes.
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !resolving(r) {
			ctx, err := a.svc.Snapshot(r.Context()) // before any read, the token's included
			if err != nil {
				a.fail(&call{w: w, r: r}, err)
				return
			}
			r = r.WithContext(ctx)
		}
		c := &call{w: w, r: r}
		if err := a.authorize(c, acc); err != nil {
			a.fail(c, err)
			return
		}
		limit := int64(httpx.MaxBody)
		if acc.maxBody > 0 {
			limit = acc.maxBody
		}
		p, err := httpx.ParseParams(r, limit)
		if err != nil {
			a.fail(c, err)
			return
		}
		c.params = p
		out, err := h(c)
		if err != nil {
			a.fail(c, err)
			return
		}
		if out == nil {
			out = struct{}{} // Mastodon answers {} where there is nothing to say
		}
		if raw, ok := out.(rawJSON); ok { // already encoded (status_json.go)
			httpx.WriteRawJSON(w, http.StatusOK, raw.rawJSON())
			return
		}
		httpx.WriteJSON(w, http.StatusOK, out)
	})
}

// rawJSON is a result that is already JSON.
type rawJSON interface{ rawJSON() []byte }

// fail answers with Mastodon's error JSON.
func (a *API) fail(c *call, err error) { httpx.WriteError(c.w, c.r, a.log, err) }

// bearer finds the access token: Authorization: Bearer, or access_token in
// the query string (streaming and some clients use that).
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(tok)
		}
		if tok, ok := strings.CutPrefix(h, "bearer "); ok {
			return strings.TrimSpace(tok)
		}
	}
	return r.URL.Query().Get("access_token")
}

// resolving reports whether a request asks to look remote things up.
func resolving(r *http.Request) bool {
	v := r.URL.Query().Get("resolve")
	return v != "" && v != "false" && v != "0"
}
