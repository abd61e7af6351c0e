package service

import (
	"context"
	"io"
	"strings"
	"unicode/utf8"

	"weft/internal/model"
	"weft/internal/store"
)

// Profile limits, as on Mastodon.
const (
	maxDisplayName = 30
	maxNote        = 500
	maxFieldName   = 255
	maxFieldValue  = 255
)

// ProfileUpdate changes the fields that are set (nil = leave as is).
type ProfileUpdate struct {
	DisplayName      *string
	Note             *string
	Fields           *[]model.Field // Name and Value only; rendered here
	Locked           *bool
	Bot              *bool
	Discoverable     *bool
	FediverseSharing *bool
	HideCollections  *bool
	// Avatar and Header are new images (nil: unchanged); the Remove flags
	// take them away.
	Avatar, Header             io.ReadSeeker
	RemoveAvatar, RemoveHeader bool
}

// UpdateProfile edits a local account's profile. Turning "approve followers
// by hand" off accepts the pending requests, as on Mastodon.
func (s *Service) UpdateProfile(ctx context.Context, accountID int64, u ProfileUpdate) (*model.Account, error) {
	if u.DisplayName != nil && utf8.RuneCountInString(*u.DisplayName) > maxDisplayName {
		return nil, model.Invalid("display_name", "is too long (maximum is %d characters)", maxDisplayName)
	}
	if u.Note != nil && utf8.RuneCountInString(*u.Note) > maxNote {
		return nil, model.Invalid("note", "is too long (maximum is %d characters)", maxNote)
	}
	if u.Fields != nil {
		if len(*u.Fields) > model.MaxProfileFields {
			return nil, model.Invalid("fields_attributes", "at most %d fields", model.MaxProfileFields)
		}
		for _, f := range *u.Fields {
			if utf8.RuneCountInString(f.Name) > maxFieldName || utf8.RuneCountInString(f.Value) > maxFieldValue {
				return nil, model.Invalid("fields_attributes", "names and values are at most %d characters", maxFieldValue)
			}
		}
	}
	// Images are checked and stored before the transaction (processing
	// takes a while and must not hold the writer); their rows go in with it.
	avatar, err := s.profileImage(ctx, accountID, u.Avatar, model.PurposeAvatar)
	if err != nil {
		return nil, err
	}
	header, err := s.profileImage(ctx, accountID, u.Header, model.PurposeHeader)
	if err != nil {
		s.dropUnsaved(ctx, avatar)
		return nil, err
	}
	var out *model.Account
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountByID(ctx, accountID)
		if err != nil {
			return err
		}
		if !a.Local() {
			return model.Errorf(model.ErrForbidden, "", "only local profiles can be edited here")
		}
		if a.Gone() {
			return model.Errorf(model.ErrSuspended, "", "this account is suspended")
		}
		wasLocked, wasSharing, sharedSince := a.Locked, a.FediverseSharing, a.FediverseSince
		if u.DisplayName != nil {
			a.DisplayName = strings.TrimSpace(*u.DisplayName)
		}
		if u.Note != nil {
			r, err := s.render(ctx, tx.Queries, *u.Note)
			if err != nil {
				return err
			}
			a.Note, a.NoteHTML = *u.Note, r.HTML
		}
		if u.Fields != nil {
			fields := make([]model.Field, 0, len(*u.Fields))
			for _, f := range *u.Fields {
				name, value := strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
				if name == "" && value == "" {
					continue // an empty row in a form
				}
				r, err := s.render(ctx, tx.Queries, value)
				if err != nil {
					return err
				}
				fields = append(fields, model.Field{Name: name, Value: value, ValueHTML: stripParagraph(r.HTML)})
			}
			a.Fields = fields
		}
		setBool(&a.Locked, u.Locked)
		setBool(&a.Bot, u.Bot)
		setBool(&a.Discoverable, u.Discoverable)
		setBool(&a.FediverseSharing, u.FediverseSharing)
		setBool(&a.HideCollections, u.HideCollections)
		a.UpdatedAt = s.clock()
		switch {
		case a.FediverseSharing && !wasSharing:
			since := a.UpdatedAt // a fresh fediverse presence: only posts from now on
			a.FediverseSince = &since
		case !a.FediverseSharing:
			a.FediverseSince = nil
		}
		if err := tx.UpdateAccountProfile(ctx, a); err != nil {
			return err
		}
		if err := s.setProfileImagesTx(ctx, tx, a, u, avatar, header); err != nil {
			return err
		}
		if wasLocked && !a.Locked {
			if err := s.enqueue(ctx, tx, AcceptPendingFollowsArgs{AccountID: a.ID}); err != nil {
				return err
			}
		}
		if err := s.sharingChangedTx(ctx, tx, a, wasSharing, sharedSince); err != nil {
			return err
		}
		out = a
		return nil
	})
	if err != nil {
		s.dropUnsaved(ctx, avatar)
		s.dropUnsaved(ctx, header)
		return nil, err
	}
	return out, nil
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

// stripParagraph unwraps a one-paragraph rendering: field values are inline.
func stripParagraph(html string) string {
	if strings.HasPrefix(html, "<p>") && strings.HasSuffix(html, "</p>") && strings.Count(html, "<p>") == 1 {
		return html[3 : len(html)-4]
	}
	return html
}

// Account returns an account the viewer may look at: suspended and deleted
// accounts, and accounts that block the viewer, are not found — except to
// themselves.
func (s *Service) Account(ctx context.Context, viewer, accountID int64) (*model.Account, error) {
	q := s.st.Read()
	a, err := q.AccountByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return a, s.checkAccountVisible(ctx, q, viewer, a)
}

// LookupAccount finds an account by acct ("user" or "user@domain").
func (s *Service) LookupAccount(ctx context.Context, viewer int64, acct string) (*model.Account, error) {
	acct = strings.TrimPrefix(strings.TrimSpace(acct), "@")
	username, domain, _ := strings.Cut(acct, "@")
	if s.localDomain(domain) {
		domain = ""
	}
	q := s.st.Read()
	a, err := q.AccountByUsername(ctx, username, domain)
	if err != nil {
		return nil, err
	}
	return a, s.checkAccountVisible(ctx, q, viewer, a)
}

func (s *Service) checkAccountVisible(ctx context.Context, q store.Queries, viewer int64, a *model.Account) error {
	if viewer == a.ID {
		return nil
	}
	if a.Gone() {
		return model.NotFound("account")
	}
	if viewer == 0 {
		return nil
	}
	rel, err := q.RelationsOf(ctx, viewer, []int64{a.ID}, s.clock())
	if err != nil {
		return err
	}
	if rel.BlockedBy[a.ID] {
		return model.NotFound("account")
	}
	return nil
}

// AccountsByIDs loads accounts for rendering (no visibility check: callers
// pass IDs that came out of checked lists).
func (s *Service) AccountsByIDs(ctx context.Context, ids []int64) (map[int64]*model.Account, error) {
	return s.st.Read().AccountsByIDs(ctx, ids)
}

// Credentials returns the caller's own account with its user and the number
// of follow requests waiting for it (verify_credentials).
func (s *Service) Credentials(ctx context.Context, accountID int64) (*model.Account, *model.User, int64, error) {
	q := s.st.Read()
	a, err := q.AccountByID(ctx, accountID)
	if err != nil {
		return nil, nil, 0, err
	}
	u, err := q.UserByAccountID(ctx, accountID)
	if err != nil && !isNotFound(err) {
		return nil, nil, 0, err
	}
	n, err := q.CountFollowRequests(ctx, accountID)
	return a, u, n, err
}
