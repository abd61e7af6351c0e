package transport

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
)

type addrRange struct {
	prefix netip.Prefix
	why    string
}

func mustRanges(pairs ...string) []addrRange {
	out := make([]addrRange, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, addrRange{netip.MustParsePrefix(pairs[i]), pairs[i+1]})
	}
	return out
}

// forbidden4 lists IPv4 space that is either internal to some network or
// not routable on the Internet. No genuine federation peer lives there, but
// an attacker who controls a hostname or a redirect can point us at it to
// reach services behind our firewall (metadata endpoints, databases, admin
// panels).
var forbidden4 = mustRanges(
	"255.255.255.255/32", "broadcast", // before 240/4 so the reason is precise
	"0.0.0.0/8", "\"this network\"",
	"10.0.0.0/8", "private (RFC 1918)",
	"100.64.0.0/10", "carrier-grade NAT",
	"127.0.0.0/8", "loopback",
	"169.254.0.0/16", "link-local",
	"172.16.0.0/12", "private (RFC 1918)",
	"192.0.0.0/24", "IETF protocol assignment",
	"192.0.2.0/24", "documentation",
	"192.88.99.0/24", "6to4 relay anycast",
	"192.168.0.0/16", "private (RFC 1918)",
	"198.18.0.0/15", "benchmarking",
	"198.51.100.0/24", "documentation",
	"203.0.113.0/24", "documentation",
	"224.0.0.0/4", "multicast",
	"240.0.0.0/4", "reserved",
)

// forbidden6 is the IPv6 counterpart. IPv4-mapped addresses never reach
// it (they are judged as IPv4); NAT64 and 6to4 are judged by the IPv4
// address they embed, in classify6.
var forbidden6 = mustRanges(
	"::/128", "unspecified",
	"::1/128", "loopback",
	// Deprecated IPv4-compatible form; some stacks still route it to the
	// embedded IPv4 address, and no real host uses it.
	"::/96", "IPv4-compatible",
	// SIIT IPv4-translated addresses lead to an IPv4 host we cannot see.
	"::ffff:0:0:0/96", "IPv4-translated",
	// Local-use NAT64 (RFC 8215) translates into the operator's own
	// network by definition.
	"64:ff9b:1::/48", "local-use NAT64",
	"100::/64", "discard-only",
	// Teredo tunnels to an IPv4 host; the protocol is dead, so refusing
	// it costs nothing and saves decoding the obfuscated address.
	"2001::/32", "Teredo",
	"2001:db8::/32", "documentation",
	"fc00::/7", "unique local",
	"fe80::/10", "link-local",
	"fec0::/10", "site-local",
	"ff00::/8", "multicast",
)

var (
	nat64WellKnown = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour      = netip.MustParsePrefix("2002::/16")
)

// classify returns why federation must not reach a, or "" when a is a
// public unicast address.
func classify(a netip.Addr) string {
	if !a.IsValid() {
		return "not a valid address"
	}
	// Prefix.Contains never matches a zoned address, which would let
	// "fe80::1%eth0" through.
	a = a.WithZone("")
	if a.Is4In6() {
		if why := classify4(a.Unmap()); why != "" {
			return "IPv4-mapped " + why
		}
		return ""
	}
	if a.Is4() {
		return classify4(a)
	}
	return classify6(a)
}

func classify4(a netip.Addr) string {
	for _, r := range forbidden4 {
		if r.prefix.Contains(a) {
			return r.why
		}
	}
	return ""
}

func classify6(a netip.Addr) string {
	for _, r := range forbidden6 {
		if r.prefix.Contains(a) {
			return r.why
		}
	}
	b := a.As16()
	switch {
	case nat64WellKnown.Contains(a):
		// A NAT64 gateway on our path would carry the connection to the
		// embedded IPv4 address, private or not.
		if why := classify4(netip.AddrFrom4([4]byte(b[12:16]))); why != "" {
			return "NAT64 of " + why
		}
	case sixToFour.Contains(a):
		if why := classify4(netip.AddrFrom4([4]byte(b[2:6]))); why != "" {
			return "6to4 of " + why
		}
	}
	return ""
}

// checkAddr is the single gate every outgoing connection passes.
func (c *Client) checkAddr(a netip.Addr) error {
	why := classify(a)
	if why == "" || c.allowed(a) {
		return nil
	}
	return fmt.Errorf("%w: %s is %s", ErrForbiddenAddress, a, why)
}

// allowed reports whether the operator opened a up with AllowPrivate. An
// IPv4-mapped address reaches the same host as its IPv4 form, so it is
// matched both ways; NAT64 and 6to4 forms are not, because they go through
// a gateway the operator did not name.
func (c *Client) allowed(a netip.Addr) bool {
	a = a.WithZone("")
	for _, p := range c.allow {
		if p.Contains(a) || (a.Is4In6() && p.Contains(a.Unmap())) {
			return true
		}
	}
	return false
}

// dialContext resolves the host itself and dials only addresses that pass
// checkAddr. Checking the name before the request would be useless: a
// hostile DNS server can answer with a public address for the check and a
// private one for the connection (DNS rebinding). Here the address checked
// is the address dialled.
func (c *Client) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("transport: dial %q: %w", addr, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("transport: dial %q: bad port", addr)
	}
	addrs, err := c.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var refused, dialErr error
	for _, a := range addrs {
		if err := c.checkAddr(a); err != nil {
			if refused == nil {
				refused = err
			}
			continue
		}
		conn, err := c.dialer.DialContext(ctx, network, netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		dialErr = err
		if ctx.Err() != nil {
			break
		}
	}
	// A real connection failure says more about what went wrong than the
	// refusal of some other address of the same host.
	if dialErr != nil {
		return nil, dialErr
	}
	if refused != nil {
		return nil, fmt.Errorf("transport: %s: %w", host, refused)
	}
	return nil, fmt.Errorf("transport: %s resolved to no address", host)
}

func (c *Client) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := c.lookup(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("transport: resolve %s: %w", host, err)
	}
	for i := range addrs {
		// The resolver may hand back IPv4 answers in mapped form; dialling
		// them as IPv4 avoids depending on dual-stack sockets.
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, nil
}

func lookupNetIP(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// control re-checks the socket address just before connect. dialContext
// already refuses bad addresses; this guards against any future path to the
// dialer that skips it.
func (c *Client) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable dial address %q", ErrForbiddenAddress, address)
	}
	return c.checkAddr(ap.Addr())
}
