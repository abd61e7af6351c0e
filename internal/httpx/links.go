package httpx

import (
	"net/http"
	"net/url"
	"strconv"
)

// SetLink writes Mastodon's pagination Link header: rel="next" for older
// items (max_id), rel="prev" for newer ones (min_id). URLs are built from
// the configured base URL, never from the request's Host. No header when
// the page is empty.
func SetLink(w http.ResponseWriter, r *http.Request, baseURL string, nextMaxID, prevMinID int64) {
	if nextMaxID == 0 && prevMinID == 0 {
		return
	}
	link := func(param string, id int64) string {
		q := url.Values{}
		for k, vs := range r.URL.Query() {
			switch k {
			case "max_id", "min_id", "since_id", "access_token":
				continue
			}
			q[k] = vs
		}
		q.Set(param, strconv.FormatInt(id, 10))
		return baseURL + r.URL.Path + "?" + q.Encode()
	}
	var v string
	if nextMaxID != 0 {
		v = "<" + link("max_id", nextMaxID) + `>; rel="next"`
	}
	if prevMinID != 0 {
		if v != "" {
			v += ", "
		}
		v += "<" + link("min_id", prevMinID) + `>; rel="prev"`
	}
	w.Header().Set("Link", v)
}
