package anagrafe

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/sportello/sportello/app"
)

// Writer writes an import file one person at a time, so that a comune of a
// million people can be exported (or generated, by package demo) without
// holding it in memory.
type Writer struct {
	w      *csv.Writer
	record []string
	header bool
}

// NewWriter returns a Writer on w. Nothing is written before the first Write
// or Flush.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: csv.NewWriter(w), record: make([]string, len(columns))}
}

// Write writes c as one line, after the header if this is the first. It
// writes what it is given: a file that Read refuses can be written, which is
// how the tests make one. The time of day of the dates is not written.
func (w *Writer) Write(c *app.Citizen) error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	for i, col := range columns {
		w.record[i] = col.get(c)
	}
	if err := w.w.Write(w.record); err != nil {
		return fmt.Errorf("write anagrafe %s: %w", c.CodiceFiscale, err)
	}
	return nil
}

// Flush writes the header if no line was written, then everything buffered.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return fmt.Errorf("write anagrafe: %w", err)
	}
	return nil
}

func (w *Writer) writeHeader() error {
	if w.header {
		return nil
	}
	w.header = true
	for i, col := range columns {
		w.record[i] = col.name
	}
	if err := w.w.Write(w.record); err != nil {
		return fmt.Errorf("write anagrafe header: %w", err)
	}
	return nil
}

// Write writes cs as an import file: the header, then one line per person in
// the order given. When Read accepts the file it gives back the same
// people, apart from Comune and UpdatedAt, which are not in the file.
func Write(w io.Writer, cs []app.Citizen) error {
	aw := NewWriter(w)
	for i := range cs {
		if err := aw.Write(&cs[i]); err != nil {
			return err
		}
	}
	return aw.Flush()
}
