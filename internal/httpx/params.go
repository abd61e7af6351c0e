package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"weft/internal/model"
)

// MaxBody bounds a request body that is not an upload.
const MaxBody = 1 << 20

// Params are a request's parameters from the query string and the body,
// whatever the body's encoding: JSON, form-encoded or multipart, as real
// Mastodon clients send all three. JSON objects and arrays are flattened
// to the Rails names forms use (`poll[options][]`, `fields_attributes[0][name]`),
// so handlers read one key space.
type Params struct {
	v url.Values
	// seq keeps the name[][field] pairs of the query string and of a
	// form-encoded body in the order sent: Rails groups them into objects
	// by that order, which url.Values loses.
	seq [][2]string
	// files are the file parts of a multipart body.
	files map[string][]*multipart.FileHeader
}

// multipartMemory is how much of a multipart body is kept in memory; file
// parts beyond it go to temporary files (removed with the request).
const multipartMemory = 8 << 20

// ParseParams reads the query string and a body of at most maxBody bytes.
// A POST without a body or a Content-Type is fine (follow, favourite …).
func ParseParams(r *http.Request, maxBody int64) (*Params, error) {
	p := &Params{v: url.Values{}}
	for k, vs := range r.URL.Query() {
		p.v[k] = append(p.v[k], vs...)
	}
	p.seq = appendObjectPairs(p.seq, r.URL.RawQuery)
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		if err := p.checkNUL(); err != nil {
			return nil, err
		}
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(nil, r.Body, maxBody)
	switch ct {
	case "application/json":
		raw, err := io.ReadAll(body)
		if err != nil {
			return nil, bodyError(err)
		}
		if len(strings.TrimSpace(string(raw))) == 0 {
			return p, nil
		}
		if err := checkNesting(raw); err != nil {
			return nil, err
		}
		var doc any
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, model.Invalid("body", "is not valid JSON: %v", err)
		}
		obj, ok := doc.(map[string]any)
		if !ok {
			return nil, model.Invalid("body", "must be a JSON object")
		}
		flatten(p.v, "", obj)
	case "multipart/form-data":
		r.Body = body
		if err := r.ParseMultipartForm(min(maxBody, multipartMemory)); err != nil {
			return nil, bodyError(err)
		}
		for k, vs := range r.MultipartForm.Value {
			p.v[k] = append(p.v[k], vs...)
		}
		p.files = r.MultipartForm.File
	default: // form-encoded, or no Content-Type at all
		raw, err := io.ReadAll(body)
		if err != nil {
			return nil, bodyError(err)
		}
		vals, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, model.Invalid("body", "is not a valid form")
		}
		for k, vs := range vals {
			p.v[k] = append(p.v[k], vs...)
		}
		p.seq = appendObjectPairs(p.seq, string(raw))
	}
	if err := p.checkNUL(); err != nil {
		return nil, err
	}
	return p, nil
}

// maxNesting is the deepest a JSON body may nest. Mastodon's parameters
// never go past three levels (poll[options][], fields_attributes[0][name]);
// a deeper body is refused before it is decoded, so that nobody can make
// the flattening (whose keys grow with the depth) cost quadratic time.
const maxNesting = 8

// checkNesting measures how deep objects and arrays nest, with a scan that
// knows strings, and refuses more than maxNesting.
func checkNesting(raw []byte) error {
	depth, inString, escaped := 0, false, false
	for _, c := range raw {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > maxNesting {
				return model.Invalid("body", "is nested too deeply (at most %d levels)", maxNesting)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// checkNUL refuses the NUL character in any name or value: PostgreSQL
// cannot store it in text (it answered 500), SQLite would, and no client
// means to send it — so it is refused alike on both, naming the field.
func (p *Params) checkNUL() error {
	for k, vs := range p.v {
		if strings.IndexByte(k, 0) >= 0 {
			return model.Invalid("body", "a parameter name contains the NUL character")
		}
		for _, v := range vs {
			if strings.IndexByte(v, 0) >= 0 {
				return model.Invalid(k, "must not contain the NUL character")
			}
		}
	}
	return nil
}

func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return model.Invalid("body", "is too large (at most %d bytes)", tooBig.Limit)
	}
	return model.Invalid("body", "cannot be read: %v", err)
}

// appendObjectPairs appends the name[][field] pairs of a query string to
// seq, in order. Pairs that do not decode are left to url.ParseQuery.
func appendObjectPairs(seq [][2]string, query string) [][2]string {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil || !strings.Contains(key, "[][") {
			continue
		}
		if val, err := url.QueryUnescape(v); err == nil {
			seq = append(seq, [2]string{key, val})
		}
	}
	return seq
}

// flatten turns JSON into Rails-style form keys.
func flatten(out url.Values, prefix string, v any) {
	key := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "[" + k + "]"
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(out, key(k), e)
		}
	case []any:
		for i, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				flatten(out, prefix+"["+strconv.Itoa(i)+"]", e)
			default:
				flatten(out, prefix+"[]", e)
			}
		}
	case nil:
		out[prefix] = append(out[prefix], "")
	case bool:
		out.Add(prefix, strconv.FormatBool(x))
	case json.Number:
		out.Add(prefix, x.String())
	case string:
		out.Add(prefix, x)
	default:
		out.Add(prefix, fmt.Sprint(x))
	}
}

// Has reports whether the parameter was sent at all (even empty).
func (p *Params) Has(name string) bool {
	_, ok := p.v[name]
	if !ok {
		_, ok = p.v[name+"[]"]
	}
	return ok
}

// String returns a parameter's first value, "" when absent.
func (p *Params) String(name string) string { return p.v.Get(name) }

// Strings returns an array parameter: `name[]` (Rails), repeated `name`, or
// a JSON array.
func (p *Params) Strings(name string) []string {
	out := append([]string{}, p.v[name+"[]"]...)
	return append(out, p.v[name]...)
}

// Bool parses a boolean as clients send them: true/True/1/on/yes and
// false/False/0/off/no. set is false when the parameter is absent.
func (p *Params) Bool(name string) (value, set bool, err error) {
	raw, ok := p.v[name]
	if !ok || len(raw) == 0 {
		return false, false, nil
	}
	value, err = ParseBool(name, raw[0])
	return value, true, err
}

// ParseBool parses one boolean value of parameter name as Bool does.
func ParseBool(name, raw string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case "true", "1", "on", "yes", "t":
		return true, nil
	case "false", "0", "off", "no", "f", "":
		return false, nil
	}
	return false, model.Invalid(name, "must be true or false")
}

// BoolPtr is Bool as a pointer: nil when absent.
func (p *Params) BoolPtr(name string) (*bool, error) {
	v, set, err := p.Bool(name)
	if err != nil || !set {
		return nil, err
	}
	return &v, nil
}

// ID parses an ID parameter ("" = 0).
func (p *Params) ID(name string) (int64, error) {
	raw := strings.TrimSpace(p.v.Get(name))
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 0 {
		return 0, model.Invalid(name, "must be an ID")
	}
	return id, nil
}

// Int parses an integer parameter within [min, max]; def when absent.
func (p *Params) Int(name string, def, min, max int) (int, error) {
	raw := strings.TrimSpace(p.v.Get(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		return 0, model.Invalid(name, "must be a number from %d to %d", min, max)
	}
	return n, nil
}

// Page reads Mastodon's max_id, since_id, min_id and limit.
func (p *Params) Page(defLimit, maxLimit int) (model.Page, error) {
	var pg model.Page
	var err error
	if pg.MaxID, err = p.ID("max_id"); err != nil {
		return pg, err
	}
	if pg.SinceID, err = p.ID("since_id"); err != nil {
		return pg, err
	}
	if pg.MinID, err = p.ID("min_id"); err != nil {
		return pg, err
	}
	raw := strings.TrimSpace(p.v.Get("limit"))
	pg.Limit = defLimit
	if raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return pg, model.Invalid("limit", "must be a positive number")
		}
		pg.Limit = min(n, maxLimit) // Mastodon clamps rather than refuses
	}
	return pg, nil
}

// Indexed returns the objects of an indexed array parameter, e.g.
// fields_attributes[0][name] / fields_attributes[][name] (forms) or a JSON
// array of objects, as maps of their keys, in index order. Objects without
// an index (name[][field]) come last, grouped as Rails groups them: in the
// order sent, a field the current object has already starts the next one
// (name[][id]=1&name[][_destroy]=1&name[][id]=2&name[][keyword]=x is two
// objects). When each field's values come all together (name[][a]=1&
// name[][a]=2&name[][b]=3&name[][b]=4, as clients that sort their keys
// send them), or the order is not known (multipart bodies), the nth value
// of each field goes to the nth object instead.
func (p *Params) Indexed(name string) []map[string]string {
	byIndex := map[string]map[string]string{}
	var order []string
	var anon []map[string]string
	prefix := name + "["
	for k, vs := range p.v {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(vs) == 0 {
			continue
		}
		idx, field, ok := strings.Cut(rest, "][")
		if !ok || !strings.HasSuffix(field, "]") {
			continue
		}
		field = strings.TrimSuffix(field, "]")
		if idx == "" { // fields_attributes[][name]: one object per value, in order
			for i, v := range vs {
				for len(anon) <= i {
					anon = append(anon, map[string]string{})
				}
				anon[i][field] = v
			}
			continue
		}
		if byIndex[idx] == nil {
			byIndex[idx] = map[string]string{}
			order = append(order, idx)
		}
		byIndex[idx][field] = vs[0]
	}
	sort.Slice(order, func(i, j int) bool {
		a, errA := strconv.Atoi(order[i])
		b, errB := strconv.Atoi(order[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return order[i] < order[j]
	})
	if ordered := p.orderedObjects(name); ordered != nil {
		anon = ordered
	}
	out := make([]map[string]string, 0, len(order)+len(anon))
	for _, idx := range order {
		out = append(out, byIndex[idx])
	}
	return append(out, anon...)
}

// orderedObjects groups the name[][field] pairs of seq into objects as
// Rails does; nil when there are none, or when each field's values come in
// one run and some field has several (grouped by field: see Indexed).
func (p *Params) orderedObjects(name string) []map[string]string {
	prefix := name + "[]["
	var out []map[string]string
	runs := map[string]int{} // field → runs of consecutive values
	prev, byField := "", true
	for _, kv := range p.seq {
		field, ok := strings.CutPrefix(kv[0], prefix)
		if !ok || !strings.HasSuffix(field, "]") {
			continue
		}
		field = strings.TrimSuffix(field, "]")
		if field != prev {
			if runs[field]++; runs[field] > 1 {
				byField = false
			}
			prev = field
		}
		if n := len(out); n == 0 || hasKey(out[n-1], field) {
			out = append(out, map[string]string{})
		}
		out[len(out)-1][field] = kv[1]
	}
	if byField && len(out) > 1 {
		return nil
	}
	return out
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// File opens the file part called name of a multipart body; ok is false
// when there is none (or the body was not multipart).
func (p *Params) File(name string) (f multipart.File, ok bool, err error) {
	hs := p.files[name]
	if len(hs) == 0 {
		return nil, false, nil
	}
	f, err = hs[0].Open()
	if err != nil {
		return nil, true, model.Invalid(name, "cannot be read: %v", err)
	}
	return f, true, nil
}
