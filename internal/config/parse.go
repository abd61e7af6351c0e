package config

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/mail"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Value parsers. Each returns an error message without the key (Load adds the
// key in the spelling the value came from); messages quote the bad value with
// %q so stray whitespace is visible, and say what is expected.

// parseOptional lets "off" disable keys whose documented default is "off",
// so copying the documented default into a file does what it says.
func parseOptional(v string, parse func(string) (string, error)) (string, error) {
	if strings.EqualFold(v, "off") {
		return "", nil
	}
	return parse(v)
}

// parseBool accepts the spellings people actually type into env files.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "on", "true", "1", "yes":
		return true, nil
	case "off", "false", "0", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q: want on or off (or true/false, yes/no, 1/0)", v)
}

func parseEnum(v string, allowed ...string) (string, error) {
	if l := strings.ToLower(v); slices.Contains(allowed, l) {
		return l, nil
	}
	return "", fmt.Errorf("%q: want %s", v, orList(allowed))
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func parseInt[T int | int64](v string, lo, hi T) (T, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < int64(lo) || n > int64(hi) {
		return 0, fmt.Errorf("%q: want a whole number from %d to %d", v, lo, hi)
	}
	return T(n), nil
}

func parseDuration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%q: want a duration from %s to %s, like 15s or 2m", v, shortDuration(lo), shortDuration(hi))
	}
	return d, nil
}

// shortDuration prints 10m rather than time.Duration's 10m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func parseLogLevel(v string) (slog.Level, error) {
	switch strings.ToLower(v) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%q: want debug, info, warn or error", v)
}

// noLimit is the upper bound of sizes that have none.
const noLimit = math.MaxInt64

// sizeUnits are matched in order, so the longer suffixes come first. Both
// binary (MiB) and decimal (MB) units are accepted because people write both
// and mean different things.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"b", 1},
}

// parseSize reads "16MiB", "10MB", "16 MiB" or a plain number of bytes.
func parseSize(v string, lo, hi int64) (int64, error) {
	n, ok := sizeBytes(v)
	if !ok || n < lo || n > hi {
		if hi == noLimit {
			return 0, fmt.Errorf("%q: want a size like 512MiB, 10GB or a number of bytes (0 = unlimited)", v)
		}
		return 0, fmt.Errorf("%q: want a size from %s to %s, like 16MiB, 10MB or a number of bytes", v, formatSize(lo), formatSize(hi))
	}
	return n, nil
}

func sizeBytes(v string) (int64, bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	if num == "" || strings.Trim(num, "0123456789") != "" {
		return 0, false // no signs, fractions or exponents: sizes are exact
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n > math.MaxInt64/mult {
		return 0, false
	}
	return n * mult, true
}

func formatSize(n int64) string {
	switch {
	case n >= gib && n%gib == 0:
		return strconv.FormatInt(n/gib, 10) + "GiB"
	case n >= mib && n%mib == 0:
		return strconv.FormatInt(n/mib, 10) + "MiB"
	case n >= kib && n%kib == 0:
		return strconv.FormatInt(n/kib, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

// parseText checks length in characters (what users count), not bytes.
func parseText(v string, max int, multiline bool) (string, error) {
	if !utf8.ValidString(v) {
		return "", errors.New("not valid UTF-8")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", fmt.Errorf("%d characters, want at most %d", n, max)
	}
	if !multiline && strings.ContainsAny(v, "\r\n") {
		return "", fmt.Errorf("%q: want a single line", v)
	}
	return v, nil
}

// parseEmail accepts a bare address only: a display name ("Admin <a@b>")
// would end up verbatim in API responses that expect an address.
func parseEmail(v string) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" || a.Address != v {
		return "", fmt.Errorf("%q: want an email address like admin@example.com", v)
	}
	return v, nil
}

// parsePath accepts any non-empty path. Existence is not checked here: the
// data directory may legitimately not exist yet, and Load creates nothing.
func parsePath(v string) (string, error) {
	if strings.ContainsRune(v, 0) {
		return "", fmt.Errorf("%q: path contains a NUL byte", v)
	}
	return v, nil
}

// parseToken checks the S3 strings for whitespace, the usual sign of a value
// pasted with a trailing newline. Secrets are never echoed into errors,
// because start-up errors end up in logs.
func parseToken(v string, secret bool) (string, error) {
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		if secret {
			return "", errors.New("contains whitespace (a pasted newline?)")
		}
		return "", fmt.Errorf("%q: contains whitespace", v)
	}
	return v, nil
}

// parseEndpoint accepts "host[:port]" or "http(s)://host[:port]".
func parseEndpoint(v string) (string, error) {
	want := "want host[:port] or https://host[:port], like s3.eu-west-1.amazonaws.com"
	if !strings.Contains(v, "://") {
		if _, err := parseHostPort(v, false); err != nil {
			return "", fmt.Errorf("%q: %v; %s", v, err, want)
		}
		return v, nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q: %s", v, want)
	}
	return v, nil
}

// parseDatabaseURL checks the form only; connecting is the store's job.
// Postgres URLs usually carry a password, so errors show them redacted.
func parseDatabaseURL(v string) (string, error) {
	const want = "want sqlite:PATH or postgres://user:password@host/dbname"
	if path, ok := strings.CutPrefix(v, sqlitePrefix); ok {
		switch {
		case path == "":
			return "", fmt.Errorf("%q: no path; want sqlite:PATH, like sqlite:./weft-data/weft.db", v)
		case strings.HasPrefix(path, "//"):
			// sqlite://x is ambiguous (host or path?); make the operator say.
			return "", fmt.Errorf("%q: want sqlite:PATH without //, like sqlite:weft.db or sqlite:/var/lib/weft/weft.db", v)
		}
		return parsePath(v)
	}
	u, err := url.Parse(v)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, password included
		}
		return "", fmt.Errorf("not a valid URL (%v); %s", err, want)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("%q: unsupported database; %s", u.Redacted(), want)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("%q: %s", u.Redacted(), want)
	}
	return v, nil
}

// parsePrefixes reads comma-separated CIDRs and bare IPs; a bare IP means
// just that address (/32 or /128). Host bits in a CIDR are dropped
// (10.1.2.3/8 → 10.0.0.0/8), which is what matching needs.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("%q: not a CIDR; want IPs or CIDRs like 10.0.0.5, 192.168.0.0/16, fd00::/8", item)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q: not an IP address; want IPs or CIDRs like 10.0.0.5, 192.168.0.0/16, fd00::/8", item)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// parseDomains reads comma-separated domains (host or host:port), lower-cased.
func parseDomains(v string) ([]string, error) {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		item = strings.ToLower(strings.TrimSpace(item))
		if item == "" {
			continue
		}
		host := item
		if h, port, ok := strings.Cut(item, ":"); ok {
			if _, err := strconv.Atoi(port); err != nil {
				return nil, fmt.Errorf("%q: the port is not a number", item)
			}
			host = h
		}
		if host == "" || strings.ContainsAny(host, "/?#@ *%_") {
			return nil, fmt.Errorf("%q: not a domain name; want names like example.com or localhost:8081", item)
		}
		out = append(out, item)
	}
	return out, nil
}
