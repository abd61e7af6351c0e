package httpx

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limit is one rate limit: at most Max requests per Window.
type Limit struct {
	Max    int
	Window time.Duration
	ByIP   bool // count by client IP even when a token is sent (sign-ups)
	// MaxAccount, when set, is the limit of the keys KeyOf gives signed-in
	// accounts ("account:…"), Max staying that of IPs.
	MaxAccount int
}

// RateLimiter counts requests per caller (token, or client IP when
// anonymous) in fixed windows, as Mastodon's limits do: 300 requests per 5
// minutes by default, with X-RateLimit-* headers and 429 past the limit.
// Counts live in memory: they need not survive a restart, and with several
// processes each counts its own share.
type RateLimiter struct {
	limit   Limit
	trusted []netip.Prefix
	now     func() time.Time
	// KeyOf, when set, names whom a request counts against ("" for its
	// client IP), and may return the request with what it learned on the
	// way (the caller its token names) for the handlers.
	KeyOf func(r *http.Request) (string, *http.Request)

	mu     sync.Mutex
	start  time.Time // current window's start
	counts map[string]int
}

// NewRateLimiter makes a limiter. trusted lists the proxies whose
// X-Forwarded-For is believed.
func NewRateLimiter(l Limit, trusted []netip.Prefix) *RateLimiter {
	return &RateLimiter{limit: l, trusted: trusted, now: time.Now, counts: map[string]int{}}
}

// max is the limit of a key.
func (rl *RateLimiter) max(key string) int {
	if rl.limit.MaxAccount > 0 && strings.HasPrefix(key, "account:") {
		return rl.limit.MaxAccount
	}
	return rl.limit.Max
}

// take counts one request of key and reports whether it is allowed, with
// the remaining count and when the window resets.
func (rl *RateLimiter) take(key string) (bool, int, time.Time) {
	limit := rl.max(key)
	now := rl.now()
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if now.Sub(rl.start) >= rl.limit.Window {
		rl.start = now.Truncate(rl.limit.Window)
		clear(rl.counts) // the whole map goes with the window: memory stays bounded
	}
	n := rl.counts[key] + 1
	rl.counts[key] = n
	return n <= limit, max(limit-n, 0), rl.start.Add(rl.limit.Window)
}

// Wrap limits requests for which applies returns true.
func (rl *RateLimiter) Wrap(applies func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !applies(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := "ip:" + ClientIP(r, rl.trusted)
		if rl.KeyOf != nil {
			var k string
			if k, r = rl.KeyOf(r); k != "" {
				key = k
			}
		} else if tok := bearerToken(r); tok != "" && !rl.limit.ByIP {
			key = "token:" + tok
		}
		ok, remaining, reset := rl.take(key)
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(rl.max(key)))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000Z"))
		if !ok {
			h.Set("Retry-After", strconv.Itoa(int(time.Until(reset).Seconds())+1))
			WriteJSON(w, http.StatusTooManyRequests, ErrorBody{Error: "Too many requests"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func bearerToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return r.URL.Query().Get("access_token")
}

// ClientIP is the address of the client: the peer, or, when the peer is a
// trusted proxy, the last address in X-Forwarded-For that is not one.
func ClientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !inPrefixes(peer, trusted) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !inPrefixes(a, trusted) {
			return a.String()
		}
	}
	return host
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientIPKey struct{}

// WithClientIP records each request's client address (ClientIP) in its
// context, for the services that limit by it (sign-in).
func WithClientIP(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip := ClientIP(r, trusted)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientIPKey{}, ip)))
		})
	}
}

// ClientIPOf is the client address WithClientIP recorded ("" without it).
func ClientIPOf(r *http.Request) string {
	ip, _ := r.Context().Value(clientIPKey{}).(string)
	return ip
}

// BearerToken is the request's OAuth bearer token ("" when none).
func BearerToken(r *http.Request) string { return bearerToken(r) }
