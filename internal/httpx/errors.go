// Package httpx holds what every HTTP door of weft shares: the mapping from
// typed errors to status codes and Mastodon's error JSON, request IDs,
// panic recovery, access logs and request metrics.
package httpx

import (
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

// ErrorBody is Mastodon's error entity.
type ErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// WriteError answers with Mastodon's error JSON. Internal errors are logged
// with the request ID and shown to the client only as a generic message.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
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

// WriteJSON writes v as JSON with the given status.
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
