package service

import (
	"context"
	"net/url"
	"strings"
	"time"

	"weft/internal/model"
	"weft/internal/store"
	"weft/internal/text"
)

// RemoteProfile is what a remote actor document says: the account's
// profile (HTML as sent; it is sanitised here) and its federation details.
type RemoteProfile struct {
	Account model.Account
	Actor   model.RemoteActor
}

// SaveRemoteAccount creates or refreshes a remote account from its actor
// document. The account is found by its ActivityPub id, else by
// username@domain (an account re-created under the same name takes the
// row over). Remote HTML is sanitised before it is stored, so no page or
// API answer can show it raw.
func (s *Service) SaveRemoteAccount(ctx context.Context, p RemoteProfile) (*model.Account, error) {
	in := p.Account
	if in.Username == "" || in.Domain == "" || in.URI == "" || p.Actor.Inbox == "" {
		return nil, model.Invalid("actor", "an actor needs a preferredUsername, an id and an inbox")
	}
	if s.localDomain(in.Domain) {
		return nil, model.Invalid("actor", "a remote actor cannot claim this server's domain")
	}
	in.Domain = strings.ToLower(in.Domain)
	in.NoteHTML = text.SanitizeRemoteHTML(in.NoteHTML)
	in.Note = text.HTMLToText(in.NoteHTML)
	in.DisplayName = truncateRunes(strings.TrimSpace(in.DisplayName), 100)
	if len(in.Fields) > model.MaxProfileFields {
		in.Fields = in.Fields[:model.MaxProfileFields]
	}
	for i := range in.Fields {
		f := &in.Fields[i]
		f.Name = truncateRunes(text.HTMLToText(f.Name), 255)
		f.ValueHTML = text.SanitizeRemoteHTML(f.ValueHTML)
		f.Value = text.HTMLToText(f.ValueHTML)
	}
	now := s.clock()
	var saved *model.Account
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		existing, err := tx.AccountByURI(ctx, in.URI)
		if isNotFound(err) {
			existing, err = tx.AccountByUsername(ctx, in.Username, in.Domain)
		}
		switch {
		case isNotFound(err):
			a := in
			a.ID = s.newID()
			if a.CreatedAt.IsZero() || a.CreatedAt.After(now) {
				a.CreatedAt = now
			}
			a.UpdatedAt = now
			if err := tx.InsertAccount(ctx, &a); err != nil {
				return err
			}
			saved = &a
		case err != nil:
			return err
		default:
			if existing.Local() {
				return model.Invalid("actor", "a remote actor cannot replace a local account")
			}
			a := *existing
			a.DisplayName, a.Note, a.NoteHTML, a.Fields = in.DisplayName, in.Note, in.NoteHTML, in.Fields
			a.Locked, a.Bot, a.Discoverable, a.URI, a.URL = in.Locked, in.Bot, in.Discoverable, in.URI, in.URL
			a.UpdatedAt = now
			if err := tx.UpdateRemoteAccount(ctx, &a); err != nil {
				return err
			}
			if a.URL != existing.URL {
				if err := tx.BumpMentioningStatuses(ctx, a.ID); err != nil {
					return err
				}
			}
			saved = &a
		}
		if err := s.setRemoteProfileImageTx(ctx, tx, saved, model.PurposeAvatar, p.Actor.AvatarURL, now); err != nil {
			return err
		}
		if err := s.setRemoteProfileImageTx(ctx, tx, saved, model.PurposeHeader, p.Actor.HeaderURL, now); err != nil {
			return err
		}
		actor := p.Actor
		actor.AccountID = saved.ID
		actor.FetchedAt = now
		return tx.UpsertRemoteActor(ctx, &actor)
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// RemoteActorOf returns the federation details of a remote account.
func (s *Service) RemoteActorOf(ctx context.Context, accountID int64) (*model.RemoteActor, error) {
	return s.st.Read().RemoteActor(ctx, accountID)
}

// RemoteActorByKeyID finds the remote actor a key id belongs to.
func (s *Service) RemoteActorByKeyID(ctx context.Context, keyID string) (*model.RemoteActor, error) {
	return s.st.Read().RemoteActorByKeyID(ctx, keyID)
}

// AccountByURI finds an account by its ActivityPub id: a local account by
// its /users/ URL, a remote one by the id stored for it.
func (s *Service) AccountByURI(ctx context.Context, uri string) (*model.Account, error) {
	q := s.st.Read()
	if username, statusID, ok := s.localPath(uri); ok && statusID == 0 {
		return q.AccountByUsername(ctx, username, "")
	}
	return q.AccountByURI(ctx, uri)
}

// StatusByURI finds a post by its ActivityPub id (a local post by its
// /users/…/statuses/ID URL).
func (s *Service) StatusByURI(ctx context.Context, uri string) (*model.Status, error) {
	q := s.st.Read()
	if username, statusID, ok := s.localPath(uri); ok && statusID != 0 {
		st, err := q.StatusByID(ctx, statusID)
		if err != nil {
			return nil, err
		}
		author, err := q.AccountByID(ctx, st.AccountID)
		if err != nil {
			return nil, err
		}
		if !st.Local || !strings.EqualFold(author.Username, username) {
			return nil, model.NotFound("status")
		}
		return st, nil
	}
	return q.StatusByURI(ctx, uri)
}

// localPath reads a URL of this server (scheme, host and port compared)
// as an account or a post.
func (s *Service) localPath(raw string) (username string, statusID int64, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", 0, false
	}
	base, err := url.Parse(s.cfg.BaseURL)
	if err != nil || !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return "", 0, false
	}
	return parseLocalPath(u.Path)
}

// IsLocalURI reports whether an IRI belongs to this server (scheme, host
// and port compared: localhost:8081 and localhost:8082 are two servers).
func (s *Service) IsLocalURI(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	base, err := url.Parse(s.cfg.BaseURL)
	return err == nil && strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// LocalAccountByUsername returns a local member (any state).
func (s *Service) LocalAccountByUsername(ctx context.Context, username string) (*model.Account, error) {
	return s.st.Read().AccountByUsername(ctx, username, "")
}

// AccountByID returns an account.
func (s *Service) AccountByID(ctx context.Context, id int64) (*model.Account, error) {
	return s.st.Read().AccountByID(ctx, id)
}

// staleActorAge is how old a stored actor document may be before a
// lookup fetches it again.
const staleActorAge = 24 * time.Hour

// RemoteActorStale reports whether a remote actor's document should be
// fetched again.
func (s *Service) RemoteActorStale(r *model.RemoteActor) bool {
	return r == nil || s.clock().Sub(r.FetchedAt) > staleActorAge
}

// FollowerInboxes lists where to deliver what an account's followers see:
// the inbox of every server with followers of it, once per server.
func (s *Service) FollowerInboxes(ctx context.Context, accountID int64) ([]string, error) {
	return s.st.Read().DeliveryInboxes(ctx, accountID)
}

// SharedLocalStatus returns the local post a URI names when the fediverse
// may see it: by a member who shared it, public or unlisted, not deleted,
// not a boost. Other servers' posts that quote it are wanted here, and
// its author hears of them; anything else is ErrNotFound.
func (s *Service) SharedLocalStatus(ctx context.Context, uri string) (*model.Status, error) {
	if !s.IsLocalURI(uri) {
		return nil, model.NotFound("status")
	}
	st, err := s.StatusByURI(ctx, uri)
	if err != nil {
		return nil, err
	}
	if st.DeletedAt != nil || st.IsReblog() || (st.Visibility != model.Public && st.Visibility != model.Unlisted) {
		return nil, model.NotFound("status")
	}
	author, err := s.st.Read().AccountByID(ctx, st.AccountID)
	if err != nil {
		return nil, err
	}
	if author.Gone() || !author.SharesPostsFrom(st.CreatedAt) {
		return nil, model.NotFound("status")
	}
	return st, nil
}
