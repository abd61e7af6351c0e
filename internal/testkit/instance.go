package testkit

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"weft/internal/config"
	"weft/internal/server"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/stream"
)

// NewInstance starts a weft instance that other instances can reach: it
// listens on a loopback port first, so that its domain is that address
// ("127.0.0.1:PORT", over http) and every actor and post id it hands out
// is fetchable. Several instances in one test are separate servers that
// federate over real HTTP, as two weft servers on the fediverse do.
func NewInstance(t testing.TB, d store.Dialect) *API {
	t.Helper()
	return NewInstanceWith(t, d, nil)
}

// NewInstanceWith is NewInstance with configure changing the configuration
// first (authorized fetch, …); configure may be nil.
func NewInstanceWith(t testing.TB, d store.Dialect, configure func(*config.Config)) *API {
	t.Helper()
	return newInstance(t, d, configure, nil)
}

// NewInstanceAt is NewInstance with the service reading the time from
// clock (what it stores and how old it finds things; signatures and jobs
// keep the real time).
func NewInstanceAt(t testing.TB, d store.Dialect, clock *Clock) *API {
	t.Helper()
	return newInstance(t, d, nil, clock)
}

func newInstance(t testing.TB, d store.Dialect, configure func(*config.Config), clock *Clock) *API {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	cfg := TestConfig()
	cfg.Domain = ln.Addr().String()
	cfg.Protocol = "http"
	cfg.FederationAllowPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	if configure != nil {
		configure(cfg)
	}
	var bus *stream.Bus
	c := NewCoreWith(t, d, func(deps *service.Deps) {
		bus = NewBus(t, deps.Store)
		deps.Publisher = bus
		deps.Settings.Domain = cfg.Domain
		deps.Settings.BaseURL = cfg.BaseURL()
		deps.Settings.FederationAllowlist = cfg.FederationAllowlist
		deps.Settings.Instance = server.InstanceInfoOf(cfg)
		if clock != nil {
			deps.Now = clock.Now
		}
		deps.Settings.Media = service.MediaSettings{MaxImageBytes: cfg.Media.MaxImageBytes, MaxVideoBytes: cfg.Media.MaxVideoBytes,
			MaxImagePixels: cfg.Media.MaxImagePixels, RemoteCacheBytes: cfg.Media.RemoteCacheBytes}
	})
	log := testLogger()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srv := server.ForCore(&server.Core{Config: cfg, Store: c.Store, Queue: c.Queue, Service: c.Service, Fed: c.Fed, Bus: bus, Log: log}, cfg, log)
	handler := srv.Handler()
	ts := httptest.NewUnstartedServer(handler)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(bus.EndStreams)
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &API{Core: c, URL: ts.URL, Config: cfg, Client: client, Handler: handler, Bus: bus}
}
