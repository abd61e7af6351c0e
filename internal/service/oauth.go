package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"weft/internal/model"
	"weft/internal/store"
)

// OAuthError is an OAuth 2 protocol error (RFC 6749 §5.2): the client API
// answers it with this code and description.
type OAuthError struct {
	Code        string // invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, access_denied
	Description string
}

func (e *OAuthError) Error() string { return e.Code + ": " + e.Description }

// OOB is the redirect URI of apps that cannot receive a redirect: the code
// is shown to the user to copy.
const OOB = "urn:ietf:wg:oauth:2.0:oob"

const (
	authCodeLifetime = 10 * time.Minute
	maxRedirectURIs  = 10
)

// newSecret returns 32 random bytes as unpadded base64url: only characters
// valid in an HTTP token, so a token can travel in Sec-WebSocket-Protocol.
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// hashSecret is how secrets are stored and looked up.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// AppInput is an app registration (POST /api/v1/apps).
type AppInput struct {
	Name         string
	Website      string
	RedirectURIs []string // one or more; absolute URIs, custom schemes allowed, or OOB
	Scopes       string
}

// RegisterApp registers an OAuth client and returns it with its secret,
// which is shown this once and stored only hashed.
func (s *Service) RegisterApp(ctx context.Context, in AppInput) (*model.App, string, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, "", model.Invalid("client_name", "can't be blank")
	}
	if len(name) > 200 || len(in.Website) > 2000 {
		return nil, "", model.Invalid("client_name", "is too long")
	}
	var uris []string
	for _, u := range in.RedirectURIs {
		for _, one := range strings.Fields(u) { // some clients send several separated by spaces or newlines
			if err := validRedirectURI(one); err != nil {
				return nil, "", err
			}
			if !slices.Contains(uris, one) {
				uris = append(uris, one)
			}
		}
	}
	if len(uris) == 0 {
		return nil, "", model.Invalid("redirect_uris", "can't be blank")
	}
	if len(uris) > maxRedirectURIs {
		return nil, "", model.Invalid("redirect_uris", "at most %d", maxRedirectURIs)
	}
	scopes, err := ParseScopes(in.Scopes)
	if err != nil {
		return nil, "", model.Invalid("scopes", "%s", err.(*OAuthError).Description)
	}
	secret := newSecret()
	app := &model.App{ID: s.newID(), Name: name, Website: strings.TrimSpace(in.Website), RedirectURIs: uris,
		Scopes: scopes, ClientID: newSecret(), SecretHash: hashSecret(secret), CreatedAt: s.clock()}
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.InsertApp(ctx, app) }); err != nil {
		return nil, "", err
	}
	return app, secret, nil
}

func validRedirectURI(raw string) error {
	if raw == OOB {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || len(raw) > 2000 || u.Fragment != "" {
		return model.Invalid("redirect_uris", "must be absolute URIs without fragments (or %s)", OOB)
	}
	switch strings.ToLower(u.Scheme) {
	case "javascript", "data", "vbscript", "file", "blob", "about", "filesystem":
		// The browser would run or show these instead of returning to
		// an app; a code sent there goes to whoever wrote the page.
		return model.Invalid("redirect_uris", "cannot use the %s: scheme", strings.ToLower(u.Scheme))
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
		return model.Invalid("redirect_uris", "an http(s) redirect URI needs a host")
	}
	return nil
}

// App returns the app of a client ID, checking its secret when given.
func (s *Service) App(ctx context.Context, clientID, secret string, checkSecret bool) (*model.App, error) {
	app, err := s.st.Read().AppByClientID(ctx, clientID)
	if err != nil {
		return nil, &OAuthError{Code: "invalid_client", Description: "unknown client"}
	}
	if checkSecret && subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(app.SecretHash)) != 1 {
		return nil, &OAuthError{Code: "invalid_client", Description: "client authentication failed"}
	}
	return app, nil
}

// AuthorizeRequest is what GET /oauth/authorize asks for.
type AuthorizeRequest struct {
	ClientID            string
	RedirectURI         string
	Scope               string
	CodeChallenge       string
	CodeChallengeMethod string
}

// CheckAuthorize validates an authorization request before the user is
// asked: the app exists, the redirect URI is one it registered (exactly),
// the scopes are within its own, PKCE parameters make sense.
func (s *Service) CheckAuthorize(ctx context.Context, r AuthorizeRequest) (*model.App, []string, error) {
	app, err := s.App(ctx, r.ClientID, "", false)
	if err != nil {
		return nil, nil, err
	}
	if r.RedirectURI == "" && len(app.RedirectURIs) == 1 {
		r.RedirectURI = app.RedirectURIs[0]
	}
	if !slices.Contains(app.RedirectURIs, r.RedirectURI) {
		return nil, nil, &OAuthError{Code: "invalid_request", Description: "the redirect URI is not one this app registered"}
	}
	scopes, err := ParseScopes(r.Scope)
	if err != nil {
		return nil, nil, err
	}
	if !scopesWithin(scopes, app.Scopes) {
		return nil, nil, &OAuthError{Code: "invalid_scope", Description: "the requested scopes exceed the app's"}
	}
	switch r.CodeChallengeMethod {
	case "", "plain", "S256":
	default:
		return nil, nil, &OAuthError{Code: "invalid_request", Description: "code_challenge_method must be S256 or plain"}
	}
	if r.CodeChallengeMethod != "" && r.CodeChallenge == "" {
		return nil, nil, &OAuthError{Code: "invalid_request", Description: "code_challenge is missing"}
	}
	return app, scopes, nil
}

// IssueAuthCode records the user's consent and returns a single-use code.
func (s *Service) IssueAuthCode(ctx context.Context, accountID int64, r AuthorizeRequest) (string, error) {
	app, scopes, err := s.CheckAuthorize(ctx, r)
	if err != nil {
		return "", err
	}
	// The code keeps the redirect URI only when the request named one: then
	// the token request must name it too (RFC 6749 §4.1.3).
	method := r.CodeChallengeMethod
	if r.CodeChallenge != "" && method == "" {
		method = "plain" // RFC 7636: plain when the method is omitted
	}
	code := newSecret()
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, accountID); err != nil {
			return err
		}
		return tx.InsertAuthCode(ctx, hashSecret(code), &model.AuthCode{AppID: app.ID, AccountID: accountID,
			RedirectURI: r.RedirectURI, Scopes: scopes, Challenge: r.CodeChallenge, ChallengeMethod: method,
			ExpiresAt: s.clock().Add(authCodeLifetime)})
	})
	return code, err
}

// IssuedToken is a new access token with what it grants.
type IssuedToken struct {
	AccessToken  string
	RefreshToken string
	Scopes       []string
	CreatedAt    time.Time
	AccountID    int64
}

// TokenRequest is a POST /oauth/token.
type TokenRequest struct {
	GrantType    string
	ClientID     string
	ClientSecret string
	Code         string
	RedirectURI  string
	CodeVerifier string
	RefreshToken string
	Scope        string
	Username     string
	Password     string
	IP           string // the client's, for the password grant's sign-in limits
	// PasswordGrant: whether the admin allowed the password grant.
	PasswordGrant bool
}

// Token runs the token endpoint's grants.
func (s *Service) Token(ctx context.Context, r TokenRequest) (*IssuedToken, error) {
	switch r.GrantType {
	case "authorization_code":
		return s.exchangeCode(ctx, r)
	case "client_credentials":
		app, err := s.App(ctx, r.ClientID, r.ClientSecret, true)
		if err != nil {
			return nil, err
		}
		scopes, err := s.grantScopes(r.Scope, app)
		if err != nil {
			return nil, err
		}
		return s.issueToken(ctx, app.ID, 0, scopes, false)
	case "refresh_token":
		return s.refresh(ctx, r)
	case "password":
		if !r.PasswordGrant {
			return nil, &OAuthError{Code: "unsupported_grant_type", Description: "the password grant is switched off on this server"}
		}
		app, err := s.App(ctx, r.ClientID, r.ClientSecret, true)
		if err != nil {
			return nil, err
		}
		scopes, err := s.grantScopes(r.Scope, app)
		if err != nil {
			return nil, err
		}
		a, _, err := s.Authenticate(ctx, SignIn{Login: r.Username, Password: r.Password, IP: r.IP})
		if errors.Is(err, model.ErrThrottled) {
			return nil, err // 429, with when to try again
		}
		if err != nil {
			return nil, &OAuthError{Code: "invalid_grant", Description: model.Message(err)}
		}
		return s.issueToken(ctx, app.ID, a.ID, scopes, true)
	case "":
		return nil, &OAuthError{Code: "invalid_request", Description: "grant_type is missing"}
	}
	return nil, &OAuthError{Code: "unsupported_grant_type", Description: "unsupported grant type " + r.GrantType}
}

func (s *Service) grantScopes(raw string, app *model.App) ([]string, error) {
	if strings.TrimSpace(raw) == "" {
		return app.Scopes, nil
	}
	scopes, err := ParseScopes(raw)
	if err != nil {
		return nil, err
	}
	if !scopesWithin(scopes, app.Scopes) {
		return nil, &OAuthError{Code: "invalid_scope", Description: "the requested scopes exceed the app's"}
	}
	return scopes, nil
}

func (s *Service) exchangeCode(ctx context.Context, r TokenRequest) (*IssuedToken, error) {
	// Public clients (PKCE, no secret) are allowed when the code carries a
	// challenge; otherwise the secret must match.
	app, err := s.App(ctx, r.ClientID, r.ClientSecret, false)
	if err != nil {
		return nil, err
	}
	codeHash := hashSecret(r.Code)
	var code *model.AuthCode
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		code, err = tx.UseAuthCode(ctx, codeHash, s.clock())
		return err
	})
	bad := &OAuthError{Code: "invalid_grant", Description: "the authorization code is invalid, expired or used"}
	if isNotFound(err) && r.Code != "" {
		// Used before: whoever holds it now may not be who used it, so
		// the tokens issued from it go too (RFC 6749 §4.1.2).
		if err := s.revokeCodeTokens(ctx, codeHash); err != nil {
			return nil, err
		}
	}
	if err != nil || code.AppID != app.ID || s.clock().After(code.ExpiresAt) {
		return nil, bad
	}
	wantRedirect := code.RedirectURI
	if wantRedirect == "" && r.RedirectURI != "" {
		wantRedirect = app.RedirectURIs[0] // the one the authorization request went back to
	}
	if r.RedirectURI != wantRedirect {
		return nil, &OAuthError{Code: "invalid_grant", Description: "redirect_uri does not match the authorization request"}
	}
	// A confidential client proves itself with its secret; a public one
	// (PKCE) may send none — but a secret that is sent must be right.
	if code.Challenge == "" || r.ClientSecret != "" {
		if _, err := s.App(ctx, r.ClientID, r.ClientSecret, true); err != nil {
			return nil, err
		}
	}
	if code.Challenge != "" && !pkceMatches(code.ChallengeMethod, code.Challenge, r.CodeVerifier) {
		return nil, &OAuthError{Code: "invalid_grant", Description: "code_verifier does not match the code_challenge"}
	}
	var out *IssuedToken
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.insertToken(ctx, tx, &model.Token{AppID: app.ID, AccountID: code.AccountID, Scopes: code.Scopes, AuthCode: codeHash}, true)
		return err
	})
	return out, err
}

// revokeCodeTokens revokes the tokens issued from a code, and ends their
// streams.
func (s *Service) revokeCodeTokens(ctx context.Context, codeHash string) error {
	used, err := s.st.Read().AuthCodeUsed(ctx, codeHash)
	if err != nil || !used {
		return err
	}
	var ids []int64
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		ids, err = tx.RevokeCodeTokens(ctx, codeHash, s.clock())
		return err
	})
	for _, id := range ids {
		s.tokenRevoked(ctx, id)
	}
	return err
}

func pkceMatches(method, challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false // RFC 7636 §4.1
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (s *Service) refresh(ctx context.Context, r TokenRequest) (*IssuedToken, error) {
	app, err := s.App(ctx, r.ClientID, r.ClientSecret, true)
	if err != nil {
		return nil, err
	}
	bad := &OAuthError{Code: "invalid_grant", Description: "the refresh token is invalid"}
	if r.RefreshToken == "" {
		return nil, bad
	}
	var out *IssuedToken
	var replaced int64
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.TokenByRefreshHash(ctx, hashSecret(r.RefreshToken))
		if err != nil || old.AppID != app.ID || old.RevokedAt != nil {
			return bad
		}
		scopes := old.Scopes
		if strings.TrimSpace(r.Scope) != "" {
			if scopes, err = ParseScopes(r.Scope); err != nil {
				return err
			}
			if !scopesWithin(scopes, old.Scopes) {
				return &OAuthError{Code: "invalid_scope", Description: "a refreshed token cannot have more scopes"}
			}
		}
		// Rotation: the old token and its refresh token stop working.
		if _, err := tx.RevokeToken(ctx, old.ID, s.clock()); err != nil {
			return err
		}
		replaced = old.ID
		out, err = s.insertToken(ctx, tx, &model.Token{AppID: app.ID, AccountID: old.AccountID, Scopes: scopes, AuthCode: old.AuthCode}, true)
		return err
	})
	if err == nil {
		s.tokenRevoked(ctx, replaced) // its streams end; the app opens them again with the new token
	}
	return out, err
}

func (s *Service) issueToken(ctx context.Context, appID, accountID int64, scopes []string, refresh bool) (*IssuedToken, error) {
	var out *IssuedToken
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.insertToken(ctx, tx, &model.Token{AppID: appID, AccountID: accountID, Scopes: scopes}, refresh)
		return err
	})
	return out, err
}

// insertToken stores a new token (t's app, account, scopes and code) with
// a fresh secret, and a refresh token when asked.
func (s *Service) insertToken(ctx context.Context, tx *store.Tx, t *model.Token, refresh bool) (*IssuedToken, error) {
	if t.AccountID != 0 {
		if _, err := s.activeLocalAccount(ctx, tx.Queries, t.AccountID); err != nil {
			return nil, err
		}
	}
	out := &IssuedToken{AccessToken: newSecret(), Scopes: t.Scopes, CreatedAt: s.clock(), AccountID: t.AccountID}
	t.ID, t.CreatedAt = s.newID(), out.CreatedAt
	if refresh {
		out.RefreshToken = newSecret()
		t.RefreshHash = hashSecret(out.RefreshToken)
	}
	return out, tx.InsertToken(ctx, hashSecret(out.AccessToken), t)
}

// CreateToken makes a token for an account without an app (the admin CLI's
// `weft admin token create`, for bots, scripts and tests).
func (s *Service) CreateToken(ctx context.Context, accountID int64, scopeList string) (*IssuedToken, error) {
	scopes, err := ParseScopes(scopeList)
	if err != nil {
		return nil, model.Invalid("scopes", "%s", err.(*OAuthError).Description)
	}
	return s.issueToken(ctx, 0, accountID, scopes, false)
}

// RevokeToken revokes an access or refresh token (POST /oauth/revoke). As
// RFC 7009 says, an unknown token is not an error.
func (s *Service) RevokeToken(ctx context.Context, clientID, secret, token string) error {
	app, err := s.App(ctx, clientID, secret, true)
	if err != nil {
		return err
	}
	var revoked int64
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		t, err := tx.TokenByHash(ctx, hashSecret(token))
		if isNotFound(err) {
			t, err = tx.TokenByRefreshHash(ctx, hashSecret(token))
		}
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if t.AppID != app.ID {
			return &OAuthError{Code: "unauthorized_client", Description: "the token belongs to another app"}
		}
		revoked = t.ID
		_, err = tx.RevokeToken(ctx, t.ID, s.clock())
		return err
	})
	if err == nil && revoked != 0 {
		s.tokenRevoked(ctx, revoked)
	}
	return err
}

// RevokeTokenValue revokes a token by its value, whoever issued it (admin CLI).
func (s *Service) RevokeTokenValue(ctx context.Context, token string) error {
	var id int64
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		t, err := tx.TokenByHash(ctx, hashSecret(token))
		if err != nil {
			return err
		}
		revoked, err := tx.RevokeToken(ctx, t.ID, s.clock())
		if err == nil && !revoked {
			err = model.Errorf(model.ErrAlready, "", "the token is revoked already")
		}
		id = t.ID
		return err
	})
	if err == nil {
		s.tokenRevoked(ctx, id)
	}
	return err
}

// Caller is who makes an API request: a token, its app and account.
type Caller struct {
	Token   *model.Token
	App     *model.App // nil for tokens made by the admin CLI
	Account *model.Account
	// ViewerRev is the revision of what the account sees, read with the
	// token: the request's cached reads use it (store.WithKnownViewerRev).
	ViewerRev int64
}

// AccountID is the caller's account, 0 for an app-only token.
func (c *Caller) AccountID() int64 {
	if c == nil || c.Account == nil {
		return 0
	}
	return c.Account.ID
}

// Allows reports whether the caller's token grants scope.
func (c *Caller) Allows(scope string) bool { return c != nil && ScopesAllow(c.Token.Scopes, scope) }

type callerKey struct{}

type knownCaller struct {
	token  string
	caller *Caller
}

// WithCaller records in ctx the caller a token was resolved to, so that a
// later TokenCaller of the same request (the handler's, after the rate
// limiter's) reads nothing again.
func WithCaller(ctx context.Context, token string, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, knownCaller{token, c})
}

// TokenCaller resolves a bearer token: unknown, revoked and expired tokens,
// and tokens of suspended accounts, give ErrUnauthorized.
func (s *Service) TokenCaller(ctx context.Context, raw string) (*Caller, error) {
	if k, ok := ctx.Value(callerKey{}).(knownCaller); ok && k.token == raw && k.caller != nil {
		return k.caller, nil
	}
	bad := model.Errorf(model.ErrUnauthorized, "", "The access token is invalid")
	if raw == "" || len(raw) > 200 {
		return nil, bad
	}
	q := s.st.Read()
	auth, err := q.TokenForAuth(ctx, hashSecret(raw))
	if isNotFound(err) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	t := auth.Token
	if t.RevokedAt != nil || (t.ExpiresAt != nil && s.clock().After(*t.ExpiresAt)) {
		return nil, bad
	}
	c := &Caller{Token: t, ViewerRev: auth.ViewerRev}
	if t.AccountID != 0 {
		if c.Account, err = q.AccountAtRev(ctx, t.AccountID, auth.AccountRev); err != nil {
			return nil, err
		}
		if c.Account.Gone() {
			return nil, bad
		}
	}
	if t.AppID != 0 {
		if c.App, err = q.AppByIDCached(ctx, t.AppID); err != nil && !isNotFound(err) {
			return nil, err
		}
	}
	return c, nil
}
