package ap

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// aliases lists, for each property the parser reads, other spellings seen in
// the wild: JSON-LD keyword forms of id/type, and compact IRIs from senders
// whose context declares the as/toot/sec/schema prefixes but not the term.
var aliases = buildAliases()

func buildAliases() map[string][]string {
	a := map[string][]string{"id": {"@id"}, "type": {"@type"}}
	add := func(prefix string, keys ...string) {
		for _, k := range keys {
			a[k] = append(a[k], prefix+k)
		}
	}
	add("as:", "actor", "object", "target", "instrument", "attributedTo",
		"to", "cc", "bto", "bcc", "audience", "name", "nameMap", "summary",
		"summaryMap", "content", "contentMap", "mediaType", "url", "href",
		"inReplyTo", "published", "updated", "sensitive", "tag", "attachment",
		"replies", "context", "oneOf", "anyOf", "endTime", "closed",
		"preferredUsername", "inbox", "outbox", "followers", "following",
		"endpoints", "sharedInbox", "icon", "image", "alsoKnownAs", "movedTo",
		"manuallyApprovesFollowers", "totalItems", "first", "next", "prev",
		"partOf", "items", "orderedItems", "source", "quoteUrl")
	add("toot:", "discoverable", "indexable", "featured", "blurhash",
		"focalPoint", "votersCount")
	add("sec:", "publicKey", "publicKeyPem", "owner", "controller")
	add("schema:", "value")
	return a
}

// get returns a property, treating JSON null as absent so that "summary":
// null and a missing summary read the same.
func get(m map[string]any, key string) any {
	if v := m[key]; v != nil {
		return v
	}
	for _, k := range aliases[key] {
		if v := m[k]; v != nil {
			return v
		}
	}
	return nil
}

// items views any value as a list, because JSON-LD lets a single value
// stand for a one-element array. Nested arrays are left as elements and the
// callers skip them: they have no meaning in compacted AS2, and skipping
// them keeps every walk flat even over self-referencing Go values.
func items(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{v}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// text reads a natural-language value: a string, an expanded value object
// {"@value": ...}, or the first usable entry of an array of those.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		return str(x["@value"])
	case []any:
		for _, e := range x {
			if _, nested := e.([]any); nested {
				continue
			}
			if s := text(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// langText reads a plain property and falls back to its language map. The
// map fallback prefers "und", then the smallest language tag, so the same
// document always yields the same text.
func langText(m map[string]any, plain, mapKey string) string {
	if s := text(get(m, plain)); s != "" {
		return s
	}
	lm, ok := get(m, mapKey).(map[string]any)
	if !ok {
		return ""
	}
	if s := text(lm["und"]); s != "" {
		return s
	}
	for _, k := range slices.Sorted(maps.Keys(lm)) {
		if s := text(lm[k]); s != "" {
			return s
		}
	}
	return ""
}

func langMap(v any) map[string]string {
	lm, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(lm))
	for k, e := range lm {
		if s := text(e); s != "" {
			out[k] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// iriOf reads one reference: a string, or an object's id, or a Link's href.
func iriOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if id := str(get(x, "id")); id != "" {
			return id
		}
		return str(get(x, "href"))
	}
	return ""
}

func iris(v any) []string {
	var out []string
	for _, e := range items(v) {
		if s := iriOf(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstIRI(v any) string {
	for _, e := range items(v) {
		if s := iriOf(e); s != "" {
			return s
		}
	}
	return ""
}

// typePrefixes are stripped from type names so that HasType("Note") also
// matches senders that wrote "as:Note" or the full vocabulary IRI.
var typePrefixes = []string{
	"https://www.w3.org/ns/activitystreams#",
	"http://www.w3.org/ns/activitystreams#",
	"https://w3id.org/security#",
	"as:", "toot:", "schema:", "sec:", "litepub:",
}

func normType(s string) string {
	for _, p := range typePrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" {
			return rest
		}
	}
	return s
}

func typesOf(v any) []string {
	var out []string
	for _, e := range items(v) {
		if s, ok := e.(string); ok && s != "" {
			out = append(out, normType(s))
		}
	}
	return out
}

func firstType(m map[string]any) string {
	for _, e := range items(get(m, "type")) {
		if s, ok := e.(string); ok && s != "" {
			return normType(s)
		}
	}
	return ""
}

// intOf accepts only integral numbers: a count of 2.5 or "3" is as
// meaningless as a missing one. json.Number comes from Parse, float64 and
// ints from maps callers decoded themselves.
func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
		f, err := x.Float64()
		if err != nil {
			return 0, false
		}
		return floatInt(f)
	case float64:
		return floatInt(x)
	case int:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func floatInt(f float64) (int64, bool) {
	// NaN fails the Trunc comparison; ±Inf and huge values fail the range.
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// count is a non-negative integer; negative counts are dropped, not clamped,
// because they say the sender is confused rather than that there are none.
func count(v any) int64 {
	n, ok := intOf(v)
	if !ok || n < 0 {
		return 0
	}
	return n
}

// dim is a pixel size that fits an int on every platform.
func dim(v any) int {
	n, ok := intOf(v)
	if !ok || n < 0 || n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

func floatOf(v any) (float64, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, false
		}
	case float64:
		f = x
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func boolOf(v any) (b, ok bool) {
	b, ok = v.(bool)
	return b, ok
}

// timeLayouts are tried in order. RFC 3339 comes first and also covers
// fractional seconds, since time.Parse accepts them after the seconds field
// even when the layout has none. The rest are shapes seen from servers that
// drop the colon in the offset, the zone, or the "T".
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
	"2006-01-02",
}

// timeOf parses a date into UTC; a zone-less value is read as UTC.
func timeOf(v any) time.Time {
	s := strings.TrimSpace(str(v))
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
