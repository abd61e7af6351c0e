package httpsig

// A small RFC 8941 (Structured Field Values) parser and serializer, limited
// to what RFC 9421 and RFC 9530 need: dictionaries whose members are inner
// lists or items, with parameters. It is strict on purpose: anything a
// conforming serializer would not produce is rejected rather than guessed.

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sfToken distinguishes tokens from strings, which serialize differently.
type sfToken string

type sfParam struct {
	key string
	val any // int64, float64, string, sfToken, []byte, bool
}

type sfItem struct {
	val    any
	params []sfParam
}

// sfMember is one dictionary member: either an item or an inner list.
type sfMember struct {
	key    string
	isList bool
	item   sfItem   // when !isList
	list   []sfItem // when isList
	params []sfParam
}

func (it sfItem) param(key string) (any, bool) { return lookupParam(it.params, key) }

func lookupParam(ps []sfParam, key string) (any, bool) {
	for _, p := range ps {
		if p.key == key {
			return p.val, true
		}
	}
	return nil, false
}

var errSF = errors.New("invalid structured field")

type sfParser struct {
	s string
	i int
}

func (p *sfParser) eof() bool { return p.i >= len(p.s) }
func (p *sfParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.i]
}
func (p *sfParser) skipSP() {
	for !p.eof() && p.s[p.i] == ' ' {
		p.i++
	}
}
func (p *sfParser) skipOWS() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}
func (p *sfParser) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", errSF, what, p.i)
}

// parseSFDictionary parses a dictionary (RFC 8941 §4.2.2). Later duplicate
// keys overwrite earlier ones per the RFC; we keep the order of first
// appearance but the last value, which is what the RFC specifies.
func parseSFDictionary(s string) ([]sfMember, error) {
	p := &sfParser{s: s}
	p.skipSP()
	var out []sfMember
	idx := map[string]int{}
	for !p.eof() {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		m := sfMember{key: key}
		if p.peek() == '=' {
			p.i++
			if p.peek() == '(' {
				m.isList = true
				if m.list, m.params, err = p.innerList(); err != nil {
					return nil, err
				}
			} else {
				if m.item, err = p.item(); err != nil {
					return nil, err
				}
			}
		} else {
			// Bare key means boolean true with optional parameters.
			ps, err := p.params()
			if err != nil {
				return nil, err
			}
			m.item = sfItem{val: true, params: ps}
		}
		if j, ok := idx[key]; ok {
			out[j] = m
		} else {
			idx[key] = len(out)
			out = append(out, m)
		}
		p.skipOWS()
		if p.eof() {
			return out, nil
		}
		if p.peek() != ',' {
			return nil, p.fail("expected ','")
		}
		p.i++
		p.skipOWS()
		if p.eof() {
			return nil, p.fail("trailing ','")
		}
	}
	return out, nil
}

func (p *sfParser) key() (string, error) {
	start := p.i
	c := p.peek()
	if !(c >= 'a' && c <= 'z' || c == '*') {
		return "", p.fail("invalid key")
	}
	p.i++
	for !p.eof() {
		c := p.s[p.i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i], nil
}

func (p *sfParser) innerList() ([]sfItem, []sfParam, error) {
	p.i++ // '('
	var items []sfItem
	for {
		p.skipSP()
		if p.eof() {
			return nil, nil, p.fail("unterminated inner list")
		}
		if p.peek() == ')' {
			p.i++
			ps, err := p.params()
			return items, ps, err
		}
		it, err := p.item()
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
		if c := p.peek(); c != ' ' && c != ')' {
			return nil, nil, p.fail("expected ' ' or ')' in inner list")
		}
	}
}

func (p *sfParser) item() (sfItem, error) {
	v, err := p.bareItem()
	if err != nil {
		return sfItem{}, err
	}
	ps, err := p.params()
	return sfItem{val: v, params: ps}, err
}

func (p *sfParser) params() ([]sfParam, error) {
	var ps []sfParam
	for p.peek() == ';' {
		p.i++
		p.skipSP()
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		var v any = true
		if p.peek() == '=' {
			p.i++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		replaced := false
		for j := range ps {
			if ps[j].key == k {
				ps[j].val, replaced = v, true
			}
		}
		if !replaced {
			ps = append(ps, sfParam{k, v})
		}
	}
	return ps, nil
}

func (p *sfParser) bareItem() (any, error) {
	c := p.peek()
	switch {
	case c == '"':
		return p.str()
	case c == ':':
		return p.bytes()
	case c == '?':
		if p.i+1 < len(p.s) && (p.s[p.i+1] == '0' || p.s[p.i+1] == '1') {
			b := p.s[p.i+1] == '1'
			p.i += 2
			return b, nil
		}
		return nil, p.fail("invalid boolean")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '*':
		start := p.i
		p.i++
		for !p.eof() && (isTchar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '/') {
			p.i++
		}
		return sfToken(p.s[start:p.i]), nil
	}
	return nil, p.fail("invalid item")
}

func (p *sfParser) str() (string, error) {
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.eof() || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", p.fail("invalid escape")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", p.fail("invalid character in string")
		default:
			b.WriteByte(c)
		}
	}
	return "", p.fail("unterminated string")
}

func (p *sfParser) bytes() ([]byte, error) {
	p.i++
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return nil, p.fail("unterminated byte sequence")
	}
	raw := p.s[p.i : p.i+end]
	p.i += end + 1
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		// RFC 8941 lets parsers accept missing padding.
		if b, err = base64.RawStdEncoding.DecodeString(raw); err != nil {
			return nil, fmt.Errorf("%w: bad base64 in byte sequence", errSF)
		}
	}
	return b, nil
}

func (p *sfParser) number() (any, error) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	dot := -1
	for !p.eof() {
		c := p.s[p.i]
		if c >= '0' && c <= '9' {
			p.i++
		} else if c == '.' && dot < 0 {
			dot = p.i
			p.i++
		} else {
			break
		}
	}
	num := p.s[start:p.i]
	digits := len(num) - strings.Count(num, "-") - strings.Count(num, ".")
	if digits == 0 {
		return nil, p.fail("invalid number")
	}
	if dot < 0 {
		if digits > 15 {
			return nil, p.fail("integer too long")
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return nil, p.fail("invalid integer")
		}
		return n, nil
	}
	if dot == p.i-1 || p.i-dot-1 > 3 || dot-start > 12 {
		return nil, p.fail("invalid decimal")
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return nil, p.fail("invalid decimal")
	}
	return f, nil
}

func isTchar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// serializeInnerList produces the canonical RFC 8941 form, which is what
// RFC 9421 §2.3 puts on the "@signature-params" line. Re-serializing rather
// than reusing the received bytes is what the RFC asks for.
func serializeInnerList(items []sfItem, params []sfParam) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeBare(&b, it.val)
		writeParams(&b, it.params)
	}
	b.WriteByte(')')
	writeParams(&b, params)
	return b.String()
}

func writeParams(b *strings.Builder, ps []sfParam) {
	for _, p := range ps {
		b.WriteByte(';')
		b.WriteString(p.key)
		if v, ok := p.val.(bool); ok && v {
			continue
		}
		b.WriteByte('=')
		writeBare(b, p.val)
	}
}

func writeBare(b *strings.Builder, v any) {
	switch v := v.(type) {
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		s := strconv.FormatFloat(v, 'f', 3, 64)
		s = strings.TrimRight(s, "0")
		if strings.HasSuffix(s, ".") {
			s += "0"
		}
		b.WriteString(s)
	case string:
		b.WriteByte('"')
		for i := 0; i < len(v); i++ {
			if v[i] == '"' || v[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v[i])
		}
		b.WriteByte('"')
	case sfToken:
		b.WriteString(string(v))
	case []byte:
		b.WriteByte(':')
		b.WriteString(base64.StdEncoding.EncodeToString(v))
		b.WriteByte(':')
	case bool:
		if v {
			b.WriteString("?1")
		} else {
			b.WriteString("?0")
		}
	}
}
