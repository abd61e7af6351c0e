package server

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"weft/internal/api/files"
	"weft/internal/httpx"
	"weft/internal/service"
)

// routes builds the HTTP handler. The client API, ActivityPub and the web
// UI add their routes here as they arrive.
func (s *Server) routes(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	s.web.Routes(mux)
	s.oauth.Routes(mux)
	s.api.Routes(mux)
	s.ap.Routes(mux)
	files.New(s.core.Service, s.log).Routes(mux)
	s.ap.NodeInfoRoutes(mux)
	imgs := drawDefaults()
	mux.HandleFunc("GET /avatars/original/missing.png", servePNG(imgs.avatar))
	mux.HandleFunc("GET /headers/original/missing.png", servePNG(imgs.header))
	mux.HandleFunc("GET /livez", s.livez)
	mux.HandleFunc("GET /readyz", s.readyz)
	s.metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	mux.Handle("GET /metrics", s.metricsGuard(s.metrics))
	mux.HandleFunc("/", s.web.NotFound)
	metrics := httpx.NewMetrics(reg)
	h, err := httpx.Compress(mux)
	if err != nil {
		panic(fmt.Sprintf("compression: %v", err)) // fixed options: a bug, caught by every test
	}
	if s.cfg.RateLimit {
		h = s.rateLimits(h)
	}
	if s.cfg.Protocol == "https" {
		h = httpx.HSTS(h)
	}
	// The path is normalised first, so logs and metrics see the route that served it.
	return httpx.Chain(h, httpx.TrimTrailingSlash, httpx.WithRequestID, httpx.WithClientIP(s.cfg.TrustedProxies),
		httpx.Recover(s.log), httpx.AccessLog(s.log), metrics.Wrap, httpx.CORS)
}

// rateLimits applies Mastodon's limits: API requests, 1,500 per 5 minutes
// per signed-in account (all its tokens together) and 300 per client IP
// for the rest — anonymous calls, and app-only tokens, so that minting
// client_credentials tokens gives no fresh budget; tokens minted at
// /oauth/token, 60 per 5 minutes per IP; and 5 sign-ups per 30 minutes per
// IP; 20 remote-follow look-ups per 5 minutes per IP. Streaming
// connections are long-lived and not counted.
func (s *Server) rateLimits(next http.Handler) http.Handler {
	api := httpx.NewRateLimiter(httpx.Limit{Max: 300, MaxAccount: 1500, Window: 5 * time.Minute}, s.cfg.TrustedProxies)
	api.KeyOf = s.apiRateKey
	tokens := httpx.NewRateLimiter(httpx.Limit{Max: 60, Window: 5 * time.Minute, ByIP: true}, s.cfg.TrustedProxies)
	signUp := httpx.NewRateLimiter(httpx.Limit{Max: 5, Window: 30 * time.Minute, ByIP: true}, s.cfg.TrustedProxies)
	// A visitor's remote follow makes this server ask another (WebFinger).
	remoteFollow := httpx.NewRateLimiter(httpx.Limit{Max: 20, Window: 5 * time.Minute, ByIP: true}, s.cfg.TrustedProxies)
	h := api.Wrap(func(r *http.Request) bool {
		return strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/api/v1/streaming")
	}, next)
	h = tokens.Wrap(func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/oauth/token" }, h)
	h = remoteFollow.Wrap(func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/auth/remote_follow" }, h)
	return signUp.Wrap(func(r *http.Request) bool {
		return r.Method == http.MethodPost && (r.URL.Path == "/api/v1/accounts" || r.URL.Path == "/auth/sign_up")
	}, h)
}

// apiRateKey counts an API request against its token's account; app-only
// and unknown tokens count against the client IP. The caller it resolves
// rides along for the handler (service.WithCaller), which reads it again
// for nothing.
func (s *Server) apiRateKey(r *http.Request) (string, *http.Request) {
	tok := httpx.BearerToken(r)
	if tok == "" {
		return "", r
	}
	caller, err := s.core.Service.TokenCaller(r.Context(), tok)
	if err != nil {
		return "", r // the handler answers 401
	}
	r = r.WithContext(service.WithCaller(r.Context(), tok, caller))
	if caller.Account == nil {
		return "", r
	}
	return "account:" + strconv.FormatInt(caller.Account.ID, 10), r
}

// livez answers while the process runs.
func (s *Server) livez(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readyz answers 200 when the database answers, 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.core.Store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// metricsGuard keeps /metrics on the main port from the public: it
// answers requests with the metrics_token, or, without one configured,
// clients on this machine only (not through a proxy). debug_listen serves
// it to anyone who reaches that address.
func (s *Server) metricsGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowed := false
		if tok := s.cfg.MetricsToken; tok != "" {
			allowed = subtle.ConstantTimeCompare([]byte(httpx.BearerToken(r)), []byte(tok)) == 1
		} else if ip, err := netip.ParseAddr(httpx.ClientIPOf(r)); err == nil {
			allowed = ip.IsLoopback()
		}
		if !allowed {
			httpx.WriteJSON(w, http.StatusNotFound, httpx.ErrorBody{Error: "Not found"})
			return
		}
		next.ServeHTTP(w, r)
	})
}
