package service_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Guessing a password gets nowhere: after five wrong passwords an account
// waits 30 s before the next attempt, then twice as long after each further
// failure (up to 15 minutes), and while it waits even the right password is
// refused (429, with when to try again) without being checked. A success
// forgets the failures. Unknown names are counted alike, so the answers do
// not tell which accounts exist.
func TestSignInLockout(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock()
	testkit.EachCoreWith(t, func(d *service.Deps) { d.Now = clock.Now }, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		c.User(t, "alice")
		try := func(login, password string) error {
			_, _, err := f.s.Authenticate(f.ctx, service.SignIn{Login: login, Password: password, IP: "192.0.2.1"})
			return err
		}
		throttled := func(err error, what string) time.Duration {
			t.Helper()
			var th *model.Throttle
			if !errors.As(err, &th) || !errors.Is(err, model.ErrThrottled) || th.After <= 0 {
				t.Fatalf("%s: err = %v, want a throttle", what, err)
			}
			return th.After
		}
		for i := range 5 {
			f.wantErr(try("alice", "wrong guess"), model.ErrUnauthorized, fmt.Sprint("guess ", i+1))
		}
		if wait := throttled(try("alice", goodPassword), "the right password during the lockout"); wait != 30*time.Second {
			t.Fatalf("first wait %v, want 30s", wait)
		}
		throttled(try("ALICE@weft.test", goodPassword), "the same account by its email")
		clock.Advance(31 * time.Second)
		f.wantErr(try("alice", "wrong again"), model.ErrUnauthorized, "a guess after the wait")
		if wait := throttled(try("alice", goodPassword), "after the 6th failure"); wait != time.Minute {
			t.Fatalf("second wait %v, want 1m", wait)
		}
		clock.Advance(61 * time.Second)
		f.must(try("alice", goodPassword), "the right password after the wait")
		for i := range 5 {
			f.wantErr(try("alice", "wrong guess"), model.ErrUnauthorized, fmt.Sprint("fresh guess ", i+1)) // the success forgot the failures
		}

		// Unknown names: the same answers, the same lockout.
		for range 5 {
			f.wantErr(try("nobody", "x"), model.ErrUnauthorized, "unknown name")
		}
		throttled(try("nobody", "x"), "unknown name, locked out alike")

		// The wait doubles up to 15 minutes.
		for range 12 {
			clock.Advance(16 * time.Minute)
			_ = try("nobody", "x")
		}
		if wait := throttled(try("nobody", "x"), "after many failures"); wait != 15*time.Minute {
			t.Fatalf("longest wait %v, want 15m", wait)
		}
		// An hour without a failure forgets them.
		clock.Advance(61 * time.Minute)
		f.wantErr(try("nobody", "x"), model.ErrUnauthorized, "after an hour")
	})
}

// One client IP gets 25 failed sign-ins per 5 minutes, whichever accounts
// it tries; then it is refused (429) until the window ends, while other
// clients sign in.
func TestSignInLimitPerIP(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock()
	testkit.EachCoreWith(t, func(d *service.Deps) { d.Now = clock.Now }, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		c.User(t, "alice")
		for i := range 25 {
			_, _, err := f.s.Authenticate(f.ctx, service.SignIn{Login: fmt.Sprint("name", i), Password: "x", IP: "192.0.2.7"})
			f.wantErr(err, model.ErrUnauthorized, "a guess")
		}
		_, _, err := f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword, IP: "192.0.2.7"})
		f.wantErr(err, model.ErrThrottled, "the 26th attempt from that IP")
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword, IP: "198.51.100.1"})
		f.must(err, "another client")
		clock.Advance(5 * time.Minute)
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword, IP: "192.0.2.7"})
		f.must(err, "the next window")
	})
}
