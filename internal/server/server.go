package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"weft/internal/api/activitypub"
	"weft/internal/api/mastodon"
	"weft/internal/api/oauth"
	"weft/internal/config"
	"weft/internal/version"
	"weft/internal/web"
)

// Server is one running weft process.
type Server struct {
	cfg  *config.Config
	log  *slog.Logger
	core *Core

	api   *mastodon.API
	ap    *activitypub.Server
	oauth *oauth.Server
	web   *web.Web

	http     *http.Server
	redirect *http.Server
	debug    *http.Server // pprof, when debug_listen is set
	metrics  http.Handler // Prometheus' /metrics
	ln       net.Listener
}

// New opens the core and prepares the HTTP server.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Server, error) {
	core, err := OpenCore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, core: core}
	handler := s.Handler()
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// Streaming connections never go idle: end them when shutdown begins.
	s.http.RegisterOnShutdown(core.Bus.EndStreams)
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			core.Close()
			return nil, fmt.Errorf("load TLS certificate: %w", err)
		}
		s.http.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return s, nil
}

// Handler builds the HTTP handler of a core: every door (web, OAuth,
// client API, health, metrics). Tests serve it with httptest.
func (s *Server) Handler() http.Handler {
	cfg, core, log := s.cfg, s.core, s.log
	s.web = web.New(core.Service, web.Settings{BaseURL: cfg.BaseURL(), Domain: cfg.Domain, Secure: cfg.Protocol == "https",
		InstanceName: cfg.InstanceName, Description: cfg.InstanceDescription, ContactEmail: cfg.ContactEmail,
		Registrations: cfg.Registrations, MaxPostChars: cfg.MaxPostChars, MaxImageBytes: cfg.Media.MaxImageBytes,
		MaxVideoBytes: cfg.Media.MaxVideoBytes}, log)
	s.oauth = oauth.New(core.Service, s.web, oauth.Settings{BaseURL: cfg.BaseURL(), PasswordGrant: cfg.OAuthPasswordGrant}, log)
	s.api = mastodon.New(core.Service, mastodon.Settings{
		Domain: cfg.Domain, BaseURL: cfg.BaseURL(), StreamingURL: mastodon.StreamingURL(cfg.Protocol, cfg.Domain),
		InstanceName: cfg.InstanceName, Description: cfg.InstanceDescription, ContactEmail: cfg.ContactEmail,
		Registrations: cfg.Registrations, MaxPostChars: cfg.MaxPostChars, Version: version.Version,
		MaxImageBytes: cfg.Media.MaxImageBytes, MaxVideoBytes: cfg.Media.MaxVideoBytes, MaxImagePixels: cfg.Media.MaxImagePixels,
	}, log)
	s.ap = activitypub.New(core.Service, core.Fed, activitypub.Settings{Domain: cfg.Domain, BaseURL: cfg.BaseURL(), AuthorizedFetch: cfg.AuthorizedFetch}, log)
	return s.routes(s.newRegistry())
}

// ForCore is a server around an existing core without listening: for tests
// that serve Handler themselves.
func ForCore(core *Core, cfg *config.Config, log *slog.Logger) *Server {
	return &Server{cfg: cfg, log: log, core: core}
}

// Core exposes the database, queue and service (tests, admin).
func (s *Server) Core() *Core { return s.core }

// Start binds the addresses and starts the job workers. Separate from
// Serve so callers announce the server only once it is really up.
func (s *Server) Start(ctx context.Context) error {
	if err := s.listen(); err != nil {
		return err
	}
	// The workers stop through Stop at shutdown, not when ctx (the signal
	// context) ends: a signal during start-up must still shut down cleanly.
	if err := s.core.Queue.Start(context.WithoutCancel(ctx)); err != nil {
		s.closeListeners()
		return fmt.Errorf("start job workers: %w", err)
	}
	return nil
}

func (s *Server) closeListeners() {
	s.ln.Close()
	if s.debug != nil {
		s.debug.Close()
	}
	if s.redirect != nil {
		s.redirect.Close()
	}
}

func (s *Server) listen() error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	s.ln = ln
	if err := s.startDebug(); err != nil {
		ln.Close()
		return fmt.Errorf("listen on %s: %w", s.cfg.DebugListen, err)
	}
	if s.cfg.ListenRedirect != "" {
		rln, err := net.Listen("tcp", s.cfg.ListenRedirect)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s: %w", s.cfg.ListenRedirect, err)
		}
		s.redirect = &http.Server{Handler: http.HandlerFunc(s.toHTTPS), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := s.redirect.Serve(rln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("redirect server stopped", "err", err)
			}
		}()
	}
	return nil
}

// URL is where the server listens, for the start-up line.
func (s *Server) URL() string {
	scheme := "http"
	if s.http.TLSConfig != nil {
		scheme = "https"
	}
	return scheme + "://" + s.ln.Addr().String()
}

// toHTTPS sends plain-HTTP requests to the HTTPS address of the configured
// domain (never the Host header, which a client controls).
func (s *Server) toHTTPS(w http.ResponseWriter, r *http.Request) {
	target := "https://" + s.cfg.Domain + r.URL.RequestURI()
	http.Redirect(w, r, target, http.StatusPermanentRedirect)
}

// Serve serves HTTP until ctx is cancelled, then shuts down gracefully: it
// stops accepting, lets in-flight requests and running jobs finish within
// the shutdown timeout, and closes the database. Call Start first.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		var err error
		if s.http.TLSConfig != nil {
			err = s.http.ServeTLS(s.ln, "", "")
		} else {
			err = s.http.Serve(s.ln)
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		errc <- err
	}()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	return errors.Join(serveErr, s.shutdown())
}

func (s *Server) shutdown() error {
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	if err := s.http.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("stop HTTP server: %w", err))
	}
	if s.redirect != nil {
		_ = s.redirect.Shutdown(ctx)
	}
	if s.debug != nil {
		_ = s.debug.Close() // profiles in progress are not worth waiting for
	}
	if err := s.core.Queue.Stop(ctx); err != nil && !strings.Contains(err.Error(), "not started") {
		errs = append(errs, fmt.Errorf("stop job workers: %w", err))
	}
	s.core.Close()
	return errors.Join(errs...)
}
