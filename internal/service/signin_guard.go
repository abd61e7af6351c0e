package service

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"weft/internal/model"
)

// Sign-in protection, for every door (web sign-in, OAuth's sign-in page,
// the password grant). Failed sign-ins are counted per client IP and per
// account; past a few, further attempts are refused for a while without
// the password being looked at (so the right password does not get in
// during a guessing run either). And password hashing is bounded: each
// Argon2id check holds its memory (19 MiB by default) for tens of
// milliseconds, so at most one per core runs at a time and a request waits
// at most hashWait for its turn — 64 parallel guesses no longer cost
// 64 × 19 MiB.
//
// Counts live in memory, per process: a restart forgets them, and with
// several processes each counts what it sees (docs/security.md).
const (
	ipFailures   = 25 // failed sign-ins per client IP per ipWindow, as Mastodon allows
	ipWindow     = 5 * time.Minute
	freeFailures = 5                // failures of one account after which it has to wait
	firstLockout = 30 * time.Second // the wait after the next failure, doubled at each further one
	maxLockout   = 15 * time.Minute
	signInMemory = time.Hour        // an account's failures are forgotten after this long without one
	hashWait     = 10 * time.Second // longest wait for a turn at hashing before 429
	maxGuardKeys = 100_000          // bounds the memory of the counts
)

// SignIn is one sign-in attempt: who, with what, from where (the client
// IP as the HTTP door sees it; "" when there is none, as on the command
// line).
type SignIn struct {
	Login, Password, IP string
}

type signInGuard struct {
	mu     sync.Mutex
	ips    map[string]*ipCount
	logins map[string]*strikes
}

type ipCount struct {
	start time.Time
	n     int
}

type strikes struct {
	n    int
	last time.Time
}

// lockout is how long an account with n failures waits after the last:
// nothing before the fifth, then 30 s, doubling at each further one.
func lockout(n int) time.Duration {
	if n < freeFailures {
		return 0
	}
	d := firstLockout << min(n-freeFailures, 10)
	return min(d, maxLockout)
}

// check refuses an attempt from ip (for account key) while either is in
// its penalty time.
func (g *signInGuard) check(ip, key string, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c := g.ips[ip]; ip != "" && c != nil && now.Sub(c.start) < ipWindow && c.n >= ipFailures {
		return tooManyAttempts(c.start.Add(ipWindow).Sub(now))
	}
	if st := g.logins[key]; st != nil && now.Sub(st.last) < signInMemory {
		if wait := st.last.Add(lockout(st.n)).Sub(now); wait > 0 {
			return tooManyAttempts(wait)
		}
	}
	return nil
}

func tooManyAttempts(wait time.Duration) error {
	msg := "Too many failed sign-in attempts. Try again in a minute."
	if m := int(wait.Round(time.Minute).Minutes()); m > 1 {
		msg = fmt.Sprintf("Too many failed sign-in attempts. Try again in %d minutes.", m)
	}
	return &model.Throttle{After: wait, Msg: msg}
}

// failed records a failed attempt.
func (g *signInGuard) failed(ip, key string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweep(now)
	if ip != "" {
		c := g.ips[ip]
		if c == nil || now.Sub(c.start) >= ipWindow {
			c = &ipCount{start: now}
			g.ips[ip] = c
		}
		c.n++
	}
	st := g.logins[key]
	if st == nil || now.Sub(st.last) >= signInMemory {
		st = &strikes{}
		g.logins[key] = st
	}
	st.n++
	st.last = now
}

// succeeded forgets an account's failures.
func (g *signInGuard) succeeded(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.logins, key)
}

// sweep makes room: expired counts go first; if a flood of distinct keys
// still fills the maps, they start over (the worst that follows is a fresh
// budget for whoever sent the flood).
func (g *signInGuard) sweep(now time.Time) {
	if g.ips == nil {
		g.ips, g.logins = map[string]*ipCount{}, map[string]*strikes{}
	}
	if len(g.ips) < maxGuardKeys && len(g.logins) < maxGuardKeys {
		return
	}
	for k, c := range g.ips {
		if now.Sub(c.start) >= ipWindow {
			delete(g.ips, k)
		}
	}
	for k, st := range g.logins {
		if now.Sub(st.last) >= signInMemory {
			delete(g.logins, k)
		}
	}
	if len(g.ips) >= maxGuardKeys {
		clear(g.ips)
	}
	if len(g.logins) >= maxGuardKeys {
		clear(g.logins)
	}
}

// loginKey names the account an attempt is at: its id when the login names
// one, else the login itself (so unknown names are counted alike, and the
// answers do not tell which accounts exist).
func loginKey(accountID int64, login string) string {
	if accountID != 0 {
		return fmt.Sprint("account:", accountID)
	}
	return "login:" + strings.ToLower(strings.TrimSpace(login))
}

// hashTurn waits (at most hashWait) for one of the hashing slots, one per
// core; release gives it back.
func (s *Service) hashTurn(ctx context.Context) (release func(), err error) {
	timer := time.NewTimer(hashWait)
	defer timer.Stop()
	select {
	case s.hashSlots <- struct{}{}:
		return func() { <-s.hashSlots }, nil
	case <-timer.C:
		return nil, &model.Throttle{After: 5 * time.Second, Msg: "The server is busy signing people in. Try again in a few seconds."}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
