package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// invalidValues holds bad values for every key and a part of the expected
// message. Each is tried as a flag, an environment variable and a file value.
var invalidValues = []struct {
	key, value, msg string
}{
	{"domain", "https://example.com", "no scheme"},
	{"domain", "example.com/path", "no path"},
	{"domain", "example.com:0", "port"},
	{"domain", "example.com:http", "port"},
	{"domain", "exa_mple.com", "invalid character"},
	{"domain", "::1", "brackets"},
	{"domain", "1.2.3.999", "IPv4"},
	{"domain", "-bad.example.com", "hyphen"},
	{"domain", "example.com.", "dot"},
	{"protocol", "ftp", "want https or http"},
	{"listen", "8080", `"8080": port required, want host:port`},
	{"listen", "127.0.0.1", "port required"},
	{"listen", "127.0.0.1:65536", "1 to 65535"},
	{"listen", "127.0.0.1:", "empty port"},
	{"listen", "::1:8080", "brackets"},
	{"listen", "[::1:8080", "missing ]"},
	{"listen_redirect", "80", "port required"},
	{"debug_listen", "6060", "port required"},
	{"metrics_token", "short", "16 to 200 characters"},
	{"metrics_token", "a secret with spaces in it", "16 to 200 characters"},
	{"data_dir", "a\x00b", "NUL"},
	{"database_url", "mysql://u:hunter2@h/db", "unsupported database"},
	{"database_url", "sqlite:", "no path"},
	{"database_url", "sqlite://x.db", "without //"},
	{"database_url", "postgres://u:hunter2@h:port/db", "not a valid URL"},
	{"log_level", "verbose", "want debug, info, warn or error"},
	{"log_format", "xml", "want auto, text or json"},
	{"federation_allow_private", "10.0.0.0/33", "not a CIDR"},
	{"federation_allow_private", "10.0.0.1, localhost", "not an IP"},
	{"federation_allow_private", "fe80::1%eth0", "not an IP"},
	{"fediverse_sharing_default", "maybe", "want on or off"},
	{"authorized_fetch", "sometimes", "want on or off"},
	{"federation_allowlist", "a b.example", "not a domain name"},
	{"max_post_chars", "0", "from 1 to 100000"},
	{"max_post_chars", "100001", "from 1 to 100000"},
	{"max_post_chars", "5x", "from 1 to 100000"},
	{"job_workers", "1001", "from 1 to 1000"},
	{"db_max_conns", "-1", "from 0 to 1000"},
	{"shutdown_timeout", "15", "from 1s to 10m"},
	{"shutdown_timeout", "500ms", "from 1s to 10m"},
	{"shutdown_timeout", "11m", "from 1s to 10m"},
	{"instance_name", strings.Repeat("é", 101), "101 characters, want at most 100"},
	{"instance_name", "two\nlines", "single line"},
	{"instance_description", strings.Repeat("x", 5001), "at most 5000"},
	{"contact_email", "not-an-email", "want an email address"},
	{"contact_email", "Admin <admin@example.com>", "want an email address"},
	{"registrations", "invite", "want open, approval or closed"},
	{"oauth_password_grant", "2", "want on or off"},
	{"rate_limit", "sometimes", "want on or off"},
	{"trusted_proxies", "proxy.example", "not an IP"},
	{"media_storage", "ftp", "want local or s3"},
	{"media_s3_endpoint", "ftp://s3.example.com", "want host[:port]"},
	{"media_s3_endpoint", "https://s3.example.com/some/path", "want host[:port]"},
	{"media_s3_bucket", "my bucket", "whitespace"},
	{"media_s3_region", "eu west", "whitespace"},
	{"media_s3_access_key", "AKIA EXAMPLE", "whitespace"},
	{"media_s3_secret_key", "hunter2\n", "whitespace"},
	{"media_s3_path_style", "sometimes", "want on or off"},
	{"media_s3_serve", "direct", "want redirect or proxy"},
	{"password_hash_memory", "1MiB", "from 8MiB to 1GiB"},
	{"password_hash_memory", "lots", "from 8MiB to 1GiB"},
	{"media_max_image_bytes", "1023", "from 1KiB to 1GiB"},
	{"media_max_image_bytes", "2GiB", "from 1KiB to 1GiB"},
	{"media_max_image_bytes", "1.5MiB", "from 1KiB to 1GiB"},
	{"media_max_image_bytes", "16XB", "from 1KiB to 1GiB"},
	{"media_max_video_bytes", "5GiB", "from 1KiB to 4GiB"},
	{"media_max_image_pixels", "1000000001", "from 1 to 1000000000"},
	{"media_remote_cache_bytes", "-1", "0 = unlimited"},
	{"media_remote_cache_bytes", "9999999999TiB", "0 = unlimited"},
}

func TestInvalidValues(t *testing.T) {
	covered := make(map[string]bool)
	for _, tt := range invalidValues {
		covered[tt.key] = true
		k := lookupKey(tt.key)
		if k == nil {
			t.Fatalf("unknown key %q in test table", tt.key)
		}
		file := writeFile(t, "weft.toml", fmt.Sprintf("%s = %s\n", tt.key, strconv.Quote(tt.value)))
		sources := []struct {
			name, wantKey string
			args, env     []string
		}{
			{"flag", "--" + k.flag(), []string{"--" + k.flag(), tt.value}, nil},
			{"env", k.env(), nil, []string{k.env() + "=" + tt.value}},
			{"file", tt.key + " (in " + file + ")", nil, []string{"WEFT_CONFIG=" + file}},
		}
		for _, src := range sources {
			t.Run(tt.key+"/"+src.name, func(t *testing.T) {
				_, _, err := load(t, src.args, src.env...)
				checkError(t, err, src.wantKey, tt.msg)
				// Secrets must never reach the logs through an error.
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error leaks a secret: %v", err)
				}
			})
		}
	}
	for _, d := range Reference() {
		switch d.Key {
		case "tls_cert", "tls_key": // any path parses; see TestCrossKeyErrors
		default:
			if !covered[d.Key] {
				t.Errorf("no invalid value tested for %s", d.Key)
			}
		}
	}
}

// checkError asserts err is a one-line *Error for key whose message has msg.
func checkError(t *testing.T, err error, key, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *Error", err, err)
	}
	if e.Key != key {
		t.Errorf("Key = %q, want %q (error: %v)", e.Key, key, err)
	}
	if !strings.Contains(e.Msg, msg) {
		t.Errorf("Msg = %q, want it to contain %q", e.Msg, msg)
	}
	if s := e.Error(); strings.ContainsAny(s, "\r\n") || !strings.HasPrefix(s, key+": ") {
		t.Errorf("Error() = %q, want one line starting with %q", s, key+": ")
	}
}

func TestListenErrorExactText(t *testing.T) {
	_, _, err := load(t, nil, "WEFT_LISTEN=8080")
	if err == nil || err.Error() != `WEFT_LISTEN: "8080": port required, want host:port` {
		t.Errorf("got %v", err)
	}
}

func TestCrossKeyErrors(t *testing.T) {
	cert := writeFile(t, "cert.pem", "cert")
	key := writeFile(t, "key.pem", "key")
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		env      []string
		key, msg string
	}{
		{"cert without key", []string{"--tls-cert", cert}, nil, "--tls-cert", "set without tls_key"},
		{"key without cert", nil, []string{"WEFT_TLS_KEY=" + key}, "WEFT_TLS_KEY", "set without tls_cert"},
		{"cert missing", []string{"--tls-cert", dir + "/none.pem", "--tls-key", key}, nil, "--tls-cert", "cannot read: no such file"},
		{"key is a directory", []string{"--tls-cert", cert, "--tls-key", dir}, nil, "--tls-key", "is a directory"},
		{"redirect without TLS", []string{"--listen-redirect", ":80"}, nil, "--listen-redirect", "needs tls_cert and tls_key"},
		{"redirect on listen port", []string{"--listen", ":8443", "--tls-cert", cert, "--tls-key", key},
			[]string{"WEFT_LISTEN_REDIRECT=127.0.0.1:8443"}, "WEFT_LISTEN_REDIRECT", "same address as listen"},
		{"s3 without endpoint", []string{"--media-storage", "s3", "--media-s3-bucket", "b"}, nil, "--media-storage", "media_s3_endpoint"},
		{"s3 without bucket", nil, []string{"WEFT_MEDIA_STORAGE=S3", "WEFT_MEDIA_S3_ENDPOINT=s3.example.com"}, "WEFT_MEDIA_STORAGE", "media_s3_bucket"},
		{"too small a PostgreSQL pool", []string{"--db-max-conns", "2"}, []string{"WEFT_DATABASE_URL=postgres://db.example/weft"},
			"--db-max-conns", "PostgreSQL needs at least 4 connections"},
		{"http for a public domain", []string{"--domain", "example.com"}, []string{"WEFT_PROTOCOL=http"}, "WEFT_PROTOCOL",
			"http is only allowed for localhost and test domains; use https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(t, tt.args, tt.env...)
			checkError(t, err, tt.key, tt.msg)
		})
	}
}
