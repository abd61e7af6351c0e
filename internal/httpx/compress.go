package httpx

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressTypes are the answers worth compressing: pages, styles, scripts,
// icons and JSON (the API, ActivityPub). Images, video and the event
// streams are not (the first are compressed already; a stream must reach
// the client as each event is written).
var compressTypes = []string{
	"text/html", "text/css", "text/javascript", "text/plain", "image/svg+xml",
	"application/json", "application/activity+json", "application/ld+json", "application/jrd+json",
}

// Compress gzips answers for clients that accept it, with klauspost's
// gzhttp. A page holds a CSRF token beside text a visitor can put in it
// (a search), so the compressed size is padded by a few bytes derived from
// the content, which makes BREACH-style guessing of the token from
// response sizes much harder (it mitigates; it does not rule it out).
// Streaming paths (WebSocket, Server-Sent Events) are left alone.
func Compress(next http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypes(compressTypes), gzhttp.MinSize(1024), gzhttp.RandomJitter(32, 0, false))
	if err != nil {
		return nil, err
	}
	gz := wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v1/streaming") || strings.HasPrefix(r.URL.Path, "/streaming/") {
			next.ServeHTTP(w, r)
			return
		}
		gz.ServeHTTP(w, r)
	}), nil
}
