package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
)

// hostPort is a split "host", "host:port", "[v6]" or "[v6]:port".
type hostPort struct {
	host      string // without brackets
	port      string // "" when absent
	bracketed bool
}

var errPortRequired = errors.New("port required")

// parseHostPort splits and checks an address. Unlike net.SplitHostPort the
// port may be optional (a domain usually has none), the port must be numeric
// (service names would make the domain ambiguous) and the host is checked.
func parseHostPort(s string, portRequired bool) (hostPort, error) {
	var hp hostPort
	rest := s
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return hp, errors.New("missing ] after IPv6 address")
		}
		hp.host, hp.bracketed, rest = s[1:end], true, s[end+1:]
		if rest != "" && rest[0] != ':' {
			return hp, errors.New("unexpected text after ]")
		}
		rest = strings.TrimPrefix(rest, ":")
		if rest == "" && len(s) > end+1 {
			return hp, errors.New("empty port")
		}
		hp.port = rest
	} else {
		switch strings.Count(s, ":") {
		case 0:
			hp.host = s
		case 1:
			hp.host, hp.port, _ = strings.Cut(s, ":")
			if hp.port == "" {
				return hp, errors.New("empty port")
			}
		default:
			return hp, errors.New("IPv6 addresses need brackets, like [::1]:8080")
		}
	}
	if hp.port == "" && portRequired {
		return hp, errPortRequired
	}
	if hp.port != "" {
		n, err := strconv.Atoi(hp.port)
		if err != nil || strings.Trim(hp.port, "0123456789") != "" || n < 1 || n > 65535 {
			return hp, fmt.Errorf("port %q is not a number from 1 to 65535", hp.port)
		}
	}
	if hp.bracketed {
		a, err := netip.ParseAddr(hp.host)
		if err != nil || !a.Is6() {
			return hp, fmt.Errorf("%q is not an IPv6 address", hp.host)
		}
		return hp, nil
	}
	if hp.host == "" {
		if portRequired {
			return hp, nil // ":8080" means all interfaces
		}
		return hp, errors.New("empty host")
	}
	return hp, checkHostName(hp.host)
}

// checkHostName accepts IPv4 literals and DNS names. Non-ASCII letters are
// allowed so internationalised domains work in their Unicode form.
func checkHostName(h string) error {
	if _, err := netip.ParseAddr(h); err == nil {
		return nil
	}
	if len(h) > 253 {
		return errors.New("host name longer than 253 characters")
	}
	if strings.HasSuffix(h, ".") {
		return errors.New("host name must not end with a dot")
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" {
			return errors.New("empty label in host name")
		}
		if isASCII(l) && len(l) > 63 {
			return fmt.Errorf("label %q longer than 63 characters", l)
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Errorf("label %q starts or ends with a hyphen", l)
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
				return fmt.Errorf("invalid character %q in host name", r)
			}
		}
	}
	// No top-level domain is numeric, so this was meant as an IPv4 address.
	if last := labels[len(labels)-1]; strings.Trim(last, "0123456789") == "" {
		return fmt.Errorf("%q is not a valid IPv4 address", h)
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// parseDomain accepts host or host:port, lower-cased, because the domain is
// compared byte-for-byte in actor IDs and WebFinger lookups.
func parseDomain(v string) (string, error) {
	const want = "want host or host:port, like example.com"
	s := strings.ToLower(v)
	if strings.Contains(s, "://") {
		return "", fmt.Errorf("%q: no scheme allowed (set protocol instead); %s", v, want)
	}
	if strings.ContainsAny(s, "/?#@\\") || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return "", fmt.Errorf("%q: no path or other URL parts allowed; %s", v, want)
	}
	hp, err := parseHostPort(s, false)
	if err == nil && strings.Contains(hp.host, "%") {
		err = errors.New("IPv6 zone not allowed")
	}
	if err != nil {
		return "", fmt.Errorf("%q: %v; %s", v, err, want)
	}
	return s, nil
}

// parseListen accepts host:port where host may be empty (all interfaces), an
// IP or a name. IPv6 zones are fine here, unlike in the public domain.
func parseListen(v string) (string, error) {
	if _, err := parseHostPort(v, true); err != nil {
		if errors.Is(err, errPortRequired) {
			return "", fmt.Errorf("%q: port required, want host:port", v)
		}
		return "", fmt.Errorf("%q: %v; want host:port, like 127.0.0.1:8080 or :8080", v, err)
	}
	return v, nil
}

// listenPort returns the port of an address parseListen accepted.
func listenPort(listen string) string {
	hp, _ := parseHostPort(listen, true)
	return hp.port
}

// localTLDs are special-use names (RFC 6761, RFC 6762, ICANN's .internal)
// that can never be reached as public servers, so plain http is harmless.
var localTLDs = []string{"localhost", "test", "example", "invalid", "local", "internal"}

// isLocalDomain reports whether domain is a local or test name for which
// http is allowed: localhost, *.localhost, IP literals and special-use TLDs.
func isLocalDomain(domain string) bool {
	hp, err := parseHostPort(domain, false)
	if err != nil {
		return false
	}
	if _, err := netip.ParseAddr(hp.host); err == nil {
		return true
	}
	h := strings.ToLower(hp.host)
	for _, tld := range localTLDs {
		if h == tld || strings.HasSuffix(h, "."+tld) {
			return true
		}
	}
	return false
}
