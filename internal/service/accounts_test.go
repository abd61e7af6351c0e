package service_test

import (
	"fmt"
	"strings"
	"testing"

	"weft/internal/model"
	"weft/internal/service"
	"weft/internal/testkit"
)

const goodPassword = "correct horse battery staple" // testkit.Core.User's

func reg(username, email, password string) service.Registration {
	return service.Registration{Username: username, Email: email, Password: password}
}

func TestRegisterValidation(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		for i, name := range []string{"a", "Z", "under_score", "_x_", "abc123", strings.Repeat("q", 30)} {
			a, err := f.s.Register(f.ctx, reg(name, "ok"+string(rune('a'+i))+"@example.com", goodPassword))
			f.must(err, "register "+name)
			if a.Username != name || !a.Local() || a.ID == 0 {
				t.Fatalf("registered %+v, want local %q", a, name)
			}
		}
		for _, name := range []string{"", " ", "with space", "dash-ed", "dot.ted", "at@sign", "émile", "ünï", strings.Repeat("q", 31), "tab\t"} {
			_, err := f.s.Register(f.ctx, reg(name, "bad@example.com", goodPassword))
			f.wantErr(err, model.ErrInvalid, "username "+name)
		}
		for _, name := range []string{"admin", "Admin", "ROOT", "support", "weft", "Postmaster", "no_reply"} {
			_, err := f.s.Register(f.ctx, reg(name, "reserved@example.com", goodPassword))
			f.wantErr(err, model.ErrConflict, "reserved "+name)
		}
		for _, email := range []string{"", "plain", "a@b", "two@@x.org", "Name <n@x.org>", " n@x.org", "n@x.org ", strings.Repeat("e", 250) + "@x.org"} {
			_, err := f.s.Register(f.ctx, reg("emailtest", email, goodPassword))
			f.wantErr(err, model.ErrInvalid, "email "+email)
		}
		for _, pw := range []string{"", "short", "1234567", strings.Repeat("p", 257)} {
			_, err := f.s.Register(f.ctx, reg("pwtest", "pw@example.com", pw))
			f.wantErr(err, model.ErrInvalid, fmt.Sprintf("password of %d bytes", len(pw)))
		}
		// None of the refused registrations left an account behind.
		for _, name := range []string{"emailtest", "pwtest", "admin"} {
			if _, err := f.s.AccountByUsername(f.ctx, name); err == nil {
				t.Fatalf("refused registration %s left an account", name)
			}
		}
	})
}

func TestRegisterUniqueness(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		_, err := f.s.Register(f.ctx, reg("Alice", "alice@example.com", goodPassword))
		f.must(err, "register Alice")
		for _, name := range []string{"alice", "ALICE", "Alice"} {
			_, err = f.s.Register(f.ctx, reg(name, name+"2@example.com", goodPassword))
			f.wantErr(err, model.ErrConflict, "username "+name)
		}
		for _, email := range []string{"alice@example.com", "ALICE@Example.com"} {
			_, err = f.s.Register(f.ctx, reg("other", email, goodPassword))
			f.wantErr(err, model.ErrConflict, "email "+email)
		}
		// The failed email left no account: the username is still free.
		_, err = f.s.Register(f.ctx, reg("other", "other@example.com", goodPassword))
		f.must(err, "register other after a refused attempt")
		a, err := f.s.AccountByUsername(f.ctx, "aLiCe")
		f.must(err, "lookup any case")
		if a.Username != "Alice" {
			t.Fatalf("username kept as %q, want as chosen", a.Username)
		}
		for _, acct := range []string{"alice", "@ALICE", "alice@weft.test", "@Alice@WEFT.TEST"} {
			got, err := f.s.LookupAccount(f.ctx, 0, acct)
			f.must(err, "lookup "+acct)
			if got.ID != a.ID {
				t.Fatalf("lookup %s found %d", acct, got.ID)
			}
		}
		_, err = f.s.LookupAccount(f.ctx, 0, "alice@elsewhere.example")
		f.wantErr(err, model.ErrNotFound, "lookup on another domain")
		f.must(f.s.SuspendAccount(f.ctx, a.ID), "suspend")
		_, err = f.s.LookupAccount(f.ctx, 0, "alice")
		f.wantErr(err, model.ErrNotFound, "lookup a suspended account")
	})
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.User(t, "alice")
		for _, login := range []string{"alice", "ALICE", "alice@weft.test", "Alice@Weft.Test"} {
			a, u, err := f.s.Authenticate(f.ctx, service.SignIn{Login: login, Password: goodPassword})
			f.must(err, "sign in as "+login)
			if a.ID != alice.ID || u.AccountID != alice.ID || u.Email != "alice@weft.test" {
				t.Fatalf("%s signed in as %+v / %+v", login, a, u)
			}
		}
		_, _, wrong := f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: "not the password"})
		_, _, unknown := f.s.Authenticate(f.ctx, service.SignIn{Login: "nobody", Password: goodPassword})
		_, _, unknownMail := f.s.Authenticate(f.ctx, service.SignIn{Login: "nobody@weft.test", Password: goodPassword})
		_, _, empty := f.s.Authenticate(f.ctx, service.SignIn{Login: "", Password: ""})
		for _, err := range []error{wrong, unknown, unknownMail, empty} {
			f.wantErr(err, model.ErrUnauthorized, "bad sign-in")
			if model.Message(err) != model.Message(wrong) {
				t.Fatalf("bad sign-ins differ: %q vs %q", model.Message(err), model.Message(wrong))
			}
		}

		f.must(f.s.SuspendAccount(f.ctx, alice.ID), "suspend")
		_, _, err := f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword})
		f.wantErr(err, model.ErrSuspended, "suspended sign-in")
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: "not the password"})
		f.wantErr(err, model.ErrUnauthorized, "suspended, wrong password")
		f.must(f.s.UnsuspendAccount(f.ctx, alice.ID), "unsuspend")
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword})
		f.must(err, "sign in after unsuspension")
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.User(t, "alice")
		f.wantErr(f.s.ChangePassword(f.ctx, alice.ID, "wrong current", "a new long password", ""), model.ErrInvalid, "wrong current")
		f.wantErr(f.s.ChangePassword(f.ctx, alice.ID, goodPassword, "short", ""), model.ErrInvalid, "short new")
		_, _, err := f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword})
		f.must(err, "refused changes kept the password")
		f.must(f.s.ChangePassword(f.ctx, alice.ID, goodPassword, "a new long password", ""), "change")
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice", Password: goodPassword})
		f.wantErr(err, model.ErrUnauthorized, "old password")
		_, _, err = f.s.Authenticate(f.ctx, service.SignIn{Login: "alice@weft.test", Password: "a new long password"})
		f.must(err, "new password")
	})
}

func ptr[T any](v T) *T { return &v }

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob := c.User(t, "alice"), c.User(t, "bob")
		if alice.FediverseSharing {
			t.Fatal("fediverse sharing on, but the default setting is off")
		}
		a, err := f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{
			DisplayName: ptr("  Alice A.  "),
			Note:        ptr("friends with @bob and @nobody <b>bold</b> #tea"),
			Fields: &[]model.Field{{Name: "site", Value: "https://alice.example"}, {Name: " ", Value: ""},
				{Name: "pronouns", Value: "she/her"}},
			Bot: ptr(true), Discoverable: ptr(false), FediverseSharing: ptr(true),
		})
		f.must(err, "update")
		a = f.account(a.ID) // as stored
		if a.DisplayName != "Alice A." || !a.Bot || a.Discoverable || !a.FediverseSharing {
			t.Fatalf("stored profile %+v", a)
		}
		if !strings.Contains(a.NoteHTML, `href="https://weft.test/@bob"`) || strings.Contains(a.NoteHTML, "<b>") ||
			!strings.Contains(a.NoteHTML, "@nobody") || strings.Contains(a.NoteHTML, "/@nobody") {
			t.Fatalf("note HTML %q: want bob linked, nobody plain, tags escaped", a.NoteHTML)
		}
		if len(a.Fields) != 2 || a.Fields[0].Name != "site" || a.Fields[1].Value != "she/her" ||
			!strings.Contains(a.Fields[0].ValueHTML, `<a href="https://alice.example"`) || strings.HasPrefix(a.Fields[0].ValueHTML, "<p>") {
			t.Fatalf("fields %+v: want 2, empty row dropped, value linked inline", a.Fields)
		}
		// Nil fields are left alone.
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{FediverseSharing: ptr(false)})
		f.must(err, "second update")
		if a = f.account(alice.ID); a.DisplayName != "Alice A." || len(a.Fields) != 2 || a.FediverseSharing {
			t.Fatalf("partial update changed more: %+v", a)
		}

		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{DisplayName: ptr(strings.Repeat("é", 30))})
		f.must(err, "30-character display name")
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{DisplayName: ptr(strings.Repeat("é", 31))})
		f.wantErr(err, model.ErrInvalid, "31-character display name")
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Note: ptr(strings.Repeat("n", 500))})
		f.must(err, "500-character note")
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Note: ptr(strings.Repeat("n", 501))})
		f.wantErr(err, model.ErrInvalid, "501-character note")
		four := make([]model.Field, 4)
		for i := range four {
			four[i] = model.Field{Name: "n", Value: "v"}
		}
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Fields: &four})
		f.must(err, "four fields")
		five := append(four, model.Field{Name: "fifth", Value: "v"})
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Fields: &five})
		f.wantErr(err, model.ErrInvalid, "five fields")
		long := []model.Field{{Name: "n", Value: strings.Repeat("v", 256)}}
		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Fields: &long})
		f.wantErr(err, model.ErrInvalid, "256-character field value")
		if a = f.account(alice.ID); len(a.Fields) != 4 || len([]rune(a.DisplayName)) != 30 {
			t.Fatalf("refused updates changed the profile: %+v", a)
		}

		f.must(f.s.SuspendAccount(f.ctx, bob.ID), "suspend bob")
		_, err = f.s.UpdateProfile(f.ctx, bob.ID, service.ProfileUpdate{DisplayName: ptr("B")})
		f.wantErr(err, model.ErrSuspended, "suspended update")
	})
}

func TestFediverseSharingDefault(t *testing.T) {
	t.Parallel()
	on := func(d *service.Deps) { d.Settings.Instance.FediverseSharingDefault = true }
	testkit.EachCoreWith(t, on, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice := c.User(t, "alice")
		if !alice.FediverseSharing || !f.account(alice.ID).FediverseSharing {
			t.Fatal("fediverse sharing off, but the default setting is on")
		}
		_, err := f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{FediverseSharing: ptr(false)})
		f.must(err, "opt out")
		if f.account(alice.ID).FediverseSharing {
			t.Fatal("opt-out not stored")
		}
	})
}

func TestUnlockAcceptsPendingFollows(t *testing.T) {
	t.Parallel()
	testkit.EachCore(t, func(t *testing.T, c *testkit.Core) {
		f := newFx(t, c)
		alice, bob, carol := c.QuickAccount(t, "alice"), c.QuickAccount(t, "bob"), c.QuickAccount(t, "carol")
		_, err := f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Locked: ptr(true)})
		f.must(err, "lock")
		f.follow(bob, alice)
		f.follow(carol, alice)
		c.Settle(t)
		if r := f.rel(bob, alice); !r.Requested || r.Following {
			t.Fatalf("bob → locked alice: %+v, want a request", r)
		}
		f.wantKinds(alice, "follow_request:bob", "follow_request:carol")

		_, err = f.s.UpdateProfile(f.ctx, alice.ID, service.ProfileUpdate{Locked: ptr(false)})
		f.must(err, "unlock")
		c.Settle(t)
		for _, who := range []*model.Account{bob, carol} {
			if r := f.rel(who, alice); !r.Following || r.Requested {
				t.Fatalf("%s → alice after unlock: %+v, want following", who.Username, r)
			}
		}
		reqs, err := f.s.FollowRequests(f.ctx, alice.ID, model.Page{})
		f.must(err, "follow requests")
		if len(reqs.Accounts) != 0 {
			t.Fatalf("requests left: %v", accountNames(reqs))
		}
		if a := f.account(alice.ID); a.FollowersCount != 2 || a.Locked {
			t.Fatalf("alice after unlock: %d followers, locked %v", a.FollowersCount, a.Locked)
		}
		if n := f.noteKinds(alice); len(n) != 0 {
			t.Fatalf("answered requests still notified: %v", n)
		}
	})
}
