package config

import (
	"net/netip"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestFileValueTypes(t *testing.T) {
	tests := []struct {
		name  string
		toml  string
		check func(c *Config) bool
	}{
		{"int", "max_post_chars = 1_000", func(c *Config) bool { return c.MaxPostChars == 1000 }},
		{"int as string", `max_post_chars = "1000"`, func(c *Config) bool { return c.MaxPostChars == 1000 }},
		{"bool", "fediverse_sharing_default = true", func(c *Config) bool { return c.FediverseSharingDefault }},
		{"bool as string", `fediverse_sharing_default = "on"`, func(c *Config) bool { return c.FediverseSharingDefault }},
		{"bool as int", "oauth_password_grant = 1", func(c *Config) bool { return c.OAuthPasswordGrant }},
		{"string", `domain = "Social.Example"`, func(c *Config) bool { return c.Domain == "social.example" }},
		{"size as int", "media_max_image_bytes = 2048", func(c *Config) bool { return c.Media.MaxImageBytes == 2048 }},
		{"size as string", `media_max_image_bytes = "10MB"`, func(c *Config) bool { return c.Media.MaxImageBytes == 10_000_000 }},
		{"duration", `shutdown_timeout = "1m30s"`, func(c *Config) bool { return c.ShutdownTimeout == 90*time.Second }},
		{"list as array", `federation_allow_private = ["10.0.0.0/8", "::1"]`, func(c *Config) bool {
			return reflect.DeepEqual(c.FederationAllowPrivate, []netip.Prefix{
				netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")})
		}},
		{"list as string", `federation_allow_private = "10.0.0.0/8, 192.168.1.1"`, func(c *Config) bool {
			return len(c.FederationAllowPrivate) == 2
		}},
		{"multi-line description", "instance_description = \"\"\"\nline one\nline two\"\"\"", func(c *Config) bool {
			return c.InstanceDescription == "line one\nline two"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "weft.toml", tt.toml+"\n")
			c := mustLoad(t, []string{"--config", path})
			if !tt.check(c) {
				t.Errorf("%s: unexpected config %+v", tt.toml, c)
			}
		})
	}
}

func TestFileWrongTypes(t *testing.T) {
	tests := []struct{ toml, key, msg string }{
		{"max_post_chars = true", "max_post_chars", "got a boolean, want an integer"},
		{"max_post_chars = 5.0", "max_post_chars", "got a float, want an integer"},
		{"domain = 5", "domain", "got an integer, want a string"},
		{"shutdown_timeout = 15", "shutdown_timeout", `want a duration string like "15s"`},
		{"fediverse_sharing_default = 2", "fediverse_sharing_default", "want on or off"},
		{"federation_allow_private = [1]", "federation_allow_private", "got an integer in list"},
		{"listen = [\"a\"]", "listen", "got an array, want a string"},
		{"instance_name = 2024-01-01", "instance_name", "got a date/time"},
	}
	for _, tt := range tests {
		t.Run(tt.toml, func(t *testing.T) {
			path := writeFile(t, "weft.toml", tt.toml+"\n")
			_, _, err := load(t, nil, "WEFT_CONFIG="+path)
			checkError(t, err, tt.key+" (in "+path+")", tt.msg)
		})
	}
}

func TestConfigFileErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.toml")
	bad := writeFile(t, "bad.toml", "domain = \nlisten = 1\n")
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		env      []string
		key, msg string
	}{
		{"missing via flag", []string{"--config", missing}, nil, "--config", "not found"},
		{"missing via env", nil, []string{"WEFT_CONFIG=" + missing}, "WEFT_CONFIG", "not found"},
		{"directory", []string{"--config", dir}, nil, "--config", "cannot read config file"},
		{"bad TOML", nil, []string{"WEFT_CONFIG=" + bad}, "WEFT_CONFIG", "is not valid TOML: toml: line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(t, tt.args, tt.env...)
			checkError(t, err, tt.key, tt.msg)
		})
	}
}

func TestWarnings(t *testing.T) {
	path := writeFile(t, "weft.toml", "domian = \"x.test\"\nlisten = \"127.0.0.1:9000\"\n[media]\nstorage = \"s3\"\n")
	env := []string{
		"WEFT_CONFIG=" + path,
		"WEFT_DOMIAN=example.com",
		"WEFT_LISTEN=127.0.0.1:9001",
		"weft_domain=ignored.example", // not ours: only WEFT_ is
		"PATH=/bin",
		"NOEQUALS",
	}
	c, warnings, err := load(t, nil, env...)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`unknown key "domian" in ` + path + " (ignored)",
		`unknown key "media" in ` + path + " (ignored)",
		"unknown environment variable WEFT_DOMIAN (ignored)",
	}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings:\n got %q\nwant %q", warnings, want)
	}
	if c.Domain != "localhost:9001" || c.Media.Storage != "local" {
		t.Errorf("Domain %q, Storage %q: unknown keys must not apply", c.Domain, c.Media.Storage)
	}

	// Warnings come back with an error too: a typo is often its cause.
	_, warnings, err = load(t, nil, "WEFT_DOMIAN=example.com", "WEFT_PROTOCOL=gopher")
	if err == nil || len(warnings) != 1 {
		t.Errorf("got err %v, warnings %q; want both", err, warnings)
	}
}
