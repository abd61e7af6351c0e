package mastodon

import (
	"bytes"
	"encoding/json"
	"strconv"

	"weft/internal/model"
	"weft/internal/revcache"
	"weft/internal/service"
)

// Lists of statuses are most of what apps read, and encoding them is most
// of a timeline request's cost: 40 statuses are 60–90 KB of JSON. So lists
// are assembled from cached JSON: each account's and each status body's
// encoding is kept per row revision (model.Status.Rev, model.Account.Rev,
// which go up with every change in any process), and only the viewer's own
// flags are written per request. The result is the same JSON, field for
// field, as encoding the Status entity (status_json_test.go checks it).

// jsonCache holds the encodings.
type jsonCache struct {
	accounts *revcache.Cache[[]byte] // Account entity, by account ID
	bodies   *revcache.Cache[[]byte] // StatusBody, by status ID
}

func newJSONCache() *jsonCache {
	return &jsonCache{accounts: revcache.New[[]byte](10_000), bodies: revcache.New[[]byte](20_000)}
}

// accountJSON is the Account entity's encoding.
func (a *API) accountJSON(acc *model.Account) []byte {
	if b, ok := a.json.accounts.Get(acc.ID, acc.Rev); ok {
		return b
	}
	b := mustJSON(a.account(acc))
	a.json.accounts.Put(acc.ID, acc.Rev, b)
	return b
}

// bodyJSON is the StatusBody's encoding. The body depends on the status
// row, on its author's and mentioned accounts' usernames (which never
// change) and on the configuration, so the status's revision keys it.
func (a *API) bodyJSON(v *service.StatusView) []byte {
	st := v.Status
	if b, ok := a.json.bodies.Get(st.ID, st.Rev); ok {
		return b
	}
	b := mustJSON(a.statusBody(v))
	a.json.bodies.Put(st.ID, st.Rev, b)
	return b
}

// appendStatus appends the Status entity of v, as encoding a.status(v,
// signedIn) would, with the viewer's filter results from marks.
func (a *API) appendStatus(buf []byte, v *service.StatusView, signedIn bool, marks filterMarks) []byte {
	buf = append(buf, `{"account":`...)
	buf = append(buf, a.accountJSON(v.Account)...)
	body := a.bodyJSON(v)
	buf = append(buf, ',')
	buf = append(buf, body[1:len(body)-1]...) // the body's fields, without its braces
	buf = append(buf, `,"reblog":`...)
	if v.Reblog != nil {
		buf = a.appendStatus(buf, v.Reblog, signedIn, marks)
	} else {
		buf = append(buf, "null"...)
	}
	if signedIn {
		f := viewerFlags(v)
		buf = appendFlag(buf, "favourited", &f.Favourited)
		buf = appendFlag(buf, "reblogged", &f.Reblogged)
		buf = appendFlag(buf, "muted", &f.Muted)
		buf = appendFlag(buf, "bookmarked", &f.Bookmarked)
		buf = appendFlag(buf, "pinned", f.Pinned)
		buf = append(buf, `,"filtered":`...)
		var filtered []any
		if len(marks) > 0 {
			filtered = marks[v.Status.ID]
		}
		if len(filtered) == 0 {
			buf = append(buf, "[]"...)
		} else {
			buf = append(buf, mustJSON(filtered)...)
		}
	}
	return append(buf, '}')
}

func appendFlag(buf []byte, name string, v *bool) []byte {
	if v == nil {
		return buf
	}
	buf = append(buf, ',', '"')
	buf = append(buf, name...)
	buf = append(buf, '"', ':')
	return strconv.AppendBool(buf, *v)
}

// statusList is a rendered list of statuses: the JSON array, ready to be
// written as it is (see rawJSON).
type statusList []byte

func (l statusList) MarshalJSON() ([]byte, error) { return l, nil }
func (l statusList) rawJSON() []byte              { return l }

// statuses renders a list.
func (a *API) statuses(views []*service.StatusView, signedIn bool) statusList {
	return a.markedStatuses(views, signedIn, nil)
}

// markedStatuses renders a list with the viewer's filter results.
func (a *API) markedStatuses(views []*service.StatusView, signedIn bool, marks filterMarks) statusList {
	buf := make([]byte, 0, 2048*len(views)+2)
	buf = append(buf, '[')
	for i, v := range views {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = a.appendStatus(buf, v, signedIn, marks)
	}
	return append(buf, ']')
}

// mustJSON encodes a value that cannot fail to encode (entities of plain
// fields), without escaping HTML, as httpx.WriteJSON does.
func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("mastodon: encode entity: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
