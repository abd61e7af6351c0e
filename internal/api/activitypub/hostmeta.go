package activitypub

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// hostMeta answers /.well-known/host-meta (RFC 6415): where WebFinger is,
// as XRD, or as JSON to clients that ask for it (Accept: application/json
// or application/jrd+json), as Mastodon does.
func (s *Server) hostMeta(w http.ResponseWriter, r *http.Request) {
	accept := r.Header.Get("Accept")
	if strings.Contains(accept, "json") && !strings.Contains(accept, "xrd+xml") {
		s.hostMetaJSON(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=259200, public")
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">` + "\n")
	b.WriteString(`  <Link rel="lrdd" template="`)
	_ = xml.EscapeText(&b, []byte(s.webfingerTemplate()))
	b.WriteString(`"/>` + "\n</XRD>\n")
	_, _ = w.Write([]byte(b.String()))
}

// hostMetaJSON is host-meta as JRD.
func (s *Server) hostMetaJSON(w http.ResponseWriter, _ *http.Request) {
	s.writeJRD(w, JRD{Links: []JRDLink{{Rel: "lrdd", Template: s.webfingerTemplate()}}})
}

func (s *Server) webfingerTemplate() string {
	return s.cfg.BaseURL + "/.well-known/webfinger?resource={uri}"
}
