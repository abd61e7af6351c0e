package service

import (
	"context"
	"net/url"
	"strings"

	"weft/internal/model"
)

// RemoteFollowURL is where a visitor goes to follow the local member
// username from their own server: the "subscribe" template that their
// server publishes with its WebFinger (Mastodon and Pleroma's
// authorize_interaction, Misskey's authorize-follow) filled in with the
// member's username@domain. handle is the visitor's own user@domain (a
// leading @ is fine). A member who does not share with the fediverse
// cannot be followed from elsewhere, and is "not found".
func (s *Service) RemoteFollowURL(ctx context.Context, username, handle string) (string, error) {
	acc, err := s.LocalAccountByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	if !acc.FediverseSharing {
		return "", model.NotFound("account")
	}
	user, domain, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(handle), "@"), "@")
	if !ok || user == "" || domain == "" || strings.ContainsAny(user+domain, "@/?# ") {
		return "", model.Invalid("handle", "write your handle as you@your.server")
	}
	if s.localDomain(domain) {
		return "", model.Invalid("handle", "that account is on this server: sign in to follow from here")
	}
	if s.resolver == nil {
		return "", model.Errorf(model.ErrUpstream, "handle", "this server cannot look up other servers")
	}
	tmpl, err := s.resolver.SubscribeTemplate(ctx, user, domain)
	if err != nil {
		return "", err
	}
	to := strings.ReplaceAll(tmpl, "{uri}", url.QueryEscape(acc.Username+"@"+s.cfg.Domain))
	// The template comes from another server: only a web address of that
	// server may come out of it (never javascript: or a third site).
	u, err := url.Parse(to)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.EqualFold(u.Host, domain) {
		return "", model.Errorf(model.ErrUpstream, "handle", "%s gave an address that is not its own", domain)
	}
	return u.String(), nil
}
