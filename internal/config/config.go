// Package config holds weft's configuration: one typed value, resolved once at
// start-up from flags > environment > optional TOML file > defaults, and fully
// validated before anything else runs, so that a typo stops the server with a
// one-line message naming the key instead of surfacing later as odd behaviour.
//
// Every key has three spellings derived from one table (keys.go): the file key
// (database_url), the environment variable (WEFT_DATABASE_URL) and the flag
// (--database-url). The config file itself is named by --config or
// WEFT_CONFIG and is optional. An empty value in any source means "use the
// default", which lets an environment variable or flag switch off a value set
// in the file (for example WEFT_TLS_CERT= ).
package config

import (
	"log/slog"
	"net/netip"
	"strings"
	"time"
)

// Config is weft's resolved configuration. Load returns it fully validated
// and with every default filled in; code elsewhere should read it, never
// build or patch one.
type Config struct {
	// Domain is host or host:port, lower-cased; it is part of every actor
	// ID, so it is the server's identity.
	Domain string
	// Protocol is "https" or "http" (only for local and test domains).
	Protocol string
	// Listen is the host:port the HTTP(S) server binds.
	Listen string
	// ListenRedirect, when set, is a plain-HTTP address redirecting to HTTPS.
	ListenRedirect string
	// DebugListen, when set, serves the Go profiler (net/http/pprof).
	DebugListen string
	// MetricsToken, when set, lets /metrics be read on the main port with it.
	MetricsToken string
	DataDir      string
	// DatabaseURL is "sqlite:PATH" or a postgres:// URL.
	DatabaseURL string
	// TLSCert and TLSKey are both set or both empty.
	TLSCert, TLSKey string

	LogLevel slog.Level
	// LogFormat is "auto", "text" or "json"; the caller resolves auto.
	LogFormat string

	// FederationAllowPrivate lists loopback/private ranges that outgoing
	// federation requests may reach anyway (for local test setups).
	FederationAllowPrivate []netip.Prefix
	// FederationAllowlist, when set, limits federation to these domains.
	FederationAllowlist []string
	// AuthorizedFetch: ActivityPub documents only for signed requests
	// (Mastodon's secure mode).
	AuthorizedFetch bool
	// FediverseSharingDefault is the default for a new account's
	// "share to the fediverse" setting.
	FediverseSharingDefault bool

	MaxPostChars int
	JobWorkers   int
	// DBMaxConns is the database pool size; 0 lets the store decide.
	DBMaxConns      int
	ShutdownTimeout time.Duration

	InstanceName        string
	InstanceDescription string
	ContactEmail        string
	// Registrations is "open", "approval" or "closed".
	Registrations string

	OAuthPasswordGrant bool
	// RateLimit switches the client API's rate limits on (default) or off.
	RateLimit bool
	// PasswordHashMemory is the memory of one Argon2id password hash.
	PasswordHashMemory int64
	// TrustedProxies may name the client in X-Forwarded-For.
	TrustedProxies []netip.Prefix

	Media MediaConfig
}

// MediaConfig is where uploaded and cached media lives and how large it may be.
type MediaConfig struct {
	// Storage is "local" (under DataDir) or "s3".
	Storage string

	S3Endpoint  string
	S3Bucket    string
	S3Region    string
	S3AccessKey string
	S3SecretKey string
	S3PathStyle bool
	// S3Serve is "redirect" (send clients to the bucket) or "proxy".
	S3Serve string

	MaxImageBytes  int64
	MaxVideoBytes  int64
	MaxImagePixels int64
	// RemoteCacheBytes caps cached remote media; 0 means unlimited.
	RemoteCacheBytes int64
}

// BaseURL returns Protocol + "://" + Domain, e.g. "http://localhost:8080" —
// the only source of absolute URLs in weft, so that IDs never disagree.
func (c *Config) BaseURL() string {
	return c.Protocol + "://" + c.Domain
}

// IsSQLite reports whether DatabaseURL names SQLite.
func (c *Config) IsSQLite() bool {
	return strings.HasPrefix(c.DatabaseURL, sqlitePrefix)
}

// SQLitePath returns the SQLite file path (the part after "sqlite:"), or ""
// when the database is not SQLite. Relative paths are relative to the
// working directory, not to the config file.
func (c *Config) SQLitePath() string {
	p, ok := strings.CutPrefix(c.DatabaseURL, sqlitePrefix)
	if !ok {
		return ""
	}
	return p
}

const sqlitePrefix = "sqlite:"

// Error is a configuration problem. Key names the key in the spelling the bad
// value came from ("--listen", "WEFT_LISTEN" or "listen (in /etc/weft.toml)")
// so the operator knows exactly where to look.
type Error struct {
	Key, Msg string
}

// Error returns "<Key>: <Msg>" on one line; start-up logs and systemd status
// lines show only the first line, so nothing may hide on a second one.
func (e *Error) Error() string {
	return oneLine(e.Key + ": " + e.Msg)
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
