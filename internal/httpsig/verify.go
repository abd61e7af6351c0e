package httpsig

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Defaults follow Mastodon's SignatureVerification concern: a signature is
// valid for 12 hours after its Date/created (EXPIRATION_WINDOW_LIMIT) and
// clocks may disagree by up to an hour (CLOCK_SKEW_MARGIN), in either
// direction. So a Date up to 13h old or 1h in the future is accepted.
// Deliveries are retried from queues for hours, which is why the window is
// that wide; a replay within it is only possible for an attacker who can
// read the TLS traffic.
const (
	DefaultMaxAge         = 12 * time.Hour
	DefaultClockSkew      = time.Hour
	DefaultMaxHeaderBytes = 8 << 10
)

// VerifyOptions tunes Verify. The zero value is the Mastodon-compatible
// policy.
type VerifyOptions struct {
	// Now overrides the clock.
	Now func() time.Time
	// MaxAge is how long after Date/created a signature stays valid.
	MaxAge time.Duration
	// ClockSkew is the tolerance for clocks that disagree.
	ClockSkew time.Duration
	// MaxHeaderBytes bounds each of Signature, Signature-Input, Digest and
	// Content-Digest (all field lines together).
	MaxHeaderBytes int
	// Scheme is the scheme the client used, for RFC 9421 @target-uri and
	// @scheme. Servers behind a TLS-terminating proxy cannot see it;
	// default "https" since federation requires it.
	Scheme string
	// Label selects one RFC 9421 signature when several are present.
	// Default: the only one, or the first whose alg we support.
	Label string
}

type algorithm int

const (
	algPKCS1SHA256 algorithm = iota + 1 // rsa-sha256, rsa-v1_5-sha256
	algPSSSHA512                        // rsa-pss-sha512
	algRSAAny                           // hs2019 / no alg: decided by the key
)

// Result is a parsed signature that passed every check that needs no key.
// Pass it the actor's key with Result.Verify. It is immutable and can be
// verified again, e.g. with a re-fetched key after a rotation.
type Result struct {
	Scheme    Scheme
	KeyID     string
	Algorithm string   // as sent; "" when absent
	Label     string   // RFC 9421 label; "" for cavage
	Covered   []string // covered component names, lower-cased, in order
	Created   time.Time
	Expires   time.Time // zero when absent

	base []byte
	// altBase is the cavage signing string with the query left out of
	// (request-target), tried when base fails; nil when there is no query.
	altBase []byte
	sig     []byte
	alg     algorithm
	ready   bool
}

// Verify parses the signature on r, checks that it covers what must be
// covered, that it is fresh and that body matches the signed digest. It
// returns the key id to look up; then call Result.Verify with the key.
//
// body must be the complete request body (the caller has read it, with a
// size limit). RFC 9421's Signature-Input is preferred when both schemes are
// present, as Mastodon does.
//
// On error the returned Result may still carry KeyID and Scheme, for logs;
// its Verify method refuses to run.
func Verify(r *http.Request, body []byte, o VerifyOptions) (Result, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.ClockSkew <= 0 {
		o.ClockSkew = DefaultClockSkew
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.Scheme == "" {
		o.Scheme = "https"
	}
	o.Scheme = strings.ToLower(o.Scheme)
	for _, h := range []string{"Signature", "Signature-Input", "Digest", "Content-Digest"} {
		n := 0
		for _, v := range r.Header.Values(h) {
			n += len(v)
		}
		if n > o.MaxHeaderBytes {
			return Result{}, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrHeaderTooLarge, h, n, o.MaxHeaderBytes)
		}
	}
	if len(r.Header.Values("Signature-Input")) > 0 {
		return verify9421(r, body, o)
	}
	if len(r.Header.Values("Signature")) > 0 {
		return verifyCavage(r, body, o)
	}
	return Result{}, ErrMissingSignature
}

// needsDigest: a request that may carry a body must bind it, or anyone on
// the path could swap the activity while keeping the signature.
func needsDigest(r *http.Request, body []byte) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return true
	}
	return len(body) > 0
}

func checkFresh(what string, t, now time.Time, o VerifyOptions) error {
	if t.After(now.Add(o.ClockSkew)) {
		return fmt.Errorf("%w: %s %s is in the future", ErrDateOutOfRange, what, t.UTC().Format(time.RFC3339))
	}
	if now.Sub(t) > o.MaxAge+o.ClockSkew {
		return fmt.Errorf("%w: %s %s is older than %v", ErrDateOutOfRange, what, t.UTC().Format(time.RFC3339), o.MaxAge)
	}
	return nil
}

func checkExpires(t, now time.Time, o VerifyOptions) error {
	if now.Sub(t) > o.ClockSkew {
		return fmt.Errorf("%w: signature expired at %s", ErrDateOutOfRange, t.UTC().Format(time.RFC3339))
	}
	return nil
}

// parseCavageParams parses `k="v",k2=123` strictly: known shapes only,
// no duplicate parameters (a duplicate could make two parsers disagree on
// which keyId was signed).
func parseCavageParams(s string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	skipWS := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	for {
		skipWS()
		start := i
		for i < len(s) && isTchar(s[i]) {
			i++
		}
		if i == start {
			return nil, fmt.Errorf("%w: Signature: expected parameter name at offset %d", ErrMalformed, i)
		}
		key := strings.ToLower(s[start:i])
		if i >= len(s) || s[i] != '=' {
			return nil, fmt.Errorf("%w: Signature: expected '=' after %q", ErrMalformed, key)
		}
		i++
		var val string
		if i < len(s) && s[i] == '"' {
			i++
			var b strings.Builder
			closed := false
			for i < len(s) {
				c := s[i]
				i++
				if c == '\\' && i < len(s) {
					b.WriteByte(s[i])
					i++
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				b.WriteByte(c)
			}
			if !closed {
				return nil, fmt.Errorf("%w: Signature: unterminated value for %q", ErrMalformed, key)
			}
			val = b.String()
		} else {
			// Unquoted values are allowed only for the numeric
			// created/expires parameters (draft-cavage-12 §2.1).
			start := i
			for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
				i++
			}
			if i == start {
				return nil, fmt.Errorf("%w: Signature: bad value for %q", ErrMalformed, key)
			}
			val = s[start:i]
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%w: Signature: duplicate parameter %q", ErrMalformed, key)
		}
		out[key] = val
		skipWS()
		if i == len(s) {
			return out, nil
		}
		if s[i] != ',' {
			return nil, fmt.Errorf("%w: Signature: expected ',' at offset %d", ErrMalformed, i)
		}
		i++
	}
}

// parseUnix parses a cavage created/expires value; expires may carry a
// fractional part per the draft, which we truncate.
func parseUnix(v string) (time.Time, error) {
	f, err := strconv.ParseFloat(v, 64)
	// NaN compares false with every bound, so it is refused by name.
	if err != nil || math.IsNaN(f) || f < 0 || f > math.MaxInt32*4 || strings.Count(v, ".") > 1 {
		return time.Time{}, fmt.Errorf("%w: bad timestamp %q", ErrMalformed, v)
	}
	return time.Unix(int64(f), 0), nil
}

func verifyCavage(r *http.Request, body []byte, o VerifyOptions) (Result, error) {
	res := Result{Scheme: Cavage}
	lines := r.Header.Values("Signature")
	if len(lines) != 1 {
		return res, fmt.Errorf("%w: %d Signature header lines", ErrMalformed, len(lines))
	}
	p, err := parseCavageParams(lines[0])
	if err != nil {
		return res, err
	}
	res.KeyID = p["keyid"]
	if res.KeyID == "" {
		return res, fmt.Errorf("%w: Signature has no keyId", ErrMalformed)
	}
	res.Algorithm = p["algorithm"]
	switch strings.ToLower(res.Algorithm) {
	case "rsa-sha256":
		res.alg = algPKCS1SHA256
	case "hs2019", "":
		// hs2019 means "derive from the key"; with RSA keys that is
		// PKCS#1 v1.5 SHA-256 in practice (Mastodon, Misskey...),
		// with PSS-SHA512 as the draft's own suggestion.
		res.alg = algRSAAny
	default:
		return res, fmt.Errorf("%w: Signature algorithm %q", ErrUnsupportedAlgorithm, res.Algorithm)
	}
	sigB64, ok := p["signature"]
	if !ok || sigB64 == "" {
		return res, fmt.Errorf("%w: Signature has no signature", ErrMalformed)
	}
	if res.sig, err = base64.StdEncoding.DecodeString(sigB64); err != nil {
		return res, fmt.Errorf("%w: signature is not base64: %v", ErrMalformed, err)
	}
	hv, ok := p["headers"]
	if !ok {
		hv = "date" // the draft's default
	}
	res.Covered = strings.Fields(strings.ToLower(hv))
	if len(res.Covered) == 0 {
		return res, fmt.Errorf("%w: empty headers parameter", ErrMalformed)
	}
	for i, h := range res.Covered {
		if slices.Contains(res.Covered[:i], h) {
			return res, fmt.Errorf("%w: header %q covered twice", ErrMalformed, h)
		}
	}
	covers := func(h string) bool { return slices.Contains(res.Covered, h) }

	createdRaw, expiresRaw := p["created"], p["expires"]
	if res.alg == algPKCS1SHA256 && (covers("(created)") || covers("(expires)")) {
		// draft-cavage-12 §2.3: these pseudo-headers are an error with
		// the legacy rsa-* algorithm names.
		return res, fmt.Errorf("%w: (created)/(expires) not allowed with %s", ErrMalformed, res.Algorithm)
	}
	if !covers("(request-target)") {
		return res, fmt.Errorf("%w: (request-target)", ErrMissingComponent)
	}
	if !covers("host") {
		return res, fmt.Errorf("%w: host", ErrMissingComponent)
	}
	if !covers("date") && !covers("(created)") {
		return res, fmt.Errorf("%w: date or (created)", ErrMissingComponent)
	}
	if needsDigest(r, body) && !covers("digest") {
		return res, fmt.Errorf("%w: digest", ErrMissingComponent)
	}

	now := o.Now()
	if createdRaw != "" {
		if res.Created, err = parseUnix(createdRaw); err != nil {
			return res, err
		}
		if err := checkFresh("created", res.Created, now, o); err != nil {
			return res, err
		}
	}
	if expiresRaw != "" {
		if res.Expires, err = parseUnix(expiresRaw); err != nil {
			return res, err
		}
		if err := checkExpires(res.Expires, now, o); err != nil {
			return res, err
		}
	}
	if covers("date") {
		dv := r.Header.Get("Date")
		if dv == "" {
			return res, fmt.Errorf("%w: covered header \"date\" is absent", ErrMissingComponent)
		}
		d, err := http.ParseTime(dv)
		if err != nil {
			return res, fmt.Errorf("%w: Date %q: %v", ErrMalformed, dv, err)
		}
		if err := checkFresh("Date", d, now, o); err != nil {
			return res, err
		}
		if res.Created.IsZero() {
			res.Created = d
		}
	}
	if covers("digest") {
		dv, ok := headerValue(r, "digest")
		if !ok {
			return res, fmt.Errorf("%w: covered header \"digest\" is absent", ErrMissingComponent)
		}
		if err := checkDigest(dv, body); err != nil {
			return res, err
		}
	}
	ss, err := cavageSigningString(r, res.Covered, createdRaw, expiresRaw)
	if err != nil {
		return res, err
	}
	res.base = []byte(ss)
	if strings.Contains(requestTarget(r), "?") {
		// Misskey, Pleroma and Akkoma sign the path without the query;
		// Mastodon and GoToSocial accept both, and so does weft.
		alt, err := cavageSigningString(r, res.Covered, createdRaw, expiresRaw, true)
		if err != nil {
			return res, err
		}
		res.altBase = []byte(alt)
	}
	res.ready = true
	return res, nil
}

func stringParam(ps []sfParam, key string) (string, bool, error) {
	v, ok := lookupParam(ps, key)
	if !ok {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", true, fmt.Errorf("%w: Signature-Input parameter %q must be a string", ErrMalformed, key)
	}
	return s, true, nil
}

func intParam(ps []sfParam, key string) (time.Time, bool, error) {
	v, ok := lookupParam(ps, key)
	if !ok {
		return time.Time{}, false, nil
	}
	n, isInt := v.(int64)
	if !isInt || n < 0 {
		return time.Time{}, true, fmt.Errorf("%w: Signature-Input parameter %q must be a non-negative integer", ErrMalformed, key)
	}
	return time.Unix(n, 0), true, nil
}

func alg9421(name string, present bool) (algorithm, bool) {
	if !present {
		// RFC 9421 §3.2: without alg the algorithm comes from the key;
		// all we accept are RSA keys.
		return algRSAAny, true
	}
	switch name {
	case "rsa-v1_5-sha256":
		return algPKCS1SHA256, true
	case "rsa-pss-sha512":
		return algPSSSHA512, true
	}
	return 0, false
}

func verify9421(r *http.Request, body []byte, o VerifyOptions) (Result, error) {
	res := Result{Scheme: RFC9421}
	inputs, err := parseSFDictionary(strings.Join(r.Header.Values("Signature-Input"), ", "))
	if err != nil {
		return res, fmt.Errorf("%w: Signature-Input: %v", ErrMalformed, err)
	}
	sigs, err := parseSFDictionary(strings.Join(r.Header.Values("Signature"), ", "))
	if err != nil {
		return res, fmt.Errorf("%w: Signature: %v", ErrMalformed, err)
	}
	var in *sfMember
	for i := range inputs {
		m := &inputs[i]
		if o.Label != "" {
			if m.key == o.Label {
				in = m
				break
			}
			continue
		}
		name, present, _ := stringParam(m.params, "alg")
		if _, ok := alg9421(name, present); ok || len(inputs) == 1 {
			in = m
			break
		}
	}
	if in == nil {
		if o.Label != "" {
			return res, fmt.Errorf("%w: no signature labelled %q", ErrMalformed, o.Label)
		}
		if len(inputs) == 0 {
			return res, fmt.Errorf("%w: empty Signature-Input", ErrMalformed)
		}
		return res, fmt.Errorf("%w: no signature with a supported alg", ErrUnsupportedAlgorithm)
	}
	res.Label = in.key
	if !in.isList {
		return res, fmt.Errorf("%w: Signature-Input %q is not an inner list", ErrMalformed, in.key)
	}
	keyID, ok, err := stringParam(in.params, "keyid")
	if err != nil {
		return res, err
	}
	if !ok || keyID == "" {
		return res, fmt.Errorf("%w: Signature-Input %q has no keyid", ErrMalformed, in.key)
	}
	res.KeyID = keyID
	algName, algPresent, err := stringParam(in.params, "alg")
	if err != nil {
		return res, err
	}
	res.Algorithm = algName
	if res.alg, ok = alg9421(algName, algPresent); !ok {
		return res, fmt.Errorf("%w: alg %q", ErrUnsupportedAlgorithm, algName)
	}
	for _, it := range in.list {
		name, isStr := it.val.(string)
		if !isStr || name == "" {
			return res, fmt.Errorf("%w: component identifiers must be strings", ErrMalformed)
		}
		if len(it.params) > 0 {
			return res, fmt.Errorf("%w: component parameters (%q;%s) are not supported", ErrMalformed, name, it.params[0].key)
		}
		if name != strings.ToLower(name) {
			return res, fmt.Errorf("%w: component %q must be lower-case", ErrMalformed, name)
		}
		if slices.Contains(res.Covered, name) {
			return res, fmt.Errorf("%w: component %q covered twice", ErrMalformed, name)
		}
		res.Covered = append(res.Covered, name)
	}
	var sigMember *sfMember
	for i := range sigs {
		if sigs[i].key == in.key {
			sigMember = &sigs[i]
		}
	}
	if sigMember == nil {
		return res, fmt.Errorf("%w: no Signature value labelled %q", ErrMalformed, in.key)
	}
	sigBytes, isBytes := sigMember.item.val.([]byte)
	if sigMember.isList || !isBytes || len(sigBytes) == 0 {
		return res, fmt.Errorf("%w: Signature %q is not a byte sequence", ErrMalformed, in.key)
	}
	res.sig = sigBytes

	covers := func(c string) bool { return slices.Contains(res.Covered, c) }
	if !covers("@method") {
		return res, fmt.Errorf("%w: @method", ErrMissingComponent)
	}
	if !covers("@target-uri") {
		// @authority + @path (+ @query when there is one) pins the
		// same target as @target-uri, bar the scheme.
		if !covers("@authority") || !covers("@path") {
			return res, fmt.Errorf("%w: @target-uri (or @authority and @path)", ErrMissingComponent)
		}
		if strings.Contains(requestTarget(r), "?") && !covers("@query") {
			return res, fmt.Errorf("%w: @query (request has a query string)", ErrMissingComponent)
		}
	}
	if needsDigest(r, body) && !covers("content-digest") {
		return res, fmt.Errorf("%w: content-digest", ErrMissingComponent)
	}

	now := o.Now()
	created, ok, err := intParam(in.params, "created")
	if err != nil {
		return res, err
	}
	if !ok {
		// Without created there is no replay bound; Mastodon requires it.
		return res, fmt.Errorf("%w: created parameter", ErrMissingComponent)
	}
	res.Created = created
	if err := checkFresh("created", created, now, o); err != nil {
		return res, err
	}
	if exp, ok, err := intParam(in.params, "expires"); err != nil {
		return res, err
	} else if ok {
		res.Expires = exp
		if err := checkExpires(exp, now, o); err != nil {
			return res, err
		}
	}
	if covers("content-digest") {
		dv, ok := headerValue(r, "content-digest")
		if !ok {
			return res, fmt.Errorf("%w: covered header \"content-digest\" is absent", ErrMissingComponent)
		}
		if err := checkContentDigest(dv, body); err != nil {
			return res, err
		}
	}
	base, err := rfc9421Base(r, in.list, in.params, o.Scheme)
	if err != nil {
		return res, err
	}
	res.base = []byte(base)
	res.ready = true
	return res, nil
}

// Verify checks the signature with the actor's public key. It can be called
// again with another key (after re-fetching the actor on failure, to follow
// key rotation).
func (res Result) Verify(pub *rsa.PublicKey) error {
	if !res.ready {
		return fmt.Errorf("%w: no verified signature parameters (Verify failed?)", ErrMalformed)
	}
	if pub == nil {
		return fmt.Errorf("%w: nil public key", ErrBadSignature)
	}
	err := res.verifyBase(pub, res.base)
	if err != nil && res.altBase != nil {
		if res.verifyBase(pub, res.altBase) == nil {
			return nil
		}
	}
	return err
}

func (res Result) verifyBase(pub *rsa.PublicKey, base []byte) error {
	pkcs1 := func() error {
		h := sha256.Sum256(base)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], res.sig)
	}
	pss := func() error {
		h := sha512.Sum512(base)
		return rsa.VerifyPSS(pub, crypto.SHA512, h[:], res.sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
	}
	var err error
	switch res.alg {
	case algPKCS1SHA256:
		err = pkcs1()
	case algPSSSHA512:
		err = pss()
	case algRSAAny:
		if err = pkcs1(); err != nil {
			err = pss()
		}
	default:
		err = fmt.Errorf("unknown algorithm")
	}
	if err != nil {
		return fmt.Errorf("%w: key %s: %v", ErrBadSignature, res.KeyID, err)
	}
	return nil
}
