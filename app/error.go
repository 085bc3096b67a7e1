package app

import (
	"errors"
	"fmt"
)

// Error codes the user can act on. They map to HTTP statuses once on the hub
// (hub/errors.go) and back once in the sync client; the UI shows only the
// message of an *Error, never a chain of Go errors.
const (
	ECONFLICT     = "conflict"     // the operation expected another version of the data
	EFORBIDDEN    = "forbidden"    // the operator or device may not do this
	EINTERNAL     = "internal"     // a fault of ours; the message is generic
	EINVALID      = "invalid"      // the input is wrong; the message says how
	ELOCKED       = "locked"       // too many failed attempts: wait
	ENOTFOUND     = "not_found"    // no such citizen, device, code…
	EOFFLINE      = "offline"      // this needs the hub and the hub cannot be reached
	EPENDING      = "pending"      // not yet: the hub waits for something else first (numbering after a restore); retry later, not a failure
	ERESNAPSHOT   = "resnapshot"   // the hub can no longer serve changes after this cursor
	ESTORAGE      = "storage"      // the local database is damaged, or its disk is full or failing
	ETOOMANY      = "too_many"     // too many requests in a short time: slow down
	EUNAUTHORIZED = "unauthorized" // wrong credentials, unknown or revoked device
)

// Error is an error the user can act on: a code from the list above and a
// message in Italian, written for the person at the counter.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for any other error: internal details never reach the UI.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "Errore interno: riprovare o rivolgersi all'assistenza."
}
