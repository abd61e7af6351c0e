// Package httpx holds what every HTTP door of weft shares: the mapping from
// typed errors to status codes and Mastodon's error JSON, request IDs,
// panic recovery, access logs and request metrics.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"weft/internal/model"
)

// Status maps an error to its HTTP status: the one place where error kinds
// get their HTTP meaning.
func Status(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, model.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, model.ErrGone):
		return http.StatusGone
	case errors.Is(err, model.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, model.ErrThrottled):
		return http.StatusTooManyRequests
	case errors.Is(err, model.ErrUpstream):
		return http.StatusBadGateway
	case errors.Is(err, model.ErrForbidden), errors.Is(err, model.ErrSuspended):
		return http.StatusForbidden
	case errors.Is(err, model.ErrInvalid), errors.Is(err, model.ErrConflict),
		errors.Is(err, model.ErrLimit), errors.Is(err, model.ErrAlready):
		// Mastodon answers validation failures, taken names and limits with 422.
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// StatusClientClosed is what weft records for a request whose client went
// away before the answer was ready: Nginx's 499 ("client closed request").
// It is never seen by the client; it keeps these out of the server errors
// in logs and metrics (weft_http_requests_total{code="499"}).
const StatusClientClosed = 499

// ClientGone tells whether err is only the consequence of the client
// leaving: the request's context was cancelled (the connection closed, an
// HTTP/2 stream reset) and the work stopped because of it. Any error that
// follows a cancelled request counts, since the database drivers do not all
// wrap context.Canceled (SQLite answers "interrupted").
func ClientGone(r *http.Request, err error) bool {
	return err != nil && errors.Is(r.Context().Err(), context.Canceled)
}

// ErrorBody is Mastodon's error entity.
type ErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// WriteError answers with Mastodon's error JSON. Internal errors are logged
// with the request ID and shown to the client only as a generic message.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if ClientGone(r, err) {
		LogClientGone(w, r, log, err)
		return
	}
	status := Status(err)
	msg := model.Message(err)
	if status == http.StatusInternalServerError {
		log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", RequestID(r.Context()),
			"method", r.Method, "path", r.URL.Path)
		msg = "Internal server error"
	}
	SetRetryAfter(w, err)
	WriteJSON(w, status, ErrorBody{Error: msg})
}

// LogClientGone records a request abandoned by its client: logged at debug
// (it is not the server's fault and needs no one's attention) and counted
// with status 499. Nothing is written to the client beyond the status: it
// is gone.
func LogClientGone(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	log.DebugContext(r.Context(), "client closed request", "err", err, "request_id", RequestID(r.Context()),
		"method", r.Method, "path", r.URL.Path)
	w.WriteHeader(StatusClientClosed)
}

// WriteRawJSON writes b, which is already JSON, as WriteJSON would.
func WriteRawJSON(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	// WriteJSON's encoder ends with a newline; so does this, so both give
	// the same bytes.
	if _, err := w.Write(b); err == nil {
		_, _ = w.Write([]byte{'\n'})
	}
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away: nothing left to tell it
}

// SetRetryAfter sets Retry-After (whole seconds, at least 1) when err is a
// *model.Throttle.
func SetRetryAfter(w http.ResponseWriter, err error) {
	var th *model.Throttle
	if errors.As(err, &th) {
		w.Header().Set("Retry-After", strconv.Itoa(max(int(th.After.Round(time.Second).Seconds()), 1)))
	}
}
