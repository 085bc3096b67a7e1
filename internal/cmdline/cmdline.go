// Package cmdline holds what the two binaries' command lines share: how an
// error becomes a one-line message and an exit status, and the errors that
// choose the status. Exit codes are a contract scripts rely on
// (docs/CLI.md): 0 done, 1 refused input, 2 bad arguments.
package cmdline

import (
	"errors"
	"fmt"
	"io"

	"github.com/sportello/sportello/app"
)

// Exit statuses of both binaries.
const (
	ExitRefused = 1 // the input was refused, or the work failed
	ExitUsage   = 2 // the command line itself is wrong
)

// UsageError is a mistake in the command line: exit status 2.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, args ...any) error { return UsageError{fmt.Sprintf(format, args...)} }

// SilentError ends a command with a status whose reason was already
// printed (an invalid codice fiscale under `cf`, a NON VALIDO verification).
type SilentError struct{ Code int }

func (e SilentError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// Message is the one line a user reads for err: the usage text, the
// domain's Italian message, or for an internal error its whole chain (the
// operator of a command line is the one who can act on it).
func Message(err error) string {
	var ue UsageError
	if errors.As(err, &ue) {
		return ue.Msg
	}
	if app.ErrorCode(err) == app.EINTERNAL {
		return err.Error()
	}
	return app.ErrorMessage(err)
}

// ExitCode is the exit status for err; 0 for nil.
func ExitCode(err error) int {
	var ue UsageError
	var se SilentError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &se):
		return se.Code
	}
	return ExitRefused
}

// Report prints err's message on stderr, prefixed by the program's name,
// unless it is silent, and returns the exit status to end with.
func Report(stderr io.Writer, program string, err error) int {
	if err == nil {
		return 0
	}
	var se SilentError
	if !errors.As(err, &se) {
		fmt.Fprintln(stderr, program+":", Message(err))
	}
	return ExitCode(err)
}
