package ap

import (
	"net/url"
	"strconv"
	"strings"
)

// Public is the special collection that addresses everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// IsPublic reports whether an audience IRI means everyone: the full IRI,
// "as:Public" or "Public". The http:// spelling is accepted too because
// older Mastodon releases sent it (see the undo-announce fixture).
func IsPublic(iri string) bool {
	switch iri {
	case Public, "as:Public", "Public", "http://www.w3.org/ns/activitystreams#Public":
		return true
	}
	return false
}

// Origin returns scheme://host[:port] of an IRI, with the host lower-cased
// and default ports dropped, so that two IRIs from the same server compare
// equal. It returns "" for anything that is not an absolute http(s) IRI with
// a host, and for an out-of-range port.
func Origin(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if port == "" {
		// "https://example.com:/x" has an empty port, which means the default.
		return scheme + "://" + host
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return ""
	}
	if (scheme == "http" && n == 80) || (scheme == "https" && n == 443) {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + strconv.Itoa(n)
}
