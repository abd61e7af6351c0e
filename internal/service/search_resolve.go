package service

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"weft/internal/model"
	"weft/internal/store"
)

// isHTTPURL reports whether a search query is a URL to look up (Mastodon
// looks up http and https URLs when asked to resolve).
func isHTTPURL(query string) bool {
	lower := strings.ToLower(query)
	return strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
}

// resolveURL looks a URL up for a search with Resolve: an account's or a
// post's page or ActivityPub ID on this server gives that account or post,
// when the viewer may see it. Only the first page of a search, of the
// type found or of no type, shows it.
func (s *Service) resolveURL(ctx context.Context, q store.Queries, viewer int64, raw string, in Search, out *SearchResults) error {
	if in.Offset > 0 {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil
	}
	base, err := url.Parse(s.cfg.BaseURL)
	if err != nil || !strings.EqualFold(u.Host, base.Host) {
		return s.resolveRemoteURL(ctx, viewer, raw, in, out)
	}
	username, statusID, ok := parseLocalPath(u.Path)
	if !ok {
		return nil
	}
	author, err := s.searchableAccount(ctx, q, viewer, username)
	if err != nil || author == nil {
		return err
	}
	if statusID == 0 {
		if in.Type == "" || in.Type == SearchTypeAccounts {
			out.Accounts = []*model.Account{author}
		}
		return nil
	}
	if in.Type != "" && in.Type != SearchTypeStatuses {
		return nil
	}
	return s.resolvedStatus(ctx, q, viewer, statusID, author.ID, out)
}

// resolvedStatus shows a looked-up post when the viewer may see it (and,
// for a URL that names its author, when it is that author's post).
func (s *Service) resolvedStatus(ctx context.Context, q store.Queries, viewer, statusID, authorID int64, out *SearchResults) error {
	st, _, err := s.visibleStatus(ctx, q, viewer, statusID)
	if isNotFound(err) || (err == nil && (authorID != 0 && st.AccountID != authorID || st.IsReblog())) {
		return nil
	}
	if err != nil {
		return err
	}
	view, err := s.statusView(ctx, q, viewer, st)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	out.Statuses = []*StatusView{view}
	return nil
}

// parseLocalPath reads the paths of this server's account and post URLs
// (as the client API renders them: /@user and /@user/ID) and ActivityPub
// IDs (/users/user and /users/user/statuses/ID). statusID is 0 for an
// account.
func parseLocalPath(path string) (username string, statusID int64, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	var idPart string
	switch {
	case len(parts) <= 2 && strings.HasPrefix(parts[0], "@"):
		username = parts[0][1:]
		if len(parts) == 2 {
			idPart = parts[1]
		}
	case len(parts) == 2 && parts[0] == "users":
		username = parts[1]
	case len(parts) == 4 && parts[0] == "users" && parts[2] == "statuses":
		username, idPart = parts[1], parts[3]
	default:
		return "", 0, false
	}
	if username == "" || strings.Contains(username, "@") {
		return "", 0, false
	}
	if idPart != "" {
		id, err := strconv.ParseInt(idPart, 10, 64)
		if err != nil || id <= 0 {
			return "", 0, false
		}
		statusID = id
	}
	return username, statusID, true
}

// searchableAccount finds a local account by username for a viewer: not
// suspended or deleted, and not blocked either way. nil when there is none.
func (s *Service) searchableAccount(ctx context.Context, q store.Queries, viewer int64, username string) (*model.Account, error) {
	a, err := q.AccountByUsername(ctx, username, "")
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.Gone() {
		return nil, nil
	}
	if viewer != 0 && a.ID != viewer {
		rel, err := q.RelationsOf(ctx, viewer, []int64{a.ID}, s.clock())
		if err != nil {
			return nil, err
		}
		if rel.Blocking[a.ID] || rel.BlockedBy[a.ID] {
			return nil, nil
		}
	}
	return a, nil
}

// resolveRemoteURL looks up another server's URL: an account or post known
// here by its id, else fetched through the federation layer. What the
// viewer may not see is not shown.
func (s *Service) resolveRemoteURL(ctx context.Context, viewer int64, raw string, in Search, out *SearchResults) error {
	q := s.st.Read()
	var acc *model.Account
	var st *model.Status
	var err error
	if acc, err = q.AccountByURI(ctx, raw); isNotFound(err) {
		acc = nil
		if st, err = q.StatusByURI(ctx, raw); isNotFound(err) {
			st = nil
			if s.resolver == nil {
				return nil
			}
			if acc, st, err = s.resolver.ResolveURL(ctx, raw); err != nil {
				s.log.Debug("remote look-up failed", "url", raw, "err", err)
				return nil // as Mastodon: what cannot be found is no error
			}
			q = s.st.Read()
		}
	}
	if err != nil {
		return err
	}
	if acc != nil {
		if in.Type != "" && in.Type != SearchTypeAccounts || acc.Gone() {
			return nil
		}
		if viewer != 0 {
			rel, err := q.RelationsOf(ctx, viewer, []int64{acc.ID}, s.clock())
			if err != nil {
				return err
			}
			if rel.Blocking[acc.ID] || rel.BlockedBy[acc.ID] {
				return nil
			}
		}
		out.Accounts = []*model.Account{acc}
		return nil
	}
	if st == nil || (in.Type != "" && in.Type != SearchTypeStatuses) {
		return nil
	}
	return s.resolvedStatus(ctx, q, viewer, st.ID, 0, out)
}
