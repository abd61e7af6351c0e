package store_test

import (
	"reflect"
	"testing"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/testkit"
)

func (f *fx) user(a *model.Account, email string, admin bool) *model.User {
	f.t.Helper()
	u := &model.User{AccountID: a.ID, Email: email, PasswordHash: "$argon2id$v=19$x", Admin: admin, Locale: "de",
		CreatedAt: nowMS()}
	f.tx(func(tx *store.Tx) error { return tx.InsertUser(f.ctx, u) })
	return u
}

func TestUsers(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, func(t *testing.T, st *store.Store) {
		f := newFx(t, st)
		alice, bob, carol := f.account("alice"), f.account("bob"), f.account("carol")
		u := f.user(alice, "Alice@Example.COM", true)

		got, err := f.q.UserByAccountID(f.ctx, alice.ID)
		ok(t, err)
		if !reflect.DeepEqual(got, u) {
			t.Fatalf("round trip:\n got  %+v\n want %+v", got, u)
		}
		for _, email := range []string{"alice@example.com", "ALICE@EXAMPLE.COM", "Alice@Example.COM"} {
			got, err := f.q.UserByEmail(f.ctx, email)
			ok(t, err)
			if got.AccountID != alice.ID || got.Email != "Alice@Example.COM" {
				t.Fatalf("UserByEmail(%q) = %+v", email, got)
			}
		}
		_, err = f.q.UserByEmail(f.ctx, "nobody@example.com")
		isKind(t, err, model.ErrNotFound)
		_, err = f.q.UserByAccountID(f.ctx, bob.ID)
		isKind(t, err, model.ErrNotFound)

		// An email is unique whatever its case.
		err = st.InTx(f.ctx, func(tx *store.Tx) error {
			return tx.InsertUser(f.ctx, &model.User{AccountID: bob.ID, Email: "ALICE@example.com", PasswordHash: "x", CreatedAt: nowMS()})
		})
		isKind(t, err, model.ErrConflict)
		f.user(bob, "bob@example.com", false)
		f.user(carol, "carol@example.com", true)

		admins, err := f.q.AdminAccountIDs(f.ctx)
		ok(t, err)
		same(t, "admins", admins, []int64{alice.ID, carol.ID})

		f.tx(func(tx *store.Tx) error { return tx.SetPasswordHash(f.ctx, bob.ID, "new-hash") })
		got, err = f.q.UserByAccountID(f.ctx, bob.ID)
		ok(t, err)
		if got.PasswordHash != "new-hash" {
			t.Fatalf("password hash %q", got.PasswordHash)
		}
		if got, _ := f.q.UserByAccountID(f.ctx, alice.ID); got.PasswordHash != u.PasswordHash {
			t.Fatal("another user's password hash changed")
		}

		f.tx(func(tx *store.Tx) error { return tx.DeleteUser(f.ctx, carol.ID) })
		_, err = f.q.UserByAccountID(f.ctx, carol.ID)
		isKind(t, err, model.ErrNotFound)
		admins, err = f.q.AdminAccountIDs(f.ctx)
		ok(t, err)
		same(t, "admins after delete", admins, []int64{alice.ID})
		f.reload(carol) // the account stays
		// The email is free again.
		f.user(f.account("carol2"), "CAROL@example.com", false)
	})
}
