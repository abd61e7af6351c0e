package mastodon

import (
	"strconv"
	"strings"
	"time"

	"weft/internal/model"
)

// Account is Mastodon's Account entity.
type Account struct {
	ID              string   `json:"id"`
	Username        string   `json:"username"`
	Acct            string   `json:"acct"`
	DisplayName     string   `json:"display_name"`
	Locked          bool     `json:"locked"`
	Bot             bool     `json:"bot"`
	Discoverable    bool     `json:"discoverable"`
	Indexable       bool     `json:"indexable"`
	Group           bool     `json:"group"`
	CreatedAt       string   `json:"created_at"`
	Note            string   `json:"note"`
	URL             string   `json:"url"`
	URI             string   `json:"uri"`
	Avatar          string   `json:"avatar"`
	AvatarStatic    string   `json:"avatar_static"`
	Header          string   `json:"header"`
	HeaderStatic    string   `json:"header_static"`
	FollowersCount  int64    `json:"followers_count"`
	FollowingCount  int64    `json:"following_count"`
	StatusesCount   int64    `json:"statuses_count"`
	LastStatusAt    *string  `json:"last_status_at"`
	HideCollections bool     `json:"hide_collections"`
	Noindex         bool     `json:"noindex"`
	Emojis          []any    `json:"emojis"`
	Roles           []any    `json:"roles"`
	Fields          []Field  `json:"fields"`
	Source          *Source  `json:"source,omitempty"` // CredentialAccount only
	Role            *Role    `json:"role,omitempty"`   // CredentialAccount only
	Suspended       *bool    `json:"suspended,omitempty"`
	Limited         *bool    `json:"limited,omitempty"`
	Moved           *Account `json:"moved,omitempty"`
	Memorial        *bool    `json:"memorial,omitempty"`
}

// Field is a profile metadata pair.
type Field struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// Source is the editable side of the caller's own account.
type Source struct {
	Privacy             string  `json:"privacy"`
	Sensitive           bool    `json:"sensitive"`
	Language            string  `json:"language"`
	Note                string  `json:"note"`
	Fields              []Field `json:"fields"`
	FollowRequestsCount int64   `json:"follow_requests_count"`
	HideCollections     bool    `json:"hide_collections"`
	Discoverable        bool    `json:"discoverable"`
	Indexable           bool    `json:"indexable"`
	// FediverseSharing is weft's own: whether the member shares their posts
	// with the fediverse over ActivityPub.
	FediverseSharing bool `json:"fediverse_sharing"`
}

// Role is the caller's role on this server.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Permissions string `json:"permissions"`
	Color       string `json:"color"`
	Highlighted bool   `json:"highlighted"`
}

// timestamp formats a time as Mastodon does: ISO 8601 in UTC with milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func timestampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(*t)
	return &s
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// idPtr renders an optional ID: null when 0.
func idPtr(id int64) *string {
	if id == 0 {
		return nil
	}
	s := idStr(id)
	return &s
}

// account renders an account. Mastodon shows an account's creation day
// (midnight UTC), and the day of its last post.
func (a *API) account(acc *model.Account) Account {
	out := Account{
		ID: idStr(acc.ID), Username: acc.Username, Acct: acc.Acct(), DisplayName: acc.DisplayName,
		Locked: acc.Locked, Bot: acc.Bot, Discoverable: acc.Discoverable, Indexable: acc.Discoverable,
		CreatedAt: timestamp(acc.CreatedAt.UTC().Truncate(24 * time.Hour)), Note: acc.NoteHTML,
		URL: a.svc.AccountURL(acc), URI: a.accountURI(acc),
		Avatar: a.imageURL(acc.AvatarURL, missingAvatar), AvatarStatic: a.imageURL(acc.AvatarStaticURL, missingAvatar),
		Header: a.imageURL(acc.HeaderURL, missingHeader), HeaderStatic: a.imageURL(acc.HeaderStaticURL, missingHeader),
		FollowersCount: acc.FollowersCount, FollowingCount: acc.FollowingCount, StatusesCount: acc.StatusesCount,
		Emojis: []any{}, Roles: []any{}, Fields: fields(acc.Fields, true), HideCollections: acc.HideCollections,
	}
	if acc.LastStatusAt != nil {
		day := acc.LastStatusAt.UTC().Format("2006-01-02")
		out.LastStatusAt = &day
	}
	if acc.Gone() {
		t := true
		out.Suspended = &t
	}
	return out
}

// accountURI is an account's ActivityPub ID.
func (a *API) accountURI(acc *model.Account) string {
	if !acc.Local() {
		return acc.URI
	}
	return a.cfg.BaseURL + "/users/" + acc.Username
}

func fields(in []model.Field, rendered bool) []Field {
	out := make([]Field, 0, len(in))
	for _, f := range in {
		v := f.Value
		if rendered {
			v = f.ValueHTML
		}
		out = append(out, Field{Name: f.Name, Value: v, VerifiedAt: timestampPtr(f.VerifiedAt)})
	}
	return out
}

// credentialAccount is the caller's own account, with its source.
func (a *API) credentialAccount(acc *model.Account, u *model.User, followRequests int64) Account {
	out := a.account(acc)
	out.Source = &Source{Privacy: "public", Language: "", Note: acc.Note, Fields: fields(acc.Fields, false),
		FollowRequestsCount: followRequests, Discoverable: acc.Discoverable, Indexable: acc.Discoverable,
		FediverseSharing: acc.FediverseSharing, HideCollections: acc.HideCollections}
	role := Role{ID: "-99", Name: "", Permissions: "0", Color: ""}
	if u != nil && u.Admin {
		role = Role{ID: "3", Name: "Owner", Permissions: "1048575", Color: "", Highlighted: true}
	}
	out.Role = &role
	return out
}

// imageURL is an avatar's or header's URL: a path here, made absolute; a
// remote address as it is; the default image when there is none.
func (a *API) imageURL(u, missing string) string {
	switch {
	case u == "":
		return a.cfg.BaseURL + missing
	case strings.HasPrefix(u, "/"):
		return a.cfg.BaseURL + u
	}
	return u
}

// Default images: Mastodon clients expect an avatar and header URL always.
const (
	missingAvatar = "/avatars/original/missing.png"
	missingHeader = "/headers/original/missing.png"
)
