package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"weft/internal/config"
	"weft/internal/model"
	"weft/internal/server"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/stream"
)

// API is a running core served over real HTTP (httptest), with every door
// of weft mounted: the client API, OAuth, the web pages.
type API struct {
	*Core
	URL     string // where the test server listens, e.g. http://127.0.0.1:41234
	Config  *config.Config
	Client  *http.Client
	Handler http.Handler // the whole HTTP stack, for in-process benchmarks
	Bus     *stream.Bus  // live events, for the streaming API
	Log     *LogBuffer   // what the HTTP doors logged (NewAPI only)
}

// TestConfig is the configuration of test instances: domain weft.test over
// https (so absolute URLs read https://weft.test/…), registrations open.
func TestConfig() *config.Config {
	return &config.Config{Domain: Domain, Protocol: "https", Listen: "127.0.0.1:0", InstanceName: "weft test",
		MaxPostChars: 500, JobWorkers: 4, ShutdownTimeout: 5 * time.Second, Registrations: "open", LogLevel: slog.LevelWarn,
		Media: config.MediaConfig{Storage: "local", MaxImageBytes: 16 << 20, MaxVideoBytes: 100 << 20, MaxImagePixels: 33177600}}
}

// NewAPI starts a core on dialect d and serves it; configure may adjust the
// configuration first (nil for the defaults).
func NewAPI(t testing.TB, d store.Dialect, configure func(*config.Config)) *API {
	t.Helper()
	cfg := TestConfig()
	if configure != nil {
		configure(cfg)
	}
	var bus *stream.Bus
	c := NewCoreWith(t, d, func(deps *service.Deps) {
		bus = NewBus(t, deps.Store)
		deps.Publisher = bus
		deps.Settings.Instance = server.InstanceInfoOf(cfg)
		if cfg.Media.Storage == "s3" { // as weft serve opens it
			media, err := server.OpenMediaStorage(context.Background(), cfg)
			Must(t, err, "media storage")
			deps.Media = media
		}
	})
	logs := &LogBuffer{}
	log := logs.Logger()
	srv := server.ForCore(&server.Core{Config: cfg, Store: c.Store, Queue: c.Queue, Service: c.Service, Fed: c.Fed, Bus: bus, Log: log}, cfg, log)
	handler := srv.Handler()
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	t.Cleanup(bus.EndStreams) // first: Close waits for open streams
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &API{Core: c, URL: ts.URL, Config: cfg, Client: client, Handler: handler, Bus: bus, Log: logs}
}

// EachAPI runs fn as a subtest on each database with a fresh served core.
func EachAPI(t *testing.T, fn func(t *testing.T, a *API)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, NewAPI(t, d, nil)) })
	}
}

// Token makes an access token for an account with the given scopes.
func (a *API) Token(t testing.TB, acc *model.Account, scopes string) string {
	t.Helper()
	tok, err := a.Service.CreateToken(context.Background(), acc.ID, scopes)
	if err != nil {
		t.Fatalf("token for %s: %v", acc.Username, err)
	}
	return tok.AccessToken
}

// Account makes a local account (without a password hash, for speed) and a
// token with read, write and follow.
func (a *API) Account(t testing.TB, username string) (*model.Account, string) {
	t.Helper()
	acc := a.QuickAccount(t, username)
	return acc, a.Token(t, acc, "read write follow")
}

// Response is an answer from the test server.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d response %q: %v", r.Status, truncate(r.Body), err)
	}
}

// Map decodes a JSON object body.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// List decodes a JSON array of objects.
func (r *Response) List(t testing.TB) []map[string]any {
	t.Helper()
	var l []map[string]any
	r.JSON(t, &l)
	return l
}

// Want fails the test unless the status is want.
func (r *Response) Want(t testing.TB, want int) *Response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body %s", r.Status, want, truncate(r.Body))
	}
	return r
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// Multipart is a multipart/form-data body for Do, as apps upload files.
type Multipart struct {
	Fields map[string]string
	Files  map[string][]byte // field name → the file's bytes
}

func (m Multipart) encode(t testing.TB) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range m.Fields {
		Must(t, w.WriteField(k, v), "multipart field")
	}
	for k, data := range m.Files {
		part, err := w.CreateFormFile(k, "upload.bin")
		Must(t, err, "multipart file")
		_, err = part.Write(data)
		Must(t, err, "multipart file")
	}
	Must(t, w.Close(), "multipart")
	return &buf, w.FormDataContentType()
}

// GetURL fetches an absolute URL this instance gave out (a media file's,
// say), from the test server that stands for its domain, with extra
// request headers (nil for none).
func (a *API) GetURL(t testing.TB, rawURL string, header http.Header) *Response {
	t.Helper()
	path, ok := strings.CutPrefix(rawURL, a.Config.BaseURL())
	if !ok {
		t.Fatalf("%s is not a URL of %s", rawURL, a.Config.BaseURL())
	}
	req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
	Must(t, err, "request")
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := a.Client.Do(req)
	Must(t, err, "GET %s", rawURL)
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	Must(t, err, "read %s", rawURL)
	return &Response{Status: res.StatusCode, Header: res.Header, Body: out}
}

// Do sends a request. body may be nil, url.Values (sent as a form), Multipart, a
// string (sent as is, with no Content-Type) or anything else (sent as JSON).
// token may be "" for anonymous requests.
func (a *API) Do(t testing.TB, method, path, token string, body any) *Response {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case Multipart:
		rd, ctype = b.encode(t)
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: out}
}

// HoldWrites makes the database's writes wait until release is called (or
// the test ends): on SQLite it takes the one writer connection, on
// PostgreSQL it locks the statuses table against changes. For tests of
// what a request does while it waits.
func (a *API) HoldWrites(t testing.TB) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := a.Store.WriteDB().BeginTx(ctx, nil)
	Must(t, err, "hold writes")
	if a.Store.Dialect == store.Postgres {
		_, err = tx.ExecContext(ctx, `LOCK TABLE statuses IN EXCLUSIVE MODE`)
		Must(t, err, "lock statuses")
	}
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback() }) }
	t.Cleanup(release)
	return release
}
