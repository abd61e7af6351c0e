package httpsig

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// requestTarget is the path and query as they appear on the request line.
// On the server side r.RequestURI holds the raw bytes the client sent, which
// is what it signed; r.URL may have been normalised or rewritten by
// middleware (http.StripPrefix, for instance). On the client side
// RequestURI is empty and r.URL.RequestURI() is what net/http will write.
func requestTarget(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// requestHost is the Host header value: net/http moves it out of r.Header
// into r.Host on the server, and client requests fall back to URL.Host.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// normalAuthority lower-cases the host and drops the scheme's default port,
// as RFC 9421 §2.2.3 asks for @authority.
func normalAuthority(hostport, scheme string) string {
	hostport = strings.ToLower(hostport)
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return hostport // no port
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return hostport
}

// headerValue returns the value of a covered header: every field line
// trimmed and joined with ", " (draft-cavage-12 §2.3 and RFC 9421 §2.1 agree
// on this). ok is false when the header is absent.
func headerValue(r *http.Request, lname string) (string, bool) {
	if lname == "host" {
		h := requestHost(r)
		return h, h != ""
	}
	vals := r.Header.Values(lname)
	if len(vals) == 0 {
		// net/http keeps Content-Length out of the header map on
		// outgoing requests; it is still what goes on the wire.
		if lname == "content-length" && r.ContentLength > 0 {
			return strconv.FormatInt(r.ContentLength, 10), true
		}
		return "", false
	}
	if len(vals) == 1 {
		return trimOWS(vals[0]), true
	}
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = trimOWS(v)
	}
	return strings.Join(parts, ", "), true
}

// trimOWS strips HTTP's optional whitespace — space and tab only. Unicode
// spaces (a no-break space, an ideographic space) are part of the value:
// trimming them too would let a header differ from what was signed.
func trimOWS(v string) string { return strings.Trim(v, " \t") }

// cavageSigningString builds the draft-cavage-12 §2.3 signing string.
// created and expires are the raw parameter values, needed only when the
// (created)/(expires) pseudo-headers are covered. pathOnly leaves the
// query out of (request-target), as Misskey, Pleroma and Akkoma sign it.
func cavageSigningString(r *http.Request, headers []string, created, expires string, pathOnly ...bool) (string, error) {
	var b strings.Builder
	for i, h := range headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		var v string
		switch h {
		case "(request-target)":
			target := requestTarget(r)
			if len(pathOnly) > 0 && pathOnly[0] {
				target, _, _ = strings.Cut(target, "?")
			}
			v = strings.ToLower(r.Method) + " " + target
		case "(created)":
			if created == "" {
				return "", fmt.Errorf("%w: (created) covered but created parameter missing", ErrMalformed)
			}
			v = created
		case "(expires)":
			if expires == "" {
				return "", fmt.Errorf("%w: (expires) covered but expires parameter missing", ErrMalformed)
			}
			v = expires
		default:
			var ok bool
			if v, ok = headerValue(r, h); !ok {
				return "", fmt.Errorf("%w: covered header %q is absent", ErrMissingComponent, h)
			}
		}
		b.WriteString(h)
		b.WriteString(": ")
		b.WriteString(v)
	}
	return b.String(), nil
}

// rfc9421Value returns the value of one covered component (RFC 9421 §2).
// scheme is the scheme of the request as received, needed for @target-uri
// and @scheme because a server behind a TLS-terminating proxy cannot see it.
func rfc9421Value(r *http.Request, name, scheme string) (string, error) {
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return scheme + "://" + normalAuthority(requestHost(r), scheme) + requestTarget(r), nil
	case "@authority":
		return normalAuthority(requestHost(r), scheme), nil
	case "@scheme":
		return scheme, nil
	case "@request-target":
		return requestTarget(r), nil
	case "@path":
		t := requestTarget(r)
		if i := strings.IndexByte(t, '?'); i >= 0 {
			t = t[:i]
		}
		if t == "" {
			t = "/"
		}
		return t, nil
	case "@query":
		t := requestTarget(r)
		if i := strings.IndexByte(t, '?'); i >= 0 {
			return t[i:], nil
		}
		return "?", nil
	}
	if strings.HasPrefix(name, "@") {
		// @status is response-only; @query-param needs a name parameter
		// and is not implemented.
		return "", fmt.Errorf("%w: unsupported derived component %q", ErrMalformed, name)
	}
	v, ok := headerValue(r, name)
	if !ok {
		return "", fmt.Errorf("%w: covered header %q is absent", ErrMissingComponent, name)
	}
	return v, nil
}

// rfc9421Base builds the signature base (RFC 9421 §2.5). The components must
// be plain strings without parameters; the caller has checked that.
func rfc9421Base(r *http.Request, items []sfItem, params []sfParam, scheme string) (string, error) {
	var b strings.Builder
	for _, it := range items {
		name := it.val.(string)
		v, err := rfc9421Value(r, name, scheme)
		if err != nil {
			return "", err
		}
		b.WriteByte('"')
		b.WriteString(name)
		b.WriteString(`": `)
		b.WriteString(v)
		b.WriteByte('\n')
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(serializeInnerList(items, params))
	return b.String(), nil
}
