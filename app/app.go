// Package app is Sportello's domain: the citizens, families, operators and
// devices of a network of comuni, the rules about them, and the interfaces
// the adapters (SQLite store, sync client, hub, PDF printer, Fyne UI)
// implement. It imports only the standard library.
package app

import "time"

// DateLayout is the layout of every calendar date that crosses a boundary
// (CSV, JSON, CLI): ISO 8601, as ANPR publishes its tables.
const DateLayout = "2006-01-02"

// Date is a calendar date at UTC midnight; the zero Date means "none".
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ParseDate parses an ISO date; "" gives the zero time.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "data non valida %q: usare AAAA-MM-GG", s)
	}
	return t, nil
}

// FormatDate formats a date as ISO, the zero time as "".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// FormatInstant writes an instant as the data of records and facts carry
// it: RFC 3339 in UTC, "" for the zero time.
func FormatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// ParseInstant reads what FormatInstant writes ("" is the zero time);
// EINVALID for anything else.
func ParseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "ora non valida %q", s)
	}
	return t, nil
}
