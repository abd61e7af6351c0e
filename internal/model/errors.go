// Package model holds weft's domain types and its error kinds. It imports
// nothing internal, so every layer can use it.
package model

import (
	"errors"
	"fmt"
	"time"
)

// Error kinds. Every error the service returns for bad input or a refused
// action wraps exactly one of these, so the HTTP layers map them to a status
// in one place (httpx) instead of scattering codes.
var (
	ErrNotFound     = errors.New("not found")         // 404; also used for things the viewer may not see
	ErrInvalid      = errors.New("validation failed") // 422: the input is malformed or breaks a rule
	ErrForbidden    = errors.New("forbidden")         // 403: the viewer may not do this
	ErrConflict     = errors.New("conflict")          // 409 / 422: taken username, ...
	ErrAlready      = errors.New("already done")      // the relation exists already (block twice, ...)
	ErrUnauthorized = errors.New("not authenticated") // 401: wrong password, no session
	ErrSuspended    = errors.New("account suspended") // 403: a suspended account tries to act
	ErrLimit        = errors.New("limit reached")     // 422: at most 5 pins, ...
	ErrGone         = errors.New("gone")              // 410: deleted or suspended for good (federation)
	ErrThrottled    = errors.New("too many requests") // 429: try again later (a *Throttle says when)
	ErrUpstream     = errors.New("upstream failed")   // 502: another server did not answer as it should
)

// Throttle is a refusal for now: too many attempts, or the server too busy
// with this kind of work; After says when trying again makes sense.
type Throttle struct {
	After time.Duration
	Msg   string
}

func (e *Throttle) Error() string { return e.Msg }

func (e *Throttle) Unwrap() error { return ErrThrottled }

// Error is a refused action with a message fit to show a user. Field names
// the input at fault when there is one ("username", "status").
type Error struct {
	Kind  error
	Field string
	Msg   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Msg
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Kind }

// Errorf builds an *Error of the given kind.
func Errorf(kind error, field, format string, args ...any) error {
	return &Error{Kind: kind, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Invalid is shorthand for an ErrInvalid on one field.
func Invalid(field, format string, args ...any) error {
	return Errorf(ErrInvalid, field, format, args...)
}

// NotFound is shorthand for an ErrNotFound naming what was missing.
func NotFound(what string) error {
	return Errorf(ErrNotFound, "", "%s not found", what)
}

// Message returns the user-facing text of err: the *Error message when there
// is one, otherwise a generic line (internal details stay in the logs).
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	var th *Throttle
	if errors.As(err, &th) {
		return th.Msg
	}
	for _, k := range []error{ErrNotFound, ErrInvalid, ErrForbidden, ErrConflict, ErrAlready, ErrUnauthorized, ErrSuspended, ErrLimit, ErrThrottled, ErrUpstream} {
		if errors.Is(err, k) {
			return k.Error()
		}
	}
	return "internal error"
}
