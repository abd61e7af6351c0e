package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	rl := NewRateLimiter(Limit{Max: 3, Window: 5 * time.Minute}, []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")})
	rl.now = func() time.Time { return now }
	h := rl.Wrap(func(*http.Request) bool { return true }, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	do := func(token, remote, xff string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/timelines/home", nil)
		r.RemoteAddr = remote
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := 0; i < 3; i++ {
		if w := do("tok-a", "10.0.0.1:1", ""); w.Code != 200 || w.Header().Get("X-RateLimit-Remaining") != string(rune('2'-i)) {
			t.Fatalf("request %d: %d remaining %s", i, w.Code, w.Header().Get("X-RateLimit-Remaining"))
		}
	}
	if w := do("tok-a", "10.0.0.1:1", ""); w.Code != http.StatusTooManyRequests || w.Header().Get("X-RateLimit-Reset") != "2026-11-25T12:05:00.000Z" {
		t.Fatalf("over the limit: %d reset %s", w.Code, w.Header().Get("X-RateLimit-Reset"))
	}
	if w := do("tok-b", "10.0.0.1:1", ""); w.Code != 200 {
		t.Fatalf("another token shares the limit: %d", w.Code)
	}
	// Anonymous clients are counted by IP, seen through a trusted proxy.
	for i := 0; i < 3; i++ {
		do("", "127.0.0.1:5", "203.0.113.9")
	}
	if w := do("", "127.0.0.1:5", "203.0.113.9"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("same client through the proxy: %d", w.Code)
	}
	if w := do("", "127.0.0.1:5", "203.0.113.10"); w.Code != 200 {
		t.Fatalf("another client through the proxy: %d", w.Code)
	}
	// An untrusted peer cannot pick its address with X-Forwarded-For.
	if ip := ClientIP(&http.Request{RemoteAddr: "198.51.100.7:9", Header: http.Header{"X-Forwarded-For": {"1.2.3.4"}}}, rl.trusted); ip != "198.51.100.7" {
		t.Fatalf("untrusted XFF believed: %s", ip)
	}
	now = now.Add(5 * time.Minute)
	if w := do("tok-a", "10.0.0.1:1", ""); w.Code != 200 {
		t.Fatalf("next window: %d", w.Code)
	}
}
