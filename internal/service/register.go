package service

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,30}$`)

// reservedUsernames cannot be registered: they would collide with paths,
// well-known service names, or impersonate the server.
var reservedUsernames = map[string]bool{
	"admin": true, "administrator": true, "root": true, "support": true, "help": true, "about": true,
	"api": true, "auth": true, "oauth": true, "settings": true, "users": true, "web": true, "www": true,
	"mail": true, "email": true, "postmaster": true, "webmaster": true, "hostmaster": true, "abuse": true,
	"security": true, "instance": true, "actor": true, "inbox": true, "outbox": true, "nodeinfo": true,
	"static": true, "public": true, "weft": true, "moderator": true, "moderators": true, "staff": true,
	"system": true, "notifications": true, "explore": true, "search": true, "tags": true, "home": true,
	"null": true, "undefined": true, "localhost": true, "noreply": true, "no_reply": true,
}

// Registration is a new local account.
type Registration struct {
	Username string
	Email    string
	Password string
	Admin    bool
	Locale   string
	// Pending: the sign-up waits for an admin's approval (registrations
	// "approval"); Reason is why the person wants to join, for the admin.
	Pending bool
	Reason  string
}

func validateUsername(u string) error {
	if !usernameRE.MatchString(u) {
		return model.Invalid("username", "must be 1 to 30 letters, digits or underscores")
	}
	if reservedUsernames[strings.ToLower(u)] {
		return model.Errorf(model.ErrConflict, "username", "%q is reserved", u)
	}
	return nil
}

func validateEmail(e string) error {
	if len(e) > 254 {
		return model.Invalid("email", "is too long")
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e {
		return model.Invalid("email", "is not a valid address")
	}
	domain := e[strings.LastIndexByte(e, '@')+1:]
	if !strings.Contains(domain, ".") && domain != "localhost" {
		return model.Invalid("email", "is not a valid address")
	}
	return nil
}

// Register creates a local account and its user. The username is unique
// case-insensitively and stays reserved after the account is deleted.
func (s *Service) Register(ctx context.Context, r Registration) (*model.Account, error) {
	if err := validateUsername(r.Username); err != nil {
		return nil, err
	}
	if err := validateEmail(r.Email); err != nil {
		return nil, err
	}
	if err := validatePassword(r.Password); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, r.Password) // before the transaction: it takes tens of milliseconds
	if err != nil {
		return nil, err
	}
	now := s.clock()
	a := &model.Account{
		ID: s.newID(), Username: r.Username, Discoverable: true,
		FediverseSharing: s.InstanceInfo(ctx).FediverseSharingDefault, CreatedAt: now, UpdatedAt: now,
	}
	if a.FediverseSharing {
		a.FediverseSince = &now
	}
	if r.Pending {
		// Until approved the account is not a member: suspended, it is
		// seen nowhere and cannot sign in; its name stays taken.
		a.SuspendedAt = &now
		if n := utf8.RuneCountInString(r.Reason); n > maxSignUpReason {
			return nil, model.Invalid("reason", "is too long (maximum is %d characters)", maxSignUpReason)
		}
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAccount(ctx, a); err != nil {
			return err
		}
		return tx.InsertUser(ctx, &model.User{AccountID: a.ID, Email: r.Email, PasswordHash: hash, Admin: r.Admin,
			Locale: r.Locale, CreatedAt: now, Approved: !r.Pending, Reason: strings.TrimSpace(r.Reason)})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
