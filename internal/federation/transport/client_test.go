package transport

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"weft/internal/httpsig"
)

const testKeyID = "https://weft.example/users/alice#main-key"

// RSA key generation is slow enough to matter when every test wants a key.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := httpsig.GenerateKey()
	if err != nil {
		panic(err)
	}
	return k
})

func testSigner() *Signer { return &Signer{KeyID: testKeyID, Key: testKey()} }

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

func newLoopbackClient(t *testing.T) *Client {
	t.Helper()
	c := New(Options{AllowPrivate: loopback, UserAgent: "weft-test/1.0"})
	t.Cleanup(c.tr.CloseIdleConnections)
	return c
}

// verifySigned checks r the way an inbox or authorized-fetch server would.
func verifySigned(r *http.Request, body []byte) (httpsig.Result, error) {
	res, err := httpsig.Verify(r, body, httpsig.VerifyOptions{Scheme: "http"})
	if err != nil {
		return res, err
	}
	if res.KeyID != testKeyID {
		return res, fmt.Errorf("keyId %q", res.KeyID)
	}
	return res, res.Verify(&testKey().PublicKey)
}

func writeJSON(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = io.WriteString(w, body)
}

func TestGetSigned(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		res, err := verifySigned(r, nil)
		if err != nil {
			t.Errorf("server: verify: %v", err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		for _, want := range []string{"(request-target)", "host", "date", "accept"} {
			if !slices.Contains(res.Covered, want) {
				t.Errorf("server: signature covers %v, missing %q", res.Covered, want)
			}
		}
		if res.Scheme != httpsig.Cavage {
			t.Errorf("server: scheme %v, want cavage", res.Scheme)
		}
		if got := r.Header.Get("User-Agent"); got != "weft-test/1.0" {
			t.Errorf("server: User-Agent %q", got)
		}
		if got := r.Header.Get("Accept"); got != activityAccept {
			t.Errorf("server: Accept %q", got)
		}
		writeJSON(w, `{"id":"x"}`)
	}))
	defer srv.Close()

	c := newLoopbackClient(t)
	body, final, err := c.FetchActivity(context.Background(), srv.URL+"/users/bob?page=1", testSigner())
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"id":"x"}` || final != srv.URL+"/users/bob?page=1" {
		t.Fatalf("got %q from %q", body, final)
	}

	// Unsigned GETs carry no signature at all.
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Signature") != "" || r.Header.Get("Date") != "" {
			t.Errorf("unsigned GET carries Signature %q Date %q", r.Header.Get("Signature"), r.Header.Get("Date"))
		}
		if got := r.Header.Get("User-Agent"); got != "weft-test/1.0" {
			t.Errorf("server: User-Agent %q", got)
		}
		w.Header().Set("Content-Type", "application/jrd+json; charset=utf-8")
		_, _ = io.WriteString(w, `{}`)
	})
	if _, _, err := c.GetJSON(context.Background(), srv.URL+"/.well-known/webfinger", "application/jrd+json", nil); err != nil {
		t.Fatal(err)
	}
}

func TestRedirects(t *testing.T) {
	var hops atomic.Int32
	// other is a second origin, so one hop changes the signed host.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		if _, err := verifySigned(r, nil); err != nil {
			t.Errorf("other: verify %s: %v", r.URL, err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.Header.Get("Referer") != "" {
			t.Errorf("other: Referer %q leaked", r.Header.Get("Referer"))
		}
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err == nil && n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
			return
		}
		writeJSON(w, `{"done":true}`)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hops.Add(1)
		if _, err := verifySigned(r, nil); err != nil {
			t.Errorf("srv: verify %s: %v", r.URL, err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		// /start/N redirects to another origin that needs N-1 more hops.
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/start/%d", &n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("%s/hop/%d", other.URL, n-1), http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	c := newLoopbackClient(t)

	body, final, err := c.FetchActivity(context.Background(), srv.URL+"/start/3", testSigner())
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"done":true}` || final != other.URL+"/hop/0" {
		t.Fatalf("got %q from %q", body, final)
	}
	if n := hops.Load(); n != 4 {
		t.Fatalf("%d requests, want 4 (3 redirects)", n)
	}

	hops.Store(0)
	_, _, err = c.FetchActivity(context.Background(), srv.URL+"/start/4", testSigner())
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusFound || se.URL != other.URL+"/hop/1" {
		t.Fatalf("4 redirects: err %v, want StatusError 302 at /hop/1", err)
	}
	if se.Permanent() {
		t.Error("a redirect is not a permanent failure")
	}
	if n := hops.Load(); n != 4 {
		t.Fatalf("%d requests, want 4 (the 4th redirect not followed)", n)
	}
}

func TestRedirectRefused(t *testing.T) {
	// A listener on ::1 that must never be reached: the client allows only
	// 127.0.0.0/8, so ::1 fails the address check before connecting.
	var v6hits atomic.Int32
	var v6port string
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		v6 := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v6hits.Add(1)
			writeJSON(w, `{}`)
		}))
		v6.Listener.Close()
		v6.Listener = ln
		v6.Start()
		defer v6.Close()
		_, v6port, _ = net.SplitHostPort(ln.Addr().String())
	} else {
		v6port = "8080" // no IPv6 here; the check still refuses before dialling
	}

	var target atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", target.Load().(string))
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	c := newLoopbackClient(t)

	for _, tc := range []struct {
		loc  string
		want error
	}{
		{"http://[::1]:" + v6port + "/x", ErrForbiddenAddress},
		{"http://10.0.0.1:" + v6port + "/x", ErrForbiddenAddress},
		{"http://169.254.169.254/latest/meta-data/", ErrForbiddenAddress},
		{"http://[::ffff:10.0.0.1]/", ErrForbiddenAddress},
		{"http://[64:ff9b::a9fe:a9fe]/", ErrForbiddenAddress},
		{"ftp://example.com/x", ErrBadURL},
		{"http://user:secret@example.com/x", ErrBadURL},
		{"file:///etc/passwd", ErrBadURL},
	} {
		target.Store(tc.loc)
		start := time.Now()
		_, _, err := c.FetchActivity(context.Background(), srv.URL+"/", testSigner())
		if !errors.Is(err, tc.want) {
			t.Errorf("redirect to %s: err %v, want %v", tc.loc, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the password: %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("redirect to %s took %v: did it try to connect?", tc.loc, d)
		}
	}
	if n := v6hits.Load(); n != 0 {
		t.Errorf("the refused [::1] server was reached %d times", n)
	}
}

func TestLoopbackPolicy(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, `{}`)
	}))
	defer srv.Close()

	strict := New(Options{})
	_, _, err := strict.FetchActivity(context.Background(), srv.URL+"/", nil)
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("without AllowPrivate: err %v, want ErrForbiddenAddress", err)
	}
	if err := strict.Post(context.Background(), srv.URL+"/inbox", []byte(`{}`), testSigner(), httpsig.Cavage); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("Post without AllowPrivate: err %v, want ErrForbiddenAddress", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("refused server was reached %d times", n)
	}

	if _, _, err := newLoopbackClient(t).FetchActivity(context.Background(), srv.URL+"/", nil); err != nil {
		t.Fatalf("with 127.0.0.0/8 allowed: %v", err)
	}

	// The caller's slice is copied: widening it later changes nothing.
	allow := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	c := New(Options{AllowPrivate: allow})
	allow[0] = netip.MustParsePrefix("127.0.0.0/8")
	if _, _, err := c.FetchActivity(context.Background(), srv.URL+"/", nil); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("after mutating the caller's slice: err %v", err)
	}
}

// TestResolvedAddresses plays DNS server: the check must apply to what a
// name resolves to, at dial time.
func TestResolvedAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := verifySigned(r, nil); err != nil {
			t.Errorf("server: verify: %v", err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if !strings.HasPrefix(r.Host, "peer.test:") {
			t.Errorf("server: Host %q, want the name", r.Host)
		}
		writeJSON(w, `{}`)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	c := newLoopbackClient(t)
	dns := map[string][]netip.Addr{
		"rebind.test": {netip.MustParseAddr("10.1.2.3")},
		"peer.test":   {netip.MustParseAddr("192.168.1.1"), netip.MustParseAddr("::ffff:127.0.0.1")},
		"meta.test":   {netip.MustParseAddr("::ffff:169.254.169.254")},
		"empty.test":  {},
	}
	var lookups atomic.Int32
	c.lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		lookups.Add(1)
		if a, ok := dns[host]; ok {
			return slices.Clone(a), nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}

	if _, _, err := c.FetchActivity(context.Background(), "http://rebind.test:"+port+"/", testSigner()); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("rebind.test: err %v, want ErrForbiddenAddress", err)
	}
	if _, _, err := c.FetchActivity(context.Background(), "http://meta.test:"+port+"/", testSigner()); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("meta.test: err %v, want ErrForbiddenAddress", err)
	}
	// The forbidden address is skipped and the allowed one dialled.
	if _, _, err := c.FetchActivity(context.Background(), "http://peer.test:"+port+"/", testSigner()); err != nil {
		t.Errorf("peer.test: %v", err)
	}
	if _, _, err := c.FetchActivity(context.Background(), "http://empty.test:"+port+"/", nil); err == nil {
		t.Error("empty.test: no error")
	}
	var dnsErr *net.DNSError
	if _, _, err := c.FetchActivity(context.Background(), "http://nx.test/", nil); !errors.As(err, &dnsErr) {
		t.Errorf("nx.test: err %v, want a DNS error", err)
	}
	if lookups.Load() == 0 {
		t.Error("the resolver hook was never used")
	}
}

func TestTooLarge(t *testing.T) {
	big := "[" + strings.Repeat(`"x",`, 600) + `"x"]` // > 2 KiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/length": // announced in Content-Length
			_, _ = io.WriteString(w, big)
		case "/chunked": // discovered while reading
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, big)
		case "/exact":
			_, _ = io.WriteString(w, big[:1024])
		}
	}))
	defer srv.Close()
	c := New(Options{AllowPrivate: loopback, MaxBody: 1024})
	defer c.tr.CloseIdleConnections()

	for _, p := range []string{"/length", "/chunked"} {
		if _, _, err := c.GetJSON(context.Background(), srv.URL+p, "application/json", nil); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err %v, want ErrTooLarge", p, err)
		}
	}
	body, _, err := c.GetJSON(context.Background(), srv.URL+"/exact", "application/json", nil)
	if err != nil || len(body) != 1024 {
		t.Errorf("/exact: %d bytes, err %v", len(body), err)
	}
}

func TestContentType(t *testing.T) {
	var ct atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := ct.Load().(string); v != "" {
			w.Header().Set("Content-Type", v)
		} else {
			w.Header()["Content-Type"] = nil // suppress sniffing
		}
		_, _ = io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	c := newLoopbackClient(t)

	for _, tc := range []struct {
		ct string
		ok bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"APPLICATION/Activity+JSON", true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{"application/jrd+json", true},
		{"application/vnd.example+json", true},
		{"application/json; charset=utf-8; charset=utf-8", true}, // sloppy params are tolerated
		{"text/html; charset=utf-8", false},
		{"text/plain", false},
		{"application/jsonx", false},
		{"application/+json", false},
		{"+json", false},
		{"application/xml", false},
		{"", false},
		{";;;", false},
	} {
		ct.Store(tc.ct)
		_, _, err := c.GetJSON(context.Background(), srv.URL+"/", "application/json", nil)
		if tc.ok && err != nil {
			t.Errorf("Content-Type %q: %v", tc.ct, err)
		}
		if !tc.ok && !errors.Is(err, ErrNotJSON) {
			t.Errorf("Content-Type %q: err %v, want ErrNotJSON", tc.ct, err)
		}
	}
}

func TestStatusErrors(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var code int
		_, _ = fmt.Sscanf(r.URL.Path, "/%d", &code)
		switch r.URL.Query().Get("ra") {
		case "secs":
			w.Header().Set("Retry-After", "120")
		case "date":
			w.Header().Set("Retry-After", date)
		case "junk":
			w.Header().Set("Retry-After", "soon")
		}
		w.WriteHeader(code)
	}))
	defer srv.Close()
	c := newLoopbackClient(t)

	for _, tc := range []struct {
		path       string
		permanent  bool
		retryAfter func(time.Duration) bool
	}{
		{"/404", true, zero},
		{"/410", true, zero},
		{"/400", true, zero},
		{"/408", false, zero},
		{"/429?ra=secs", false, func(d time.Duration) bool { return d == 120*time.Second }},
		{"/429?ra=junk", false, zero},
		{"/503?ra=date", false, func(d time.Duration) bool { return d > 80*time.Second && d <= 90*time.Second }},
		{"/500", false, zero},
	} {
		check := func(op string, err error) {
			var se *StatusError
			if !errors.As(err, &se) {
				t.Errorf("%s %s: err %v, want *StatusError", op, tc.path, err)
				return
			}
			if se.URL != srv.URL+tc.path || !strings.HasPrefix(tc.path, fmt.Sprintf("/%d", se.Code)) {
				t.Errorf("%s %s: %+v", op, tc.path, se)
			}
			if se.Permanent() != tc.permanent {
				t.Errorf("%s %s: Permanent() = %v", op, tc.path, se.Permanent())
			}
			if !tc.retryAfter(se.RetryAfter) {
				t.Errorf("%s %s: RetryAfter %v", op, tc.path, se.RetryAfter)
			}
			if se.Error() == "" {
				t.Errorf("%s %s: empty message", op, tc.path)
			}
		}
		_, _, err := c.FetchActivity(context.Background(), srv.URL+tc.path, nil)
		check("GET", err)
		check("POST", c.Post(context.Background(), srv.URL+tc.path, []byte(`{}`), testSigner(), httpsig.Cavage))
	}
}

func zero(d time.Duration) bool { return d == 0 }

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{" 30 ", 30 * time.Second},
		{"-5", 0},
		{"1.5", 0},
		{"soon", 0},
		{now.Add(time.Hour).Format(http.TimeFormat), time.Hour},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"99999999999999999999999", time.Duration(1<<63-1) / time.Second * time.Second},
	} {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestPostSigned(t *testing.T) {
	activity := []byte(`{"type":"Follow","actor":"https://weft.example/users/alice"}`)
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		want := activity
		if r.URL.Path == "/empty" {
			want = []byte{}
		}
		if r.Method != http.MethodPost {
			t.Errorf("server: %s %s", r.Method, r.URL)
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server: read: %v", err)
		}
		res, err := verifySigned(r, body)
		if err != nil {
			t.Errorf("server: verify: %v", err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != activityJSON {
			t.Errorf("server: Content-Type %q", ct)
		}
		if a := r.Header.Get("Accept"); a != activityAccept {
			t.Errorf("server: Accept %q", a)
		}
		if ua := r.Header.Get("User-Agent"); ua != "weft-test/1.0" {
			t.Errorf("server: User-Agent %q", ua)
		}
		if string(body) != string(want) {
			t.Errorf("server: body %q", body)
		}
		got.Store(res)
		// A long answer must not stall or fail the delivery.
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, strings.Repeat("ok\n", 50000))
	}))
	defer srv.Close()
	c := newLoopbackClient(t)

	for _, tc := range []struct {
		scheme httpsig.Scheme
		digest string
	}{
		{httpsig.Cavage, "digest"},
		{httpsig.RFC9421, "content-digest"},
	} {
		got.Store(httpsig.Result{})
		if err := c.Post(context.Background(), srv.URL+"/inbox", activity, testSigner(), tc.scheme); err != nil {
			t.Fatalf("%v: %v", tc.scheme, err)
		}
		res := got.Load().(httpsig.Result)
		if res.Scheme != tc.scheme || !slices.Contains(res.Covered, tc.digest) {
			t.Errorf("%v: server saw scheme %v covering %v, want %q covered", tc.scheme, res.Scheme, res.Covered, tc.digest)
		}
	}

	// An empty body still gets a digest, which receivers insist on.
	for _, scheme := range []httpsig.Scheme{httpsig.Cavage, httpsig.RFC9421} {
		if err := c.Post(context.Background(), srv.URL+"/empty", nil, testSigner(), scheme); err != nil {
			t.Errorf("nil body, %v: %v", scheme, err)
		}
	}
}

func TestPostRedirectNotFollowed(t *testing.T) {
	var followed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed.Add(1)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c := newLoopbackClient(t)

	err := c.Post(context.Background(), srv.URL+"/inbox", []byte(`{}`), testSigner(), httpsig.RFC9421)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusTemporaryRedirect || se.URL != srv.URL+"/inbox" {
		t.Fatalf("err %v, want StatusError 307", err)
	}
	if followed.Load() != 0 {
		t.Fatal("the redirect was followed")
	}
}

func TestBadURL(t *testing.T) {
	c := newLoopbackClient(t)
	for _, raw := range []string{
		"",
		"ftp://example.com/x",
		"file:///etc/passwd",
		"gopher://example.com/",
		"mailto:alice@example.com",
		"http:///no-host",
		"https://:443/no-host",
		"http:example.com",
		"//example.com/x",
		"/relative",
		"example.com/x",
		"http://user@example.com/",
		"https://user:secret@example.com/",
		"http://[::1",
		"http://example.com:99999/",
		"http://example.com:0/",
		"http://exa mple.com/",
		"http://example.com/\x00",
	} {
		if _, _, err := c.FetchActivity(context.Background(), raw, nil); !errors.Is(err, ErrBadURL) {
			t.Errorf("GET %q: err %v, want ErrBadURL", raw, err)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("GET %q: error leaks the password: %v", raw, err)
		}
		if err := c.Post(context.Background(), raw, []byte(`{}`), testSigner(), httpsig.Cavage); !errors.Is(err, ErrBadURL) {
			t.Errorf("POST %q: err %v, want ErrBadURL", raw, err)
		}
	}
}

func TestHTTPSDowngradeRefused(t *testing.T) {
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		writeJSON(w, `{}`)
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			writeJSON(w, `{"tls":true}`)
			return
		}
		http.Redirect(w, r, plain.URL+"/", http.StatusFound)
	}))
	defer secure.Close()

	c := newLoopbackClient(t)
	c.tr.TLSClientConfig.RootCAs = secure.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	if body, _, err := c.FetchActivity(context.Background(), secure.URL+"/ok", testSigner()); err != nil || string(body) != `{"tls":true}` {
		t.Fatalf("https: %q, %v", body, err)
	}
	if _, _, err := c.FetchActivity(context.Background(), secure.URL+"/down", testSigner()); !errors.Is(err, ErrBadURL) {
		t.Fatalf("https→http redirect: err %v, want ErrBadURL", err)
	}
	if plainHits.Load() != 0 {
		t.Fatal("the http server was reached")
	}
}

func TestTimeout(t *testing.T) {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"partial":`)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	defer srv.Close()
	defer close(done) // runs first, so Close does not wait on handlers

	c := New(Options{AllowPrivate: loopback, Timeout: 50 * time.Millisecond})
	defer c.tr.CloseIdleConnections()
	for _, p := range []string{"/slow-headers", "/slow-body"} {
		start := time.Now()
		_, _, err := c.GetJSON(context.Background(), srv.URL+p, "application/json", nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err %v, want a deadline error", p, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", p, d)
		}
	}
	if err := c.Post(context.Background(), srv.URL+"/inbox", []byte(`{}`), testSigner(), httpsig.Cavage); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("POST: err %v, want a deadline error", err)
	}
}

// TestNoPanics feeds the API inputs a careless caller might.
func TestNoPanics(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, `{}`) }))
	defer srv.Close()
	c := newLoopbackClient(t)

	var nilCtx context.Context
	if _, _, err := c.GetJSON(nilCtx, srv.URL, "", nil); err != nil {
		t.Errorf("nil context: %v", err)
	}
	if err := c.Post(nilCtx, srv.URL, nil, testSigner(), httpsig.RFC9421); err != nil {
		t.Errorf("nil context: %v", err)
	}
	if _, _, err := c.FetchActivity(context.Background(), srv.URL, &Signer{KeyID: testKeyID}); err == nil {
		t.Error("signer without key: no error")
	}
	if _, _, err := c.FetchActivity(context.Background(), srv.URL, &Signer{Key: testKey()}); err == nil {
		t.Error("signer without key id: no error")
	}
	if _, _, err := c.GetJSON(context.Background(), srv.URL, "a\r\nX-Injected: 1", nil); err == nil {
		t.Error("header injection in Accept: no error")
	}
	if err := c.Post(context.Background(), srv.URL, []byte(`{}`), testSigner(), httpsig.Scheme(99)); err == nil {
		t.Error("unknown scheme: no error")
	}
	if err := c.Post(context.Background(), srv.URL, []byte(`{}`), nil, httpsig.Cavage); err == nil {
		t.Error("nil signer: no error")
	}
	var zero Client
	if _, _, err := zero.FetchActivity(context.Background(), srv.URL, nil); err == nil {
		t.Error("zero Client: no error")
	}
	var nilc *Client
	if err := nilc.Post(context.Background(), srv.URL, nil, testSigner(), httpsig.Cavage); err == nil {
		t.Error("nil Client: no error")
	}
	var nilse *StatusError
	_ = nilse.Error()
	_ = nilse.Permanent()
	if New(Options{}).checkAddr(netip.Addr{}) == nil {
		t.Error("the zero Addr passed the check")
	}
	if New(Options{}).control("tcp", "not an address", nil) == nil {
		t.Error("control accepted an unparsable address")
	}
	if c.tr.Proxy != nil {
		t.Error("the transport uses a proxy")
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
	}{
		// Public.
		{"1.1.1.1", true},
		{"8.8.8.8", true},
		{"93.184.215.14", true},
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"172.15.255.255", true},
		{"172.32.0.0", true},
		{"192.0.1.1", true},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"223.255.255.255", true},
		{"2606:4700:4700::1111", true},
		{"2a01:4f8::1", true},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"2002:808:808::1", true},  // 6to4 of 8.8.8.8

		// IPv4 internal and reserved.
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"10.0.0.1", false},
		{"10.255.255.255", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"169.254.169.254", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.0.0.8", false},
		{"192.0.2.1", false},
		{"192.168.0.1", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},

		// IPv6 internal and reserved.
		{"::", false},
		{"::1", false},
		{"::127.0.0.1", false},
		{"::8.8.8.8", false}, // IPv4-compatible, deprecated
		{"fc00::1", false},
		{"fd12:3456:789a::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"febf::1", false},
		{"fec0::1", false},
		{"ff02::1", false},
		{"ff05::1:3", false},
		{"100::1", false},
		{"2001:db8::1", false},
		{"2001::1", false},
		{"64:ff9b:1::a00:1", false},

		// IPv4-mapped forms.
		{"::ffff:127.0.0.1", false},
		{"::ffff:7f00:1", false},
		{"::ffff:10.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:192.168.1.1", false},
		{"::ffff:100.64.0.1", false},
		{"::ffff:0.0.0.0", false},
		{"::ffff:255.255.255.255", false},
		{"::ffff:224.0.0.1", false},
		{"::ffff:198.18.0.1", false},
		{"::ffff:0:127.0.0.1", false}, // IPv4-translated

		// NAT64 and 6to4 of internal addresses.
		{"64:ff9b::7f00:1", false},
		{"64:ff9b::127.0.0.1", false},
		{"64:ff9b::a9fe:a9fe", false},
		{"64:ff9b::10.0.0.1", false},
		{"64:ff9b::c0a8:101", false},
		{"2002:7f00:1::", false},
		{"2002:a00:1::1", false},
	} {
		a := netip.MustParseAddr(tc.addr)
		why := classify(a)
		if (why == "") != tc.public {
			t.Errorf("classify(%s) = %q, want public=%v", tc.addr, why, tc.public)
		}
	}
	if classify(netip.Addr{}) == "" {
		t.Error("the zero Addr is public")
	}
}

func TestAllowPrivate(t *testing.T) {
	c := New(Options{AllowPrivate: []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("fd00::/8"),
		netip.MustParsePrefix("10.1.2.3/8"), // unmasked prefixes are masked
		{},                                  // invalid prefixes are ignored
	}})
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1", true},
		{"::ffff:127.0.0.1", true}, // same host as 127.0.0.1
		{"10.9.9.9", true},
		{"fd00::1", true},
		{"8.8.8.8", true}, // public needs no allowance
		{"::1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"fc00::1", false},
		{"64:ff9b::7f00:1", false}, // through a gateway the operator did not name
	} {
		err := c.checkAddr(netip.MustParseAddr(tc.addr))
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.addr, err)
		}
		if !tc.ok && !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: err %v, want ErrForbiddenAddress", tc.addr, err)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Options{})
	if c.opts.Timeout != defaultTimeout || c.opts.MaxBody != defaultMaxBody || c.opts.UserAgent != defaultUserAgent {
		t.Errorf("defaults: %+v", c.opts)
	}
	if c.tr.MaxIdleConnsPerHost != 4 || c.tr.IdleConnTimeout != 90*time.Second ||
		c.tr.TLSHandshakeTimeout != tlsTimeout || c.tr.ResponseHeaderTimeout != headerTimeout ||
		c.dialer.Timeout != dialTimeout {
		t.Errorf("transport settings: %+v", c.tr)
	}
}
