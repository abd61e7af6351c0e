package ap

import (
	"mime"
	"net/url"
)

// isHTTP keeps non-web links (at://, magnet:, wss://) out of fields that
// callers will fetch or render as links.
func isHTTP(u string) bool {
	if u == "" {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

func isHTML(mediaType string) bool {
	mt, _, err := mime.ParseMediaType(mediaType)
	return err == nil && mt == "text/html"
}

// linkOf reads a URL from a string, a Link (href), or an object that has a
// plain url of its own.
func linkOf(e any) (u, mediaType string) {
	switch x := e.(type) {
	case string:
		return x, ""
	case map[string]any:
		mediaType = str(get(x, "mediaType"))
		if h := str(get(x, "href")); h != "" {
			return h, mediaType
		}
		return str(get(x, "url")), mediaType
	}
	return "", ""
}

// pickLink returns the first http(s) URL, or with preferHTML the first one
// marked text/html if any: PeerTube lists the watch page among playlists and
// torrents, and the page is what a post's URL should point to.
func pickLink(v any, preferHTML bool) (u, mediaType string) {
	for _, e := range items(v) {
		cu, cmt := linkOf(e)
		if !isHTTP(cu) {
			continue
		}
		if !preferHTML || isHTML(cmt) {
			return cu, cmt
		}
		if u == "" {
			u, mediaType = cu, cmt
		}
	}
	return u, mediaType
}

// imageURL reads icon/image: a URL string, an Image whose url is a string or
// Link, or an array of those, of which the first usable one wins.
func imageURL(v any) string {
	for _, e := range items(v) {
		switch x := e.(type) {
		case string:
			if isHTTP(x) {
				return x
			}
		case map[string]any:
			if u, _ := pickLink(get(x, "url"), false); u != "" {
				return u
			}
			if u, _ := pickLink(get(x, "href"), false); u != "" {
				return u
			}
		}
	}
	return ""
}

func readTags(v any) []Tag {
	var out []Tag
	for _, e := range items(v) {
		var t Tag
		switch x := e.(type) {
		case string:
			t.Href = x
		case map[string]any:
			t = Tag{
				Type: firstType(x),
				Href: str(get(x, "href")),
				Name: text(get(x, "name")),
				Icon: imageURL(get(x, "icon")),
			}
			if t.Href == "" {
				t.Href = str(get(x, "id"))
			}
		}
		if t != (Tag{}) {
			out = append(out, t)
		}
	}
	return out
}

// readAttachments splits "attachment" into media and profile fields: actors
// put PropertyValue entries in the same property that posts use for media.
func readAttachments(v any) ([]Attachment, []Field) {
	var atts []Attachment
	var fields []Field
	for _, e := range items(v) {
		switch x := e.(type) {
		case string:
			if isHTTP(x) {
				atts = append(atts, Attachment{URL: x})
			}
		case map[string]any:
			typ := firstType(x)
			if typ == "PropertyValue" {
				f := Field{Name: text(get(x, "name")), Value: text(get(x, "value"))}
				if f != (Field{}) {
					fields = append(fields, f)
				}
				continue
			}
			if a := readAttachment(x, typ); a.URL != "" || a.Type != "" || a.Name != "" {
				atts = append(atts, a)
			}
		}
	}
	return atts, fields
}

func readAttachment(x map[string]any, typ string) Attachment {
	a := Attachment{
		Type:      typ,
		MediaType: str(get(x, "mediaType")),
		Name:      text(get(x, "name")),
		Blurhash:  str(get(x, "blurhash")),
		Width:     dim(get(x, "width")),
		Height:    dim(get(x, "height")),
	}
	if a.Name == "" {
		a.Name = text(get(x, "summary"))
	}
	// Lemmy sends a Link with href; everyone else an object with url.
	u, mt := pickLink(get(x, "url"), false)
	if u == "" {
		u, mt = pickLink(get(x, "href"), false)
	}
	a.URL = u
	if a.MediaType == "" {
		a.MediaType = mt
	}
	if fp, ok := get(x, "focalPoint").([]any); ok && len(fp) == 2 {
		fx, okx := floatOf(fp[0])
		fy, oky := floatOf(fp[1])
		// Mastodon defines the focal point on [-1, 1]; anything else would
		// crop outside the image.
		if okx && oky && fx >= -1 && fx <= 1 && fy >= -1 && fy <= 1 {
			a.FocalPoint = [2]float64{fx, fy}
			a.HasFocalPoint = true
		}
	}
	return a
}

// readPublicKey takes the first publicKey entry with a PEM (some servers
// publish an array, some entries of which are other key kinds), or the
// document itself when it is a key document fetched by key ID.
func readPublicKey(o *Object, m map[string]any) *PublicKey {
	for _, e := range items(get(m, "publicKey")) {
		if k, ok := e.(map[string]any); ok {
			if pk := keyOf(k); pk != nil {
				return pk
			}
		}
	}
	if o.Type == "" || o.HasType("Key") || o.HasType("CryptographicKey") {
		return keyOf(m)
	}
	return nil
}

func keyOf(k map[string]any) *PublicKey {
	pem := str(get(k, "publicKeyPem"))
	if pem == "" {
		return nil
	}
	owner := firstIRI(get(k, "owner"))
	if owner == "" {
		owner = firstIRI(get(k, "controller"))
	}
	return &PublicKey{ID: str(get(k, "id")), Owner: owner, PEM: pem}
}
