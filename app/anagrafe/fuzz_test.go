package anagrafe_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
)

// FuzzRead feeds Read what a comune's export could contain. Read must never
// panic, must refuse with a *ReadError that names real lines, and a file it
// accepts must come back the same through Write and Read.
func FuzzRead(f *testing.F) {
	f.Add([]byte(sampleFile()))
	f.Add([]byte("\uFEFF" + strings.ReplaceAll(sampleFile(), "\n", "\r\n")))
	f.Add([]byte(header + "\n"))
	f.Add([]byte(withField(4, "civico", "\"45\nscala B\"")))
	f.Add([]byte(withField(2, "relazione_parentela", "2")))
	f.Add([]byte(withField(8, "nome", `"Salvatore`)))
	f.Add([]byte(withField(3, "cognome", `"Bianchi ""detta"" Anna"`)))
	f.Add([]byte(""))
	f.Add([]byte(historyFile()))
	f.Add([]byte(withHistoryLine(30, "RSSMRA70C15F205N,2000-03-01,,I690,Via Giuseppe Garibaldi,12/A,20099")))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := anagrafe.Read(bytes.NewReader(data), "I690")
		if err != nil {
			var re *anagrafe.ReadError
			if !errors.As(err, &re) || len(re.Rows) == 0 || cs != nil {
				t.Fatalf("Read error = %#v with %d people, want a *ReadError and none", err, len(cs))
			}
			for _, r := range re.Rows {
				if r.Line < 1 || r.Message == "" {
					t.Fatalf("problem %+v has no line or no message", r)
				}
			}
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("ErrorCode = %q", app.ErrorCode(err))
			}
			return
		}
		for i := range cs {
			if err := cs[i].Validate(); err != nil {
				t.Fatalf("accepted person %d fails Validate: %v", i, err)
			}
		}
		var buf bytes.Buffer
		if err := anagrafe.Write(&buf, cs); err != nil {
			t.Fatal(err)
		}
		back, err := anagrafe.Read(bytes.NewReader(buf.Bytes()), "I690")
		if err != nil {
			t.Fatalf("written file refused: %v\n%s", err, buf.Bytes())
		}
		if len(cs) == 0 && len(back) == 0 {
			return
		}
		if !reflect.DeepEqual(back, cs) {
			t.Fatalf("round trip changed the people:\n%+v\nwant\n%+v", back, cs)
		}
	})
}
