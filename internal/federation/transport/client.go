// Package transport is the HTTP client for every request weft sends to
// another server: fetching actors, objects and WebFinger documents, and
// delivering activities.
//
// Federation makes us fetch URLs that strangers choose, so the client is
// built to be safe against server-side request forgery: it only speaks
// http(s), never uses a proxy from the environment, and refuses at dial
// time to connect to loopback, private and other internal addresses
// (see classify) unless the operator allowed them. Every response is bounded
// in time and size.
package transport

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"weft/internal/httpsig"
)

const (
	defaultTimeout   = 10 * time.Second
	defaultMaxBody   = 1 << 20
	defaultUserAgent = "weft"
	maxRedirects     = 3
	// discardLimit bounds what we read of bodies we do not want: enough
	// for the usual short answer so the connection can be reused, small
	// enough that a peer cannot make us download a large file.
	discardLimit  = 64 << 10
	dialTimeout   = 5 * time.Second
	tlsTimeout    = 5 * time.Second
	headerTimeout = 10 * time.Second
	// maxHeaderBytes bounds response headers, which net/http would
	// otherwise accept up to 1 MiB per response.
	maxHeaderBytes = 64 << 10

	activityJSON   = "application/activity+json"
	activityAccept = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

var (
	// ErrForbiddenAddress: the host resolves to an address federation may
	// not reach. Returned errors wrap it with the address and the reason.
	ErrForbiddenAddress = errors.New("transport: address not reachable by federation")
	// ErrTooLarge: the response body exceeds Options.MaxBody.
	ErrTooLarge = errors.New("transport: response body too large")
	// ErrNotJSON: a 2xx answer whose Content-Type is not a JSON type.
	ErrNotJSON = errors.New("transport: response is not JSON")
	// ErrBadURL: not an absolute http(s) URL with a host and without
	// userinfo, either as given or as a redirect target.
	ErrBadURL = errors.New("transport: bad URL")
)

// Options configure the client.
type Options struct {
	// AllowPrivate lists addresses that may be reached although they are
	// loopback, private or otherwise internal (config key
	// federation_allow_private). Meant for development and tests.
	AllowPrivate []netip.Prefix
	// UserAgent is sent on every request, e.g.
	// "weft/1.0 (+https://example.com/)". Default "weft".
	UserAgent string
	// Timeout bounds a whole request including redirects and reading the
	// body. Default 10s.
	Timeout time.Duration
	// MaxBody is the largest response body read. Default 1 MiB.
	MaxBody int64
}

// Signer signs requests as one actor.
type Signer struct {
	KeyID string
	Key   *rsa.PrivateKey
}

// Client sends federation requests. It is safe for concurrent use and
// should be shared, so that connections are pooled.
type Client struct {
	opts   Options
	allow  []netip.Prefix
	tr     *http.Transport
	dialer *net.Dialer
	// lookup is a field so tests can play DNS server.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// New makes a Client.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = defaultMaxBody
	}
	if o.UserAgent == "" {
		o.UserAgent = defaultUserAgent
	}
	c := &Client{lookup: lookupNetIP}
	for _, p := range o.AllowPrivate {
		if p.IsValid() {
			c.allow = append(c.allow, p.Masked())
		}
	}
	// Our own copy, so a caller reusing its slice cannot widen the
	// allow-list of a running client.
	o.AllowPrivate = c.allow
	c.opts = o
	c.dialer = &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second, Control: c.control}
	c.tr = &http.Transport{
		// An environment proxy would make the connection, and so the
		// address check, someone else's business.
		Proxy:       nil,
		DialContext: c.dialContext,
		// A custom DialContext turns HTTP/2 off unless asked for.
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    tlsTimeout,
		ResponseHeaderTimeout:  headerTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
	}
	return c
}

// StatusError is a non-2xx answer.
type StatusError struct {
	Code       int
	URL        string
	RetryAfter time.Duration // from a Retry-After header (seconds or HTTP date), 0 when absent
}

func (e *StatusError) Error() string {
	if e == nil {
		return "transport: <nil StatusError>"
	}
	msg := fmt.Sprintf("transport: %s answered %d %s", e.URL, e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Permanent reports whether retrying cannot help: 4xx except 408 and 429
// (410 Gone included).
func (e *StatusError) Permanent() bool {
	if e == nil {
		return false
	}
	return e.Code >= 400 && e.Code <= 499 &&
		e.Code != http.StatusRequestTimeout && e.Code != http.StatusTooManyRequests
}

func newStatusError(resp *http.Response, now time.Time) *StatusError {
	return &StatusError{
		Code:       resp.StatusCode,
		URL:        resp.Request.URL.String(),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now),
	}
}

// parseRetryAfter reads delay-seconds or an HTTP date. Garbage and past
// dates give 0, meaning "use your own backoff".
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const maxSeconds = math.MaxInt64 / int64(time.Second)
	if isDigits(v) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > maxSeconds {
			// Only overflow gets here; saturate rather than wrap.
			n = maxSeconds
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// GetJSON GETs rawURL with the given Accept header, signed with s
// (draft-cavage, covering (request-target) host date, plus accept) when s
// is not nil. Servers in authorized-fetch mode refuse unsigned GETs, and
// covering accept stops a relay from swapping the representation asked for.
//
// It follows at most 3 redirects, each checked like the first URL and
// re-signed, because the signature covers the request target and host. A
// redirect from https to http is refused (ErrBadURL): the document would
// lose the authenticity that TLS gave the original URL.
//
// It returns the body (at most MaxBody bytes, else ErrTooLarge) and the
// final URL after redirects. A non-2xx answer, including a fourth
// redirect, is a *StatusError; a 2xx that is not JSON is ErrNotJSON.
func (c *Client) GetJSON(ctx context.Context, rawURL, accept string, s *Signer) (body []byte, finalURL string, err error) {
	return c.get(ctx, rawURL, accept, s, c.opts.Timeout, c.opts.MaxBody, func(final, ct string) error {
		if !isJSON(ct) {
			return fmt.Errorf("%w: %s answered Content-Type %q", ErrNotJSON, final, ct)
		}
		return nil
	})
}

// mediaTimeout bounds the download of one media file (larger than a
// document, so it gets longer than Options.Timeout).
const mediaTimeout = 60 * time.Second

// GetMedia downloads a media file (any content type; the caller sniffs
// it) of at most maxBytes, signed with s when not nil, with the same
// address checks and redirect rules as GetJSON.
func (c *Client) GetMedia(ctx context.Context, rawURL string, maxBytes int64, s *Signer) ([]byte, error) {
	body, _, err := c.get(ctx, rawURL, "*/*", s, max(mediaTimeout, c.opts.Timeout), maxBytes, func(string, string) error { return nil })
	return body, err
}

// get is one signed GET with checked redirects, a timeout and a bounded
// body; check vets the final URL's Content-Type.
func (c *Client) get(ctx context.Context, rawURL, accept string, s *Signer, timeout time.Duration, maxBody int64,
	check func(final, contentType string) error) (body []byte, finalURL string, err error) {
	if err := c.ready(); err != nil {
		return nil, "", err
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, "", err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if err := c.prepare(req, s, httpsig.Cavage, nil); err != nil {
		return nil, "", err
	}
	hc := &http.Client{
		Transport: c.tr,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				// Hand the redirect itself back, so the caller gets
				// a StatusError carrying its code and URL.
				return http.ErrUseLastResponse
			}
			if err := checkURL(next.URL); err != nil {
				return err
			}
			if prev := via[len(via)-1].URL; prev.Scheme == "https" && next.URL.Scheme != "https" {
				return fmt.Errorf("%w: redirect from %s downgrades to %s", ErrBadURL, prev.Redacted(), next.URL.Redacted())
			}
			// net/http adds the previous URL as Referer; the next
			// server, possibly another party, has no need for it.
			next.Header.Del("Referer")
			return c.prepare(next, s, httpsig.Cavage, nil)
		},
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, "", redactURLError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		discard(resp.Body)
		return nil, "", newStatusError(resp, time.Now())
	}
	final := resp.Request.URL.String()
	if err := check(final, resp.Header.Get("Content-Type")); err != nil {
		discard(resp.Body)
		return nil, "", err
	}
	body, err = readLimited(resp, maxBody)
	if err != nil {
		return nil, "", err
	}
	return body, final, nil
}

// FetchActivity is GetJSON with ActivityPub's Accept header.
func (c *Client) FetchActivity(ctx context.Context, rawURL string, s *Signer) ([]byte, string, error) {
	return c.GetJSON(ctx, rawURL, activityAccept, s)
}

// Post delivers an activity to an inbox, signed with s in the given scheme
// with the body digest covered (Digest for cavage, Content-Digest for
// RFC 9421). Redirects are not followed: replaying a signed delivery at
// another address is not something a sender should do on a peer's word,
// so a 3xx is a *StatusError like any other non-2xx answer.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, s *Signer, scheme httpsig.Scheme) error {
	if err := c.ready(); err != nil {
		return err
	}
	u, err := parseURL(inbox)
	if err != nil {
		return err
	}
	if s == nil {
		// Every inbox refuses unsigned deliveries; sending one would only
		// waste a request and hide the bug.
		return errors.New("transport: post: no signer")
	}
	if body == nil {
		// A nil body would make httpsig skip the digest, which receivers
		// require on POST.
		body = []byte{}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("Content-Type", activityJSON)
	req.Header.Set("Accept", activityAccept)
	if err := c.prepare(req, s, scheme, body); err != nil {
		return err
	}
	hc := &http.Client{
		Transport:     c.tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := hc.Do(req)
	if err != nil {
		return redactURLError(err)
	}
	defer resp.Body.Close()
	discard(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newStatusError(resp, time.Now())
	}
	return nil
}

func (c *Client) ready() error {
	if c == nil || c.tr == nil {
		return errors.New("transport: Client not made by New")
	}
	return nil
}

// prepare sets what every hop needs. Host is pinned to the URL's authority
// because that is what the signature covers; net/http would otherwise be
// free to carry a stale Host across a redirect.
func (c *Client) prepare(req *http.Request, s *Signer, scheme httpsig.Scheme, body []byte) error {
	req.Host = req.URL.Host
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if s == nil {
		return nil
	}
	var o httpsig.SignOptions
	if req.Method == http.MethodGet {
		o.Headers = []string{"accept"}
	}
	if err := httpsig.SignWith(req, s.KeyID, s.Key, scheme, body, o); err != nil {
		return fmt.Errorf("transport: %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	return nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the raw URL, which may hold a password.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	return u, nil
}

// checkURL refuses anything but absolute http(s) URLs. Userinfo is refused
// because it is never legitimate in federation and makes URLs like
// "https://good.example@evil.example/" mislead whoever reads them.
func checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: scheme %q is not http or https", ErrBadURL, u.Scheme)
	case u.User != nil:
		return fmt.Errorf("%w: %s carries userinfo", ErrBadURL, u.Redacted())
	case u.Opaque != "" || u.Hostname() == "":
		return fmt.Errorf("%w: %s has no host", ErrBadURL, u.Redacted())
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
			return fmt.Errorf("%w: %s has bad port %q", ErrBadURL, u.Redacted(), p)
		}
	}
	return nil
}

// isJSON accepts the JSON types peers actually send. Parameters are not
// judged: peers send all sorts of charset and profile parameters, some
// malformed, and the media type alone decides how we parse the body.
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	switch mt {
	case "application/json", "application/activity+json", "application/ld+json", "application/jrd+json":
		return true
	}
	slash := strings.IndexByte(mt, '/')
	return slash > 0 && strings.HasSuffix(mt, "+json") && len(mt)-slash-1 > len("+json")
}

func readLimited(resp *http.Response, limit int64) ([]byte, error) {
	where := resp.Request.URL.Redacted()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %s announced %d bytes, limit %d", ErrTooLarge, where, resp.ContentLength, limit)
	}
	n := limit
	if n < math.MaxInt64 {
		n++ // one byte more tells "exactly limit" from "over"
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, n))
	if err != nil {
		return nil, fmt.Errorf("transport: read %s: %w", where, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: %s sent more than %d bytes", ErrTooLarge, where, limit)
	}
	return b, nil
}

// redactURLError hides passwords in the URL net/http puts in its errors:
// for a refused redirect it quotes the peer's Location header verbatim, and
// errors end up in logs.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = u.Redacted()
		} else {
			ue.URL = "(unparsable URL)"
		}
	}
	return err
}

func discard(r io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, discardLimit))
}
