package config

import (
	"net/netip"
	"reflect"
	"testing"
)

func TestProtocolRules(t *testing.T) {
	tests := []struct {
		domain      string
		defaultWant string
		httpOK      bool
	}{
		{"localhost", "http", true},
		{"localhost:8080", "http", true},
		{"weft.localhost", "http", true},
		{"127.0.0.1:8080", "http", true},
		{"10.1.2.3", "http", true},
		{"[::1]:8080", "http", true},
		{"[::1]", "http", true},
		{"foo.test", "http", true},
		{"a.b.example:3000", "http", true},
		{"x.invalid", "http", true},
		{"printer.local", "http", true},
		{"svc.internal", "http", true},
		{"example.com", "https", false},
		{"example.com:8443", "https", false},
		{"test.example.com", "https", false},
		{"localhost.example.com", "https", false},
		{"mytest", "https", false},
		{"bücher.de", "https", false},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			c := mustLoad(t, []string{"--domain", tt.domain})
			if c.Protocol != tt.defaultWant {
				t.Errorf("default protocol = %q, want %q", c.Protocol, tt.defaultWant)
			}
			if c.BaseURL() != tt.defaultWant+"://"+tt.domain {
				t.Errorf("BaseURL = %q", c.BaseURL())
			}
			if c := mustLoad(t, []string{"--domain", tt.domain, "--protocol", "HTTPS"}); c.Protocol != "https" {
				t.Errorf("https refused or not lower-cased: %q", c.Protocol)
			}
			_, _, err := load(t, []string{"--domain", tt.domain, "--protocol", "http"})
			if tt.httpOK && err != nil {
				t.Errorf("http refused: %v", err)
			}
			if !tt.httpOK {
				checkError(t, err, "--protocol", "http is only allowed for localhost and test domains; use https")
			}
		})
	}
}

func TestValidDomainsAndListens(t *testing.T) {
	for _, d := range []string{"example.com", "EXAMPLE.com:443", "xn--bcher-kva.de", "bücher.de", "a-b.c1", "[2001:db8::1]:8443"} {
		if _, err := parseDomain(d); err != nil {
			t.Errorf("parseDomain(%q): %v", d, err)
		}
	}
	for _, l := range []string{":8080", "0.0.0.0:80", "[::]:443", "[fe80::1%eth0]:8080", "localhost:65535", "weft.internal:1"} {
		if _, err := parseListen(l); err != nil {
			t.Errorf("parseListen(%q): %v", l, err)
		}
	}
	for _, e := range []string{"s3.amazonaws.com", "minio:9000", "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000/"} {
		if _, err := parseEndpoint(e); err != nil {
			t.Errorf("parseEndpoint(%q): %v", e, err)
		}
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"16MiB", 16 << 20, true},
		{"10MB", 10_000_000, true},
		{"1024", 1024, true},
		{"16 mib", 16 << 20, true},
		{"1KiB", 1024, true},
		{"2kb", 2000, true},
		{"3GiB", 3 << 30, true},
		{"1TB", 1e12, true},
		{"512B", 512, true},
		{"0", 0, true},
		{"", 0, false},
		{"MiB", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1.5GiB", 0, false},
		{"1e6", 0, false},
		{"16M", 0, false},
		{"99999999999999999999", 0, false},
		{"9000000TiB", 0, false},
	}
	for _, tt := range tests {
		got, ok := sizeBytes(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("sizeBytes(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	c := mustLoad(t, []string{"--media-max-image-bytes", "10MB", "--media-max-video-bytes", "4GiB", "--media-remote-cache-bytes", "0"})
	if c.Media.MaxImageBytes != 10_000_000 || c.Media.MaxVideoBytes != 4<<30 || c.Media.RemoteCacheBytes != 0 {
		t.Errorf("got %+v", c.Media)
	}
}

func TestFederationAllowPrivate(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"127.0.0.1", []string{"127.0.0.1/32"}},
		{"::1", []string{"::1/128"}},
		{"10.0.0.0/8, 192.168.1.7 ,fd00::/8,", []string{"10.0.0.0/8", "192.168.1.7/32", "fd00::/8"}},
		{"10.1.2.3/8", []string{"10.0.0.0/8"}},
	}
	for _, tt := range tests {
		c := mustLoad(t, nil, "WEFT_FEDERATION_ALLOW_PRIVATE="+tt.in)
		var want []netip.Prefix
		for _, p := range tt.want {
			want = append(want, netip.MustParsePrefix(p))
		}
		if !reflect.DeepEqual(c.FederationAllowPrivate, want) {
			t.Errorf("%q: got %v, want %v", tt.in, c.FederationAllowPrivate, want)
		}
	}
}

func TestBoolsAndEnums(t *testing.T) {
	for _, v := range []string{"on", "true", "1", "yes", "ON", "True"} {
		if c := mustLoad(t, nil, "WEFT_FEDIVERSE_SHARING_DEFAULT="+v); !c.FediverseSharingDefault {
			t.Errorf("%q: want true", v)
		}
	}
	for _, v := range []string{"off", "false", "0", "no"} {
		if c := mustLoad(t, []string{"--media-s3-path-style", v}, "WEFT_MEDIA_S3_PATH_STYLE=on"); c.Media.S3PathStyle {
			t.Errorf("%q: want false", v)
		}
	}
	c := mustLoad(t, []string{"--log-level", "DEBUG", "--log-format", "json", "--registrations", "approval"})
	if c.LogLevel.String() != "DEBUG" || c.LogFormat != "json" || c.Registrations != "approval" {
		t.Errorf("got %v %q %q", c.LogLevel, c.LogFormat, c.Registrations)
	}
}

func TestS3(t *testing.T) {
	c := mustLoad(t, nil, "WEFT_MEDIA_STORAGE=s3", "WEFT_MEDIA_S3_ENDPOINT=https://s3.example.com",
		"WEFT_MEDIA_S3_BUCKET=weft", "WEFT_MEDIA_S3_SECRET_KEY=abc/def+", "WEFT_MEDIA_S3_SERVE=redirect")
	want := MediaConfig{Storage: "s3", S3Endpoint: "https://s3.example.com", S3Bucket: "weft", S3SecretKey: "abc/def+",
		S3Serve: "redirect", MaxImageBytes: 16 << 20, MaxVideoBytes: 100 << 20, MaxImagePixels: 33177600, RemoteCacheBytes: 1 << 30}
	if c.Media != want {
		t.Errorf("got %+v", c.Media)
	}
}
