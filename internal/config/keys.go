package config

import (
	"fmt"
	"strings"
	"time"
)

// kind says which TOML value types are natural for a key; every key also
// accepts a TOML string, parsed the same way as an environment variable.
type kind int

const (
	kindString kind = iota
	kindInt
	kindBool
	kindSize     // TOML integer = bytes
	kindDuration // strings only: a bare 15 would hide its unit
	kindList     // TOML array of strings, or one comma-separated string
)

// keySpec is one configuration key. The env and flag spellings are derived
// from name so the three can never drift apart.
type keySpec struct {
	name string // file key, snake_case
	// def is applied when no source sets the key. It is "" for keys that are
	// off by default and for derived defaults (domain, protocol,
	// database_url), which Load computes from other keys.
	def string
	// doc is the default as documented, when it differs from def.
	doc  string
	desc string
	kind kind
	// set parses v (never "") into c. Its error is the message without the
	// key and must not echo secrets.
	set func(c *Config, v string) error
}

func (k *keySpec) env() string  { return "WEFT_" + strings.ToUpper(k.name) }
func (k *keySpec) flag() string { return strings.ReplaceAll(k.name, "_", "-") }

func (k *keySpec) defaultText() string {
	if k.doc != "" {
		return k.doc
	}
	return k.def
}

// KeyDoc documents one key for the README and `weft help config`.
type KeyDoc struct {
	Key, Env, Flag, Default, Description string
}

// Reference returns every key with its spellings, default and description,
// in table order.
func Reference() []KeyDoc {
	docs := make([]KeyDoc, 0, len(keyTable))
	for i := range keyTable {
		k := &keyTable[i]
		docs = append(docs, KeyDoc{
			Key:         k.name,
			Env:         k.env(),
			Flag:        "--" + k.flag(),
			Default:     k.defaultText(),
			Description: k.desc,
		})
	}
	return docs
}

func lookupKey(name string) *keySpec {
	for i := range keyTable {
		if keyTable[i].name == name {
			return &keyTable[i]
		}
	}
	return nil
}

const (
	kib = 1 << 10
	mib = 1 << 20
	gib = 1 << 30
)

// keyTable is read-only after initialisation; the order is the order of
// Reference and of validation (so the first error is deterministic).
var keyTable = []keySpec{
	{name: "domain", doc: "localhost:<port of listen>", kind: kindString,
		desc: "Public host name (optionally :port) of this server; part of every account's ID, so never change it once federating",
		set:  func(c *Config, v string) (err error) { c.Domain, err = parseDomain(v); return }},
	{name: "protocol", doc: "http for localhost and test domains, else https", kind: kindString,
		desc: "Scheme of public URLs: https, or http (only for localhost, IPs and .test/.example/.invalid/.local/.internal names)",
		set:  func(c *Config, v string) (err error) { c.Protocol, err = parseEnum(v, "https", "http"); return }},
	{name: "listen", def: "127.0.0.1:8080", kind: kindString,
		desc: "Address the server listens on, host:port (empty host = all interfaces)",
		set:  func(c *Config, v string) (err error) { c.Listen, err = parseListen(v); return }},
	{name: "listen_redirect", doc: "off", kind: kindString,
		desc: "Extra plain-HTTP address (host:port or :port) that redirects to HTTPS; needs tls_cert and tls_key",
		set:  func(c *Config, v string) (err error) { c.ListenRedirect, err = parseOptional(v, parseListen); return }},
	{name: "debug_listen", doc: "off", kind: kindString,
		desc: "Address (host:port) serving Go's profiler at /debug/pprof/ for performance work; keep it on loopback",
		set:  func(c *Config, v string) (err error) { c.DebugListen, err = parseOptional(v, parseListen); return }},
	{name: "metrics_token", doc: "off", kind: kindString,
		desc: "Secret that lets Prometheus read /metrics on the main port (Authorization: Bearer …; 16-200 characters); off: only from this machine, and on debug_listen",
		set: func(c *Config, v string) (err error) {
			c.MetricsToken, err = parseOptional(v, func(v string) (string, error) {
				if len(v) < 16 || len(v) > 200 || strings.ContainsAny(v, " \t\r\n") {
					return "", fmt.Errorf("must be 16 to 200 characters without spaces")
				}
				return v, nil
			})
			return
		}},
	{name: "data_dir", def: "./weft-data", kind: kindString,
		desc: "Directory for the SQLite database and locally stored media",
		set:  func(c *Config, v string) (err error) { c.DataDir, err = parsePath(v); return }},
	{name: "database_url", doc: "sqlite:<data_dir>/weft.db", kind: kindString,
		desc: "Database: sqlite:PATH (relative to the working directory) or postgres://user:password@host/dbname",
		set:  func(c *Config, v string) (err error) { c.DatabaseURL, err = parseDatabaseURL(v); return }},
	{name: "tls_cert", doc: "off", kind: kindString,
		desc: "TLS certificate file (PEM) to serve HTTPS directly; set together with tls_key",
		set:  func(c *Config, v string) (err error) { c.TLSCert, err = parseOptional(v, parsePath); return }},
	{name: "tls_key", doc: "off", kind: kindString,
		desc: "TLS private key file (PEM); set together with tls_cert",
		set:  func(c *Config, v string) (err error) { c.TLSKey, err = parseOptional(v, parsePath); return }},
	{name: "log_level", def: "info", kind: kindString,
		desc: "Minimum log level: debug, info, warn or error",
		set:  func(c *Config, v string) (err error) { c.LogLevel, err = parseLogLevel(v); return }},
	{name: "log_format", def: "auto", kind: kindString,
		desc: "Log format: text, json, or auto (text on a terminal, JSON otherwise)",
		set:  func(c *Config, v string) (err error) { c.LogFormat, err = parseEnum(v, "auto", "text", "json"); return }},
	{name: "federation_allow_private", kind: kindList,
		desc: "Comma-separated IPs or CIDRs that outgoing federation requests may reach although loopback or private (for test networks)",
		set:  func(c *Config, v string) (err error) { c.FederationAllowPrivate, err = parsePrefixes(v); return }},
	{name: "federation_allowlist", kind: kindList,
		desc: "Comma-separated domains: when set, federate with these servers (and their subdomains) only",
		set:  func(c *Config, v string) (err error) { c.FederationAllowlist, err = parseDomains(v); return }},
	{name: "authorized_fetch", def: "off", kind: kindBool,
		desc: "Secure mode: on = ActivityPub documents are served only to signed requests, never to blocked servers",
		set:  func(c *Config, v string) (err error) { c.AuthorizedFetch, err = parseBool(v); return }},
	{name: "fediverse_sharing_default", def: "off", kind: kindBool,
		desc: "Default of a new account's \"share to the fediverse\" setting: on or off",
		set:  func(c *Config, v string) (err error) { c.FediverseSharingDefault, err = parseBool(v); return }},
	{name: "max_post_chars", def: "500", kind: kindInt,
		desc: "Maximum characters in a post (1-100000)",
		set:  func(c *Config, v string) (err error) { c.MaxPostChars, err = parseInt(v, 1, 100000); return }},
	{name: "job_workers", def: "10", kind: kindInt,
		desc: "Background job workers (1-1000)",
		set:  func(c *Config, v string) (err error) { c.JobWorkers, err = parseInt(v, 1, 1000); return }},
	{name: "db_max_conns", def: "0", kind: kindInt,
		desc: "Maximum database connections (0-1000; 0 = automatic)",
		set:  func(c *Config, v string) (err error) { c.DBMaxConns, err = parseInt(v, 0, 1000); return }},
	{name: "shutdown_timeout", def: "15s", kind: kindDuration,
		desc: "How long a graceful shutdown may take (1s-10m)",
		set: func(c *Config, v string) (err error) {
			c.ShutdownTimeout, err = parseDuration(v, time.Second, 10*time.Minute)
			return
		}},
	{name: "instance_name", def: "weft", kind: kindString,
		desc: "Name of this server shown to users (at most 100 characters)",
		set:  func(c *Config, v string) (err error) { c.InstanceName, err = parseText(v, 100, false); return }},
	{name: "instance_description", kind: kindString,
		desc: "Description of this server (at most 5000 characters)",
		set:  func(c *Config, v string) (err error) { c.InstanceDescription, err = parseText(v, 5000, true); return }},
	{name: "contact_email", kind: kindString,
		desc: "Public contact email address of the admin",
		set:  func(c *Config, v string) (err error) { c.ContactEmail, err = parseEmail(v); return }},
	{name: "registrations", def: "open", kind: kindString,
		desc: "Who may sign up: open, approval or closed",
		set: func(c *Config, v string) (err error) {
			c.Registrations, err = parseEnum(v, "open", "approval", "closed")
			return
		}},
	{name: "oauth_password_grant", def: "false", kind: kindBool,
		desc: "Allow the OAuth password grant (for clients that cannot open a browser)",
		set:  func(c *Config, v string) (err error) { c.OAuthPasswordGrant, err = parseBool(v); return }},
	{name: "rate_limit", def: "on", kind: kindBool,
		desc: "Rate limits, as Mastodon's: 1500 API requests per 5 minutes per account, 300 per IP for anonymous and app-only calls, 60 tokens and 5 sign-ups per IP; on, or off for tests and benchmarks (sign-in limits stay)",
		set:  func(c *Config, v string) (err error) { c.RateLimit, err = parseBool(v); return }},
	{name: "password_hash_memory", def: "19MiB", kind: kindSize,
		desc: "Memory of one password hash (Argon2id, 2 passes) for new passwords; at most one hash per core runs at once (8MiB-1GiB)",
		set:  func(c *Config, v string) (err error) { c.PasswordHashMemory, err = parseSize(v, 8*mib, gib); return }},
	{name: "trusted_proxies", def: "127.0.0.0/8,::1/128", kind: kindList,
		desc: "Comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For names the client",
		set:  func(c *Config, v string) (err error) { c.TrustedProxies, err = parsePrefixes(v); return }},
	{name: "media_storage", def: "local", kind: kindString,
		desc: "Where media is stored: local (under data_dir) or s3",
		set:  func(c *Config, v string) (err error) { c.Media.Storage, err = parseEnum(v, "local", "s3"); return }},
	{name: "media_s3_endpoint", kind: kindString,
		desc: "S3 endpoint, host[:port] or https://host[:port] (required with media_storage=s3)",
		set:  func(c *Config, v string) (err error) { c.Media.S3Endpoint, err = parseEndpoint(v); return }},
	{name: "media_s3_bucket", kind: kindString,
		desc: "S3 bucket (required with media_storage=s3)",
		set:  func(c *Config, v string) (err error) { c.Media.S3Bucket, err = parseToken(v, false); return }},
	{name: "media_s3_region", kind: kindString,
		desc: "S3 region",
		set:  func(c *Config, v string) (err error) { c.Media.S3Region, err = parseToken(v, false); return }},
	{name: "media_s3_access_key", kind: kindString,
		desc: "S3 access key ID",
		set:  func(c *Config, v string) (err error) { c.Media.S3AccessKey, err = parseToken(v, true); return }},
	{name: "media_s3_secret_key", kind: kindString,
		desc: "S3 secret access key",
		set:  func(c *Config, v string) (err error) { c.Media.S3SecretKey, err = parseToken(v, true); return }},
	{name: "media_s3_path_style", def: "false", kind: kindBool,
		desc: "Use path-style S3 URLs (endpoint/bucket/key), as MinIO and similar need",
		set:  func(c *Config, v string) (err error) { c.Media.S3PathStyle, err = parseBool(v); return }},
	{name: "media_s3_serve", def: "proxy", kind: kindString,
		desc: "How S3 media reaches clients: redirect (to the bucket) or proxy (through weft)",
		set: func(c *Config, v string) (err error) {
			c.Media.S3Serve, err = parseEnum(v, "redirect", "proxy")
			return
		}},
	{name: "media_max_image_bytes", def: "16MiB", kind: kindSize,
		desc: "Largest accepted image, like 16MiB, 10MB or a number of bytes (1KiB-1GiB)",
		set:  func(c *Config, v string) (err error) { c.Media.MaxImageBytes, err = parseSize(v, kib, gib); return }},
	{name: "media_max_video_bytes", def: "100MiB", kind: kindSize,
		desc: "Largest accepted video or audio file (1KiB-4GiB)",
		set:  func(c *Config, v string) (err error) { c.Media.MaxVideoBytes, err = parseSize(v, kib, 4*gib); return }},
	{name: "media_max_image_pixels", def: "33177600", kind: kindInt,
		desc: "Largest accepted image in pixels, width × height (1-1000000000)",
		set: func(c *Config, v string) (err error) {
			c.Media.MaxImagePixels, err = parseInt[int64](v, 1, 1_000_000_000)
			return
		}},
	{name: "media_remote_cache_bytes", def: "1GiB", kind: kindSize,
		desc: "Space for cached media from other servers (0 = unlimited)",
		set: func(c *Config, v string) (err error) {
			c.Media.RemoteCacheBytes, err = parseSize(v, 0, noLimit)
			return
		}},
}
