package httpx_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"weft/internal/httpx"
)

// Pages, scripts and JSON go out gzipped to clients that accept it, with
// Vary: Accept-Encoding; images and event streams never; a client that
// does not ask gets the plain bytes.
func TestCompress(t *testing.T) {
	page := strings.Repeat("<p>a page of words, words and more words</p>\n", 200)
	mux := http.NewServeMux()
	serve := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			io.WriteString(w, body)
		}
	}
	mux.HandleFunc("/", serve("text/html; charset=utf-8", page))
	mux.HandleFunc("/api/v1/timelines/home", serve("application/json", `[`+strings.Repeat(`{"id":"1","content":"x"},`, 100)+`{}]`))
	mux.HandleFunc("/media/a.png", serve("image/png", page))
	mux.HandleFunc("/streaming/home", serve("text/event-stream", page))
	mux.HandleFunc("/api/v1/streaming", serve("application/json", page))
	h, err := httpx.Compress(mux)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, gz bool) *http.Response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	for _, path := range []string{"/", "/api/v1/timelines/home"} {
		res := get(path, true)
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: Content-Encoding %q, Vary %q", path, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, err := io.ReadAll(zr)
		if err != nil || (path == "/" && string(body) != page) {
			t.Fatalf("%s: the page does not survive the round trip (%v)", path, err)
		}
	}
	for _, path := range []string{"/media/a.png", "/streaming/home", "/api/v1/streaming"} {
		if res := get(path, true); res.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s compressed", path)
		}
	}
	if res := get("/", false); res.Header.Get("Content-Encoding") != "" {
		t.Fatal("compressed for a client that did not ask")
	}
}
