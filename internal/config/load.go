package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"strings"
)

// setting is one key's raw value from the highest source that set it.
type setting struct {
	value  string
	origin string // the key as spelled in that source, for errors
}

// Load resolves flags (may be nil) > environ (as from os.Environ()) > config
// file > defaults, validates everything and returns the configuration and
// warnings for the caller to log. A validation failure returns *Error; the
// warnings are returned then too, since a misspelt key is often the cause.
//
// Load reads the config file and checks that the TLS files are readable; it
// touches the filesystem in no other way and creates nothing.
func Load(flags *Flags, environ []string) (*Config, []string, error) {
	env, envConfig, warnings := readEnviron(environ)
	settings := make(map[string]setting)

	path, pathOrigin := envConfig, "WEFT_CONFIG"
	if p, ok := flags.configPath(); ok {
		path, pathOrigin = p, "--config"
	}
	if path != "" {
		file, fileWarnings, err := readFile(path, pathOrigin)
		// File warnings first: the file is read before the environment.
		warnings = append(fileWarnings, warnings...)
		if err != nil {
			return nil, warnings, err
		}
		for k, s := range file {
			settings[k] = s
		}
	}
	for k, s := range env {
		settings[k] = s
	}
	for k, s := range flags.settings() {
		settings[k] = s
	}

	c, err := build(settings)
	if err != nil {
		return nil, warnings, err
	}
	return c, warnings, nil
}

// readEnviron picks the WEFT_* variables out of environ. A later entry wins
// over an earlier one, as with os/exec.
func readEnviron(environ []string) (vals map[string]setting, config string, warnings []string) {
	vals = make(map[string]setting)
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "WEFT_") {
			continue
		}
		if name == "WEFT_CONFIG" {
			config = value
			continue
		}
		k := keyForEnv(name)
		if k == nil {
			warnings = append(warnings, fmt.Sprintf("unknown environment variable %s (ignored)", name))
			continue
		}
		vals[k.name] = setting{value: value, origin: name}
	}
	return vals, config, warnings
}

func keyForEnv(name string) *keySpec {
	for i := range keyTable {
		if keyTable[i].env() == name {
			return &keyTable[i]
		}
	}
	return nil
}

// build parses every key in table order, then fills in the derived defaults
// and runs the checks that involve more than one key.
// minPostgresConns is the smallest pool weft works with on PostgreSQL.
const minPostgresConns = 4

func build(settings map[string]setting) (*Config, error) {
	origin := func(name string) string {
		if s, ok := settings[name]; ok {
			return s.origin
		}
		return name
	}
	c := &Config{}
	for i := range keyTable {
		k := &keyTable[i]
		v := settings[k.name].value
		if v == "" {
			v = k.def // empty in any source means "use the default"
		}
		if v == "" {
			continue
		}
		if err := k.set(c, v); err != nil {
			return nil, &Error{Key: origin(k.name), Msg: err.Error()}
		}
	}

	if c.Domain == "" {
		// The default has to match where the server is reachable locally.
		c.Domain = "localhost:" + listenPort(c.Listen)
	}
	local := isLocalDomain(c.Domain)
	switch {
	case c.Protocol == "" && local:
		c.Protocol = "http"
	case c.Protocol == "":
		c.Protocol = "https"
	case c.Protocol == "http" && !local:
		// Other servers refuse plain-http actors, and IDs cannot be
		// changed later, so catch this before the first post.
		return nil, &Error{Key: origin("protocol"), Msg: "http is only allowed for localhost and test domains; use https"}
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = sqlitePrefix + strings.TrimRight(c.DataDir, "/") + "/weft.db"
	}
	if err := checkTLS(c, origin); err != nil {
		return nil, err
	}
	if !c.IsSQLite() && c.DBMaxConns > 0 && c.DBMaxConns < minPostgresConns {
		// Migrations hold one connection for their lock while another runs
		// them, and the job queue needs its own besides the requests'.
		return nil, &Error{Key: origin("db_max_conns"),
			Msg: fmt.Sprintf("PostgreSQL needs at least %d connections (or 0 for automatic)", minPostgresConns)}
	}
	if c.Media.Storage == "s3" {
		for _, f := range []struct{ name, value string }{
			{"media_s3_endpoint", c.Media.S3Endpoint}, {"media_s3_bucket", c.Media.S3Bucket},
		} {
			if f.value == "" {
				k := lookupKey(f.name)
				return nil, &Error{Key: origin("media_storage"),
					Msg: fmt.Sprintf("s3 needs %s (%s, --%s) to be set", k.name, k.env(), k.flag())}
			}
		}
	}
	return c, nil
}

// checkTLS runs the cross-key TLS checks and makes sure the files can be
// read now, rather than failing after start-up has half happened.
func checkTLS(c *Config, origin func(string) string) error {
	switch {
	case c.TLSCert != "" && c.TLSKey == "":
		return &Error{Key: origin("tls_cert"), Msg: "set without tls_key; set both tls_cert and tls_key, or neither"}
	case c.TLSKey != "" && c.TLSCert == "":
		return &Error{Key: origin("tls_key"), Msg: "set without tls_cert; set both tls_cert and tls_key, or neither"}
	}
	for _, f := range []struct{ name, path string }{{"tls_cert", c.TLSCert}, {"tls_key", c.TLSKey}} {
		if f.path == "" {
			continue
		}
		if err := checkReadable(f.path); err != nil {
			return &Error{Key: origin(f.name), Msg: err.Error()}
		}
	}
	if c.ListenRedirect == "" {
		return nil
	}
	if c.TLSCert == "" {
		return &Error{Key: origin("listen_redirect"), Msg: "redirects plain HTTP to HTTPS, so it needs tls_cert and tls_key; unset it or set both"}
	}
	if listenPort(c.ListenRedirect) == listenPort(c.Listen) && sameHost(c.ListenRedirect, c.Listen) {
		return &Error{Key: origin("listen_redirect"), Msg: fmt.Sprintf("%q: same address as listen; want another port, like :80", c.ListenRedirect)}
	}
	return nil
}

// sameHost reports whether two listen addresses could collide on one port:
// an empty host binds every interface.
func sameHost(a, b string) bool {
	ha, _ := parseHostPort(a, true)
	hb, _ := parseHostPort(b, true)
	return isAnyHost(ha.host) || isAnyHost(hb.host) || ha.host == hb.host
}

func isAnyHost(h string) bool {
	ip, err := netip.ParseAddr(h)
	return h == "" || (err == nil && ip.IsUnspecified())
}

func checkReadable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in our message
		}
		return fmt.Errorf("%q: cannot read: %v", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		return fmt.Errorf("%q: is a directory; want a PEM file", path)
	}
	return nil
}
