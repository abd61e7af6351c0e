package config

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// load parses args as a command line and calls Load with env.
func load(t *testing.T, args []string, env ...string) (*Config, []string, error) {
	t.Helper()
	fs := flag.NewFlagSet("weft", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return Load(f, env)
}

// mustLoad is load that fails the test on an error or a warning.
func mustLoad(t *testing.T, args []string, env ...string) *Config {
	t.Helper()
	c, warnings, err := load(t, args, env...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(warnings) > 0 {
		t.Fatalf("unexpected warnings: %q", warnings)
	}
	return c
}

// writeFile writes a config file into a fresh temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaults(t *testing.T) {
	for _, name := range []string{"nil flags", "unparsed flags"} {
		t.Run(name, func(t *testing.T) {
			var c *Config
			var warnings []string
			var err error
			if name == "nil flags" {
				c, warnings, err = Load(nil, nil)
			} else {
				c, warnings, err = Load(BindFlags(flag.NewFlagSet("x", flag.ContinueOnError)), []string{"HOME=/root", "PATH=/bin"})
			}
			if err != nil || len(warnings) > 0 {
				t.Fatalf("Load: %v, warnings %q", err, warnings)
			}
			want := &Config{
				Domain:             "localhost:8080",
				Protocol:           "http",
				Listen:             "127.0.0.1:8080",
				DataDir:            "./weft-data",
				DatabaseURL:        "sqlite:./weft-data/weft.db",
				LogLevel:           slog.LevelInfo,
				LogFormat:          "auto",
				MaxPostChars:       500,
				JobWorkers:         10,
				ShutdownTimeout:    15 * time.Second,
				InstanceName:       "weft",
				Registrations:      "open",
				RateLimit:          true,
				PasswordHashMemory: 19 << 20,
				TrustedProxies:     []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
				Media: MediaConfig{
					Storage:          "local",
					S3Serve:          "proxy",
					MaxImageBytes:    16 << 20,
					MaxVideoBytes:    100 << 20,
					MaxImagePixels:   33177600,
					RemoteCacheBytes: 1 << 30,
				},
			}
			if !reflect.DeepEqual(c, want) {
				t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
			}
			if got := c.BaseURL(); got != "http://localhost:8080" {
				t.Errorf("BaseURL = %q", got)
			}
			if !c.IsSQLite() || c.SQLitePath() != "./weft-data/weft.db" {
				t.Errorf("IsSQLite %v, SQLitePath %q", c.IsSQLite(), c.SQLitePath())
			}
		})
	}
}

func TestPrecedence(t *testing.T) {
	file := writeFile(t, "weft.toml", "listen = \"127.0.0.1:7001\"\ninstance_name = \"file\"\n")
	cfg := "WEFT_CONFIG=" + file
	tests := []struct {
		name     string
		args     []string
		env      []string
		want     string // listen
		fileRead bool   // instance_name comes from the file
	}{
		{"default", nil, nil, "127.0.0.1:8080", false},
		{"file beats default", nil, []string{cfg}, "127.0.0.1:7001", true},
		{"env beats file", nil, []string{cfg, "WEFT_LISTEN=127.0.0.1:7002"}, "127.0.0.1:7002", true},
		{"flag beats env", []string{"--listen", "127.0.0.1:7003"}, []string{cfg, "WEFT_LISTEN=127.0.0.1:7002"}, "127.0.0.1:7003", true},
		{"flag beats file", []string{"-listen=127.0.0.1:7004"}, []string{cfg}, "127.0.0.1:7004", true},
		{"--config beats WEFT_CONFIG", []string{"--config", file}, []string{"WEFT_CONFIG=/nonexistent/weft.toml"}, "127.0.0.1:7001", true},
		{"empty --config means no file", []string{"--config="}, []string{cfg}, "127.0.0.1:8080", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, tt.args, tt.env...)
			if c.Listen != tt.want {
				t.Errorf("Listen = %q, want %q", c.Listen, tt.want)
			}
			// Keys not overridden still come from the layer below.
			if wantName := map[bool]string{true: "file", false: "weft"}[tt.fileRead]; c.InstanceName != wantName {
				t.Errorf("InstanceName = %q, want %q", c.InstanceName, wantName)
			}
		})
	}
}

// TestErrorNamesTopSource breaks max_post_chars in every layer; the error must
// blame the layer that won.
func TestErrorNamesTopSource(t *testing.T) {
	file := writeFile(t, "weft.toml", "max_post_chars = 0\n")
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{nil, []string{"WEFT_CONFIG=" + file}, "max_post_chars (in " + file + ")"},
		{nil, []string{"WEFT_CONFIG=" + file, "WEFT_MAX_POST_CHARS=x"}, "WEFT_MAX_POST_CHARS"},
		{[]string{"--max-post-chars", "-1"}, []string{"WEFT_CONFIG=" + file, "WEFT_MAX_POST_CHARS=x"}, "--max-post-chars"},
	}
	for _, tt := range tests {
		_, _, err := load(t, tt.args, tt.env...)
		var e *Error
		if !errors.As(err, &e) || e.Key != tt.want {
			t.Errorf("%q %q: error %v, want key %q", tt.args, tt.env, err, tt.want)
		}
	}
}

func TestEmptyValueMeansDefault(t *testing.T) {
	file := writeFile(t, "weft.toml", "instance_name = \"file\"\njob_workers = 3\n")
	c := mustLoad(t, []string{"--job-workers="}, "WEFT_CONFIG="+file, "WEFT_INSTANCE_NAME=")
	if c.InstanceName != "weft" || c.JobWorkers != 10 {
		t.Errorf("InstanceName %q, JobWorkers %d; want the defaults", c.InstanceName, c.JobWorkers)
	}
}

func TestLaterEnvEntryWins(t *testing.T) {
	c := mustLoad(t, nil, "WEFT_JOB_WORKERS=3", "WEFT_JOB_WORKERS=4")
	if c.JobWorkers != 4 {
		t.Errorf("JobWorkers = %d, want 4", c.JobWorkers)
	}
}

func TestDefaultDomainFollowsListen(t *testing.T) {
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{nil, nil, "localhost:8080"},
		{[]string{"--listen", "127.0.0.1:9000"}, nil, "localhost:9000"},
		{nil, []string{"WEFT_LISTEN=:9001"}, "localhost:9001"},
		{[]string{"--listen", "[::1]:9002"}, []string{"WEFT_LISTEN=:1"}, "localhost:9002"},
		{[]string{"--listen", "[::1]:9002", "--domain", "Social.Example.COM"}, nil, "social.example.com"},
	}
	for _, tt := range tests {
		c := mustLoad(t, tt.args, tt.env...)
		if c.Domain != tt.want {
			t.Errorf("%q %q: Domain = %q, want %q", tt.args, tt.env, c.Domain, tt.want)
		}
	}
}

func TestDatabaseURL(t *testing.T) {
	tests := []struct {
		args       []string
		wantURL    string
		wantSQLite bool
		wantPath   string
	}{
		{[]string{"--database-url", "sqlite:data/x.db"}, "sqlite:data/x.db", true, "data/x.db"},
		{[]string{"--database-url", "sqlite:/var/lib/weft/weft.db"}, "sqlite:/var/lib/weft/weft.db", true, "/var/lib/weft/weft.db"},
		{[]string{"--data-dir", "/srv/weft/"}, "sqlite:/srv/weft/weft.db", true, "/srv/weft/weft.db"},
		{[]string{"--data-dir", "rel"}, "sqlite:rel/weft.db", true, "rel/weft.db"},
		{[]string{"--database-url", "postgres://u:p@db/weft"}, "postgres://u:p@db/weft", false, ""},
		{[]string{"--database-url", "postgresql:///weft?host=/run/postgresql"}, "postgresql:///weft?host=/run/postgresql", false, ""},
	}
	for _, tt := range tests {
		c := mustLoad(t, tt.args)
		if c.DatabaseURL != tt.wantURL || c.IsSQLite() != tt.wantSQLite || c.SQLitePath() != tt.wantPath {
			t.Errorf("%q: got %q sqlite=%v path=%q", tt.args, c.DatabaseURL, c.IsSQLite(), c.SQLitePath())
		}
	}
}

func TestLoadCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	c := mustLoad(t, []string{"--data-dir", dir})
	if c.SQLitePath() != dir+"/weft.db" {
		t.Errorf("SQLitePath = %q", c.SQLitePath())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Load created %s (stat: %v)", dir, err)
	}
}

func TestTLS(t *testing.T) {
	cert := writeFile(t, "cert.pem", "cert")
	key := writeFile(t, "key.pem", "key")
	c := mustLoad(t, []string{"--tls-cert", cert, "--listen-redirect", ":8081"}, "WEFT_TLS_KEY="+key)
	if c.TLSCert != cert || c.TLSKey != key || c.ListenRedirect != ":8081" {
		t.Errorf("got cert %q key %q redirect %q", c.TLSCert, c.TLSKey, c.ListenRedirect)
	}
	// "off", the documented default, switches TLS off again.
	c = mustLoad(t, []string{"--tls-cert=off", "--tls-key", "OFF"}, "WEFT_TLS_CERT="+cert, "WEFT_TLS_KEY="+key)
	if c.TLSCert != "" || c.TLSKey != "" {
		t.Errorf("off: got cert %q key %q", c.TLSCert, c.TLSKey)
	}
}

func TestReference(t *testing.T) {
	want := []string{
		"domain", "protocol", "listen", "listen_redirect", "debug_listen", "metrics_token", "data_dir", "database_url", "tls_cert", "tls_key",
		"log_level", "log_format", "federation_allow_private", "federation_allowlist", "authorized_fetch", "fediverse_sharing_default", "max_post_chars",
		"job_workers", "db_max_conns", "shutdown_timeout", "instance_name", "instance_description",
		"contact_email", "registrations", "oauth_password_grant", "rate_limit", "password_hash_memory", "trusted_proxies", "media_storage", "media_s3_endpoint",
		"media_s3_bucket", "media_s3_region", "media_s3_access_key", "media_s3_secret_key",
		"media_s3_path_style", "media_s3_serve", "media_max_image_bytes", "media_max_video_bytes",
		"media_max_image_pixels", "media_remote_cache_bytes",
	}
	docs := Reference()
	var got []string
	fs := flag.NewFlagSet("weft", flag.ContinueOnError)
	BindFlags(fs)
	for _, d := range docs {
		got = append(got, d.Key)
		if d.Env != "WEFT_"+strings.ToUpper(d.Key) {
			t.Errorf("%s: Env = %q", d.Key, d.Env)
		}
		if d.Flag != "--"+strings.ReplaceAll(d.Key, "_", "-") {
			t.Errorf("%s: Flag = %q", d.Key, d.Flag)
		}
		if fs.Lookup(strings.TrimPrefix(d.Flag, "--")) == nil {
			t.Errorf("%s: flag %s not registered", d.Key, d.Flag)
		}
		if d.Description == "" || strings.Contains(d.Description, "\n") {
			t.Errorf("%s: Description %q", d.Key, d.Description)
		}
		// Every key is accepted from the environment without a warning.
		if _, warnings, _ := Load(nil, []string{d.Env + "="}); len(warnings) > 0 {
			t.Errorf("%s: %q", d.Env, warnings)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys:\n got %q\nwant %q", got, want)
	}
	if fs.Lookup("config") == nil {
		t.Error("--config not registered")
	}
}
