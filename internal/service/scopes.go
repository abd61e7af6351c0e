package service

import (
	"slices"
	"strings"
)

// OAuth scopes, as Mastodon names them.
var (
	topScopes     = []string{"read", "write", "follow", "push", "profile", "admin:read", "admin:write"}
	readSubScopes = []string{"accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
		"notifications", "search", "statuses"}
	writeSubScopes = []string{"accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows",
		"lists", "media", "mutes", "notifications", "reports", "statuses"}
	// The legacy "follow" scope grants these, as on Mastodon.
	followScopeGrants = []string{"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}
)

// KnownScopes lists every scope weft accepts, for discovery documents.
func KnownScopes() []string {
	out := slices.Clone(topScopes)
	for _, s := range readSubScopes {
		out = append(out, "read:"+s)
	}
	for _, s := range writeSubScopes {
		out = append(out, "write:"+s)
	}
	return out
}

// ValidScope reports whether weft knows the scope.
func ValidScope(s string) bool {
	if slices.Contains(topScopes, s) {
		return true
	}
	if sub, ok := strings.CutPrefix(s, "read:"); ok {
		return slices.Contains(readSubScopes, sub)
	}
	if sub, ok := strings.CutPrefix(s, "write:"); ok {
		return slices.Contains(writeSubScopes, sub)
	}
	return strings.HasPrefix(s, "admin:read:") || strings.HasPrefix(s, "admin:write:")
}

// ParseScopes splits a space-separated (or "+"-joined, as some clients
// send) scope string, checks every scope and drops duplicates. Empty means
// "read", OAuth's default for Mastodon.
func ParseScopes(raw string) ([]string, error) {
	fields := strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == '+' || r == ',' })
	if len(fields) == 0 {
		return []string{"read"}, nil
	}
	var out []string
	for _, f := range fields {
		if !ValidScope(f) {
			return nil, &OAuthError{Code: "invalid_scope", Description: "unknown scope " + f}
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// ScopesAllow reports whether granted scopes allow an action needing
// required (e.g. "read:statuses"): the scope itself, its parent ("read";
// "admin:read" for "admin:read:accounts"), or, for follows, blocks and
// mutes, the legacy "follow" scope.
func ScopesAllow(granted []string, required string) bool {
	if slices.Contains(granted, required) {
		return true
	}
	if i := strings.LastIndexByte(required, ':'); i > 0 && slices.Contains(granted, required[:i]) {
		return true
	}
	return slices.Contains(granted, "follow") && slices.Contains(followScopeGrants, required)
}

// scopesWithin reports whether every requested scope is granted by the app's scopes.
func scopesWithin(requested, app []string) bool {
	for _, s := range requested {
		if !ScopesAllow(app, s) {
			return false
		}
	}
	return true
}
