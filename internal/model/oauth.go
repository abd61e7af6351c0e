package model

import "time"

// App is an OAuth 2 client registered through POST /api/v1/apps.
type App struct {
	ID           int64
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	ClientID     string
	SecretHash   string
	CreatedAt    time.Time
}

// Token is an access token as stored: the secret itself is never stored,
// only its hash.
type Token struct {
	ID          int64
	AppID       int64 // 0 for tokens made by the admin CLI
	AccountID   int64 // 0 for client_credentials tokens (app-only)
	Scopes      []string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	RevokedAt   *time.Time
	RefreshHash string
	// AuthCode is the hash of the authorization code it was issued from
	// (kept through refreshes), "" otherwise.
	AuthCode string
}

// AuthCode is a pending authorization code.
type AuthCode struct {
	AppID           int64
	AccountID       int64
	RedirectURI     string
	Scopes          []string
	Challenge       string
	ChallengeMethod string
	ExpiresAt       time.Time
	UsedAt          *time.Time
}

// Session is a signed-in browser.
type Session struct {
	// Key names the session without being its cookie (the cookie's hash).
	Key        string
	AccountID  int64
	CSRFToken  string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
}
