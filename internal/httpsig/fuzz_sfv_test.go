package httpsig

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fzSerializeDict writes a parsed dictionary back out with the package's
// own serializer pieces (serializeInnerList, writeBare, writeParams); the
// package has no dictionary serializer, only the glue between members is
// added here (RFC 8941 §4.1.2).
func fzSerializeDict(ms []sfMember) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.key)
		if m.isList {
			b.WriteByte('=')
			b.WriteString(serializeInnerList(m.list, m.params))
			continue
		}
		if v, ok := m.item.val.(bool); ok && v {
			// A true member is serialized as its bare key.
			writeParams(&b, m.item.params)
			continue
		}
		b.WriteByte('=')
		writeBare(&b, m.item.val)
		writeParams(&b, m.item.params)
	}
	return b.String()
}

// fzSFValueEqual compares bare items by type and value: a token and a
// string with the same text are different values, and a byte sequence
// decoded as nil or as empty is the same value.
func fzSFValueEqual(a, b any) bool {
	switch a := a.(type) {
	case []byte:
		bb, ok := b.([]byte)
		return ok && bytes.Equal(a, bb)
	case int64, float64, string, sfToken, bool:
		return a == b
	}
	return false // not a type the parser may produce
}

func fzSFParamsEqual(a, b []sfParam) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].key != b[i].key || !fzSFValueEqual(a[i].val, b[i].val) {
			return false
		}
	}
	return true
}

func fzSFItemEqual(a, b sfItem) bool {
	return fzSFValueEqual(a.val, b.val) && fzSFParamsEqual(a.params, b.params)
}

func fzSFDictEqual(a, b []sfMember) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.key != y.key || x.isList != y.isList || !fzSFParamsEqual(x.params, y.params) {
			return false
		}
		if !x.isList && !fzSFItemEqual(x.item, y.item) {
			return false
		}
		if len(x.list) != len(y.list) {
			return false
		}
		for j := range x.list {
			if !fzSFItemEqual(x.list[j], y.list[j]) {
				return false
			}
		}
	}
	return true
}

// fzSFCheckShape checks what RFC 8941 guarantees of a parsed dictionary
// and what callers rely on: unique keys (later duplicates replaced earlier
// ones), values of the documented types only.
func fzSFCheckShape(t *testing.T, ms []sfMember) {
	t.Helper()
	checkParams := func(ps []sfParam) {
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p.key] || !isWholeKey(p.key) {
				t.Fatalf("parameter key %q duplicated or invalid in %+v", p.key, ps)
			}
			seen[p.key] = true
			if !fzSFValueEqual(p.val, p.val) {
				t.Fatalf("parameter %q has value %#v of unexpected type %T", p.key, p.val, p.val)
			}
		}
	}
	checkItem := func(it sfItem) {
		if !fzSFValueEqual(it.val, it.val) {
			t.Fatalf("item value %#v of unexpected type %T", it.val, it.val)
		}
		checkParams(it.params)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.key] || !isWholeKey(m.key) {
			t.Fatalf("member key %q duplicated or invalid", m.key)
		}
		seen[m.key] = true
		checkParams(m.params)
		if m.isList {
			for _, it := range m.list {
				checkItem(it)
			}
		} else {
			checkItem(m.item)
		}
	}
}

func fzSFString(ms []sfMember) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%+v", m))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// fzSFSeeds are structured-field inputs: the RFC 9421 vectors, SignWith's
// output and edge cases of every bare item type.
func fzSFSeeds(t testing.TB) []string {
	seeds := []string{
		fzRFC43Input, fzRFC43Sig, fzRFCB23Input, fzRFCB21Input, fzRFCContentDigest,
		ContentDigestHeader(noteBody) + ", sha-512=:" + "AAAA" + ":",
		"", " ", "a", "a=", "a=(", "a=()", "a=();p", `a=("x" "y");p=?0;q=1.5`,
		`a=("x";p=1 "y");k="v\"q";n=-3;t=tok/en;b, c=?0, a=2`,
		"a=1, a=2, b, a=(1 2)",
		"a;x=1;x=2;x", "a; x=1", "a=1 ,b=2", "a=1,\tb=2", "a=1,",
		"a=999999999999999", "a=-999999999999999", "a=1234567890123456", "a=-0", "a=007",
		"a=-", "a=-.5", "a=1.", "a=1.2345", "a=123456789012.123", "a=-123456789012.5", "a=1234567890123.1",
		"a=0.0", "a=-0.0", "a=1.2.3",
		`a="é"`, `a="\u00e9"`, "a=\"\x7f\"", `a="\\"`, `a="\x"`, `a="unterminated`, `a="""`,
		"a=:YWJj:", "a=:YWI:", "a=:YWI=:", "a=:YW\nJj:", "a=::", "a=:!!:", "a=:unterminated",
		"a=?1", "a=?2", "a=?", "a=*tok:/x", "a=Tok", "*a=1", "a-b.c_d*=1", "A=1", "1a=1",
		"a=(1 2", "a=(1  2)", "a=( 1 )", "a=(1)(2)", "a=((1))", "a=(:AA==:;p=?1)",
		strings.Repeat("a=1, ", 500) + "a=1",
		"a=(" + strings.Repeat(`"x" `, 500) + ")",
		"ключ=1", "a=ключ",
	}
	r := fzCavageOutgoing(t)
	key, _ := testKeys(t)
	if err := SignWith(r, keyID, key, RFC9421, noteBody, SignOptions{Now: fixedNow, Expires: time.Minute}); err != nil {
		t.Fatal(err)
	}
	return append(seeds, r.Header.Get("Signature-Input"), r.Header.Get("Signature"), r.Header.Get("Content-Digest"))
}

func FuzzParseSFDictionary(f *testing.F) {
	for _, s := range fzSFSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseSFDictionary(s)
		if err != nil {
			if !errors.Is(err, errSF) {
				t.Fatalf("parse error %v does not wrap errSF", err)
			}
			return
		}
		fzSFCheckShape(t, d)

		// Serializing what was parsed gives canonical text that parses
		// back to the same dictionary and is a fixed point of the
		// serializer. verify9421 relies on this: the @signature-params
		// line is the re-serialized Signature-Input member, and it must
		// mean what the sender sent.
		out := fzSerializeDict(d)
		for i := 0; i < len(out); i++ {
			if c := out[i]; c < 0x20 || c > 0x7e {
				t.Fatalf("serialized %q contains byte %#x, not allowed in a field value", out, c)
			}
		}
		d2, err := parseSFDictionary(out)
		if err != nil {
			t.Fatalf("input %q parsed, but its serialization %q does not: %v", s, out, err)
		}
		if !fzSFDictEqual(d, d2) {
			t.Fatalf("round trip changed the value:\ninput      %q\nparsed     %s\nserialized %q\nreparsed   %s", s, fzSFString(d), out, fzSFString(d2))
		}
		if out2 := fzSerializeDict(d2); out2 != out {
			t.Fatalf("serialization is not canonical: %q then %q", out, out2)
		}
		for _, m := range d {
			if m.isList {
				// The exact path verify9421 takes for @signature-params.
				il := serializeInnerList(m.list, m.params)
				re, err := parseSFDictionary("k=" + il)
				if err != nil || len(re) != 1 || !re[0].isList || !fzSFDictEqual([]sfMember{{key: "k", isList: true, list: m.list, params: m.params}}, re) {
					t.Fatalf("inner list %q does not round-trip: %v", il, err)
				}
			}
		}
	})
}
