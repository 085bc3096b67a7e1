package request_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sportello/sportello/app/request"
)

// FuzzValidateForm feeds a form arbitrary text in one field of a service
// over a valid form. The check never panics, refuses with a *FormError, and
// what it accepts is a fixed point: validating the normalised form again
// gives it back unchanged (the hub, checking what the counter normalised,
// agrees with the counter).
func FuzzValidateForm(f *testing.F) {
	cat := request.DefaultCatalogue()
	f.Add(uint8(0), "figlio", childCF)
	f.Add(uint8(1), "giorni", "lun,,mar, ven")
	f.Add(uint8(2), "isee", "12,50")
	f.Add(uint8(3), "iban", "IT60 X054 2811 1010 0000 0123 456")
	f.Add(uint8(4), "partita_iva", "IT00743110157")
	f.Add(uint8(5), "data_contratto", "29/02/2024")
	f.Add(uint8(6), "email", "a@b.it")
	f.Add(uint8(7), "cellulare", "0039 333 123 4567")
	f.Fuzz(func(t *testing.T, pick uint8, field, value string) {
		s := &cat[int(pick)%len(cat)]
		v := canteen()
		for k := range v {
			if _, ok := s.Field(k); !ok {
				delete(v, k)
			}
		}
		v[field] = value
		got, err := s.ValidateForm(v, nil, family)
		if err != nil {
			if _, ok := err.(*request.FormError); !ok {
				t.Fatalf("%s: error of type %T: %v", s.ID, err, err)
			}
			return
		}
		again, err := s.ValidateForm(got, nil, family)
		if err != nil {
			t.Fatalf("%s: the normalised form %v is refused: %v", s.ID, got, err)
		}
		for k, x := range got {
			if again[k] != x || !utf8.ValidString(x) {
				t.Fatalf("%s.%s: %q normalises to %q", s.ID, k, x, again[k])
			}
		}
	})
}

// FuzzIBAN checks that whatever NormalizeIBAN accepts is a canonical IBAN
// that passes again unchanged, and that changing one digit of it makes it
// fail (mod 97 catches every single-digit error).
func FuzzIBAN(f *testing.F) {
	for _, s := range []string{"IT60X0542811101000000123456", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "XX00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := request.NormalizeIBAN(in)
		if err != nil {
			return
		}
		if again, err := request.NormalizeIBAN(got); err != nil || again != got || strings.ContainsAny(got, " \t") {
			t.Fatalf("%q -> %q -> %q, %v", in, got, again, err)
		}
		for i := 4; i < len(got); i++ {
			if c := got[i]; c >= '0' && c <= '9' {
				bad := got[:i] + string('0'+(c-'0'+1)%10) + got[i+1:]
				if _, err := request.NormalizeIBAN(bad); err == nil {
					t.Fatalf("%q passes with digit %d changed: %q", got, i, bad)
				}
				break
			}
		}
	})
}

// FuzzPartitaIVA checks the same of partite IVA: canonical, stable, and
// one changed digit is caught by the check digit.
func FuzzPartitaIVA(f *testing.F) {
	for _, s := range []string{"00488410010", "IT 00743110157", "01234567890", "", "00000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := request.NormalizePartitaIVA(in)
		if err != nil {
			return
		}
		if again, err := request.NormalizePartitaIVA(got); err != nil || again != got || len(got) != 11 {
			t.Fatalf("%q -> %q -> %q, %v", in, got, again, err)
		}
		for i := 7; i < 10; i++ { // past the company's number, which must not be all zero
			bad := got[:i] + string('0'+(got[i]-'0'+1)%10) + got[i+1:]
			if _, err := request.NormalizePartitaIVA(bad); err == nil {
				t.Fatalf("%q passes with digit %d changed: %q", got, i, bad)
			}
		}
	})
}
