package server

import (
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startDebug serves Go's profiler on the debug_listen address, on its own
// listener so it is never reachable through the public one.
func (s *Server) startDebug() error {
	if s.cfg.DebugListen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.DebugListen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics) // for a scraper that reaches this address
	}
	s.debug = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.debug.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("debug server stopped", "err", err)
		}
	}()
	return nil
}
