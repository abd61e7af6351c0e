package httpx

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"weft/internal/model"
)

// An error after the client left is logged at debug as a closed request
// and recorded as 499; the same error while the client waits is a 500
// logged as an error.
func TestWriteErrorOfAClientThatLeft(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/timelines/home", nil).WithContext(ctx)
	rec := &StatusRecorder{ResponseWriter: httptest.NewRecorder()}
	WriteError(rec, r, log, errors.New("interrupted (9)")) // SQLite's answer to a cancelled query
	if rec.Status != StatusClientClosed || !strings.Contains(logs.String(), "level=DEBUG msg=\"client closed request\"") {
		t.Fatalf("client gone: status %d, log %q", rec.Status, logs.String())
	}

	logs.Reset()
	r = httptest.NewRequest("GET", "/api/v1/timelines/home", nil)
	w := httptest.NewRecorder()
	WriteError(w, r, log, context.Canceled) // cancelled by something else than the client
	if w.Code != http.StatusInternalServerError || !strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("client waiting: status %d, log %q", w.Code, logs.String())
	}

	// A refusal is its 4xx, and no one's concern in the log.
	logs.Reset()
	rec = &StatusRecorder{ResponseWriter: httptest.NewRecorder()}
	WriteError(rec, httptest.NewRequest("GET", "/", nil), log, model.Invalid("status", "can't be blank"))
	if rec.Status != http.StatusUnprocessableEntity || logs.Len() != 0 {
		t.Fatalf("refusal: %d %q", rec.Status, logs.String())
	}
}
