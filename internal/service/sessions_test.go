package service_test

import (
	"testing"
	"time"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

// Changing the password signs the member out everywhere else, as on
// Mastodon: every other browser session and every token end; the browser
// that changed it stays signed in. Sessions also end on the server when
// their cookie would (30 days), and members can list them and end one.
func TestPasswordChangeEndsSessionsAndTokens(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock()
	testkit.EachCoreWith(t, func(d *service.Deps) { d.Now = clock.Now }, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.User(t, "alice")
		here, hereSess, err := f.s.StartSession(f.ctx, alice.ID, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
		f.must(err, "session here")
		there, _, err := f.s.StartSession(f.ctx, alice.ID, "Mozilla/5.0 (iPhone) Safari/605.1")
		f.must(err, "session there")
		tok, err := f.s.CreateToken(f.ctx, alice.ID, "read")
		f.must(err, "token")
		list, err := f.s.Sessions(f.ctx, alice.ID)
		f.must(err, "sessions")
		if len(list) != 2 {
			t.Fatalf("%d sessions listed", len(list))
		}

		f.must(f.s.ChangePassword(f.ctx, alice.ID, goodPassword, "a brand new password", hereSess.Key), "change")
		_, _, err = f.s.Session(f.ctx, here)
		f.must(err, "the browser that changed it")
		_, _, err = f.s.Session(f.ctx, there)
		f.wantErr(err, model.ErrUnauthorized, "another browser")
		_, err = f.s.TokenCaller(f.ctx, tok.AccessToken)
		f.wantErr(err, model.ErrUnauthorized, "a token from before")

		// Ending one session from another.
		other, _, err := f.s.StartSession(f.ctx, alice.ID, "curl/8")
		f.must(err, "another session")
		o, _, err := f.s.Session(f.ctx, other)
		f.must(err, "it works")
		f.must(f.s.EndSessionOf(f.ctx, alice.ID, o.Key), "end it")
		_, _, err = f.s.Session(f.ctx, other)
		f.wantErr(err, model.ErrUnauthorized, "an ended session")
		f.wantErr(f.s.EndSessionOf(f.ctx, alice.ID, o.Key), model.ErrNotFound, "ended twice")

		// 30 days after signing in, a session is over.
		clock.Advance(service.SessionLifetime + time.Minute)
		_, _, err = f.s.Session(f.ctx, here)
		f.wantErr(err, model.ErrUnauthorized, "a session older than its cookie")
	})
}
