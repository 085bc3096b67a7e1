package anagrafe

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/sportello/sportello/app"
)

// Writer writes an import file one person at a time, so that a comune of a
// million people can be exported (or generated, by package demo) without
// holding it in memory. Only the lines of the history sections, which follow
// all the people, wait in memory for Flush.
type Writer struct {
	w       *csv.Writer
	record  []string
	header  bool
	history [][][]string // the lines of each of sections
}

// NewWriter returns a Writer on w. Nothing is written before the first Write
// or Flush.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: csv.NewWriter(w), record: make([]string, len(columns)), history: make([][][]string, len(sections))}
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
	for i := range sections {
		w.history[i] = append(w.history[i], sections[i].lines(c)...)
	}
	return nil
}

// Flush writes the header if no line was written, then the sections of the
// history that have lines, then everything buffered. Call it once, at the
// end: the sections follow the last person.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	for i, lines := range w.history {
		if len(lines) == 0 {
			continue
		}
		sec := &sections[i]
		if err := w.w.Write([]string{"[" + sec.name + "]"}); err != nil {
			return fmt.Errorf("write anagrafe section %s: %w", sec.name, err)
		}
		if err := w.w.Write(sec.columns); err != nil {
			return fmt.Errorf("write anagrafe section %s: %w", sec.name, err)
		}
		for _, l := range lines {
			if err := w.w.Write(l); err != nil {
				return fmt.Errorf("write anagrafe section %s: %w", sec.name, err)
			}
		}
		w.history[i] = nil
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
