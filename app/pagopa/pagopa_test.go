package pagopa_test

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// The expected check digits were computed outside this package, as the
// remainder of the whole 16-digit number divided by 93 with arbitrary
// precision integers (SACI: "resto della divisione per 93 del numero
// ottenuto concatenando" aux digit, code and IUV base).
func TestNewAvvisoKnownVectors(t *testing.T) {
	for _, tc := range []struct {
		name string
		aux  int
		code string
		base int64
		want string
		iuv  string
	}{
		{"Aux3Segregation01", 3, "01", 1, "301000000000000144", "01000000000000144"},
		{"Aux3Segregation01Base1234", 3, "01", 1234, "301000000000123468", "01000000000123468"},
		{"Aux3MaxBase", 3, "47", pagopa.MaxIUVBase, "347999999999999962", "47999999999999962"},
		{"Aux0Application12", 0, "12", 17, "012000000000001732", "000000000001732"},
		{"Aux0AllZero", 0, "00", 0, "000000000000000000", "000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := pagopa.NewAvviso(tc.aux, tc.code, tc.base)
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != tc.want {
				t.Fatalf("NewAvviso = %s, want %s", a, tc.want)
			}
			if a.IUV() != tc.iuv || a.Aux() != tc.aux || a.Code() != tc.code {
				t.Fatalf("IUV %s aux %d code %s", a.IUV(), a.Aux(), a.Code())
			}
			back, err := pagopa.ParseAvviso(a.Grouped())
			if err != nil || back != a {
				t.Fatalf("ParseAvviso(%q) = %s, %v", a.Grouped(), back, err)
			}
		})
	}
}

func TestCheckDigitsAux2(t *testing.T) {
	// Aux 2: 2 + 15-digit base; 2123456789012345 mod 93 = 44.
	if got := pagopa.CheckDigits("2123456789012345"); got != "44" {
		t.Fatalf("CheckDigits = %s", got)
	}
	if _, err := pagopa.ParseAvviso("212345678901234544"); err != nil {
		t.Fatal(err)
	}
}

func TestGrouped(t *testing.T) {
	a := pagopa.CodiceAvviso("301000000000123468")
	if g := a.Grouped(); g != "3010 0000 0000 1234 68" {
		t.Fatalf("Grouped = %q", g)
	}
}

func TestParseAvvisoRefuses(t *testing.T) {
	for name, s := range map[string]string{
		"ErrWrongCheckDigits": "301000000000000145",
		"ErrShort":            "30100000000000014",
		"ErrLetters":          "30100000000000014A",
		"ErrAux4":             "401000000000000144",
		"ErrEmpty":            "",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := pagopa.ParseAvviso(s); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("ParseAvviso(%q) = %v, want EINVALID", s, err)
			}
		})
	}
	// Aux 1 has no check digits: any 17 digits after it are a valid IUV.
	if _, err := pagopa.ParseAvviso("112345678901234567"); err != nil {
		t.Fatal(err)
	}
}

func TestNewAvvisoRefuses(t *testing.T) {
	for name, f := range map[string]func() error{
		"ErrAux1":      func() error { _, err := pagopa.NewAvviso(1, "01", 1); return err },
		"ErrCode":      func() error { _, err := pagopa.NewAvviso(3, "1", 1); return err },
		"ErrBaseRange": func() error { _, err := pagopa.NewAvviso(3, "01", pagopa.MaxIUVBase+1); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if err := f(); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestValidCFEnte(t *testing.T) {
	for s, want := range map[string]bool{"02253930156": true, "02253930157": false, "80012345678": false, "0225393015": false} {
		if got := pagopa.ValidCFEnte(s); got != want {
			t.Errorf("ValidCFEnte(%s) = %v", s, got)
		}
	}
}

func TestQRKnownVectors(t *testing.T) {
	q := pagopa.QR{Avviso: "301000000000123468", CFEnte: "02253930156", AmountCents: 2500}
	const want = "PAGOPA|002|301000000000123468|02253930156|0000002500"
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	if s := q.String(); s != want || len(s) != pagopa.QRLength || pagopa.QRLength != 52 {
		t.Fatalf("String = %q (%d), want %q (52: pagoPA's decoder length)", s, len(s), want)
	}
	aux0 := pagopa.QR{Avviso: "012000000000001732", CFEnte: "02253930156", AmountCents: 123456}
	if s := aux0.String(); s != "PAGOPA|002|012000000000001732|02253930156|0000123456" {
		t.Fatalf("aux 0: %q", s)
	}
	for name, in := range map[string]string{
		"Padded":        want,
		"Unpadded":      "PAGOPA|002|301000000000123468|02253930156|2500",
		"ScannerEnter":  want + "\r\n",
		"CapsLock":      "pagopa|002|301000000000123468|02253930156|2500",
		"PartlyPadded":  "PAGOPA|002|301000000000123468|02253930156|002500",
		"SpacesAround ": "  " + want + " ",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := pagopa.ParseQR(in)
			if err != nil {
				t.Fatal(err)
			}
			if got != q {
				t.Fatalf("ParseQR = %+v, want %+v", got, q)
			}
		})
	}
	t.Run("Aux0", func(t *testing.T) {
		got, err := pagopa.ParseQR(aux0.String())
		if err != nil || got != aux0 {
			t.Fatalf("%+v %v", got, err)
		}
	})
}

func TestParseQRRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"ErrNotPagoPA":     "https://example.it",
		"ErrVersion":       "PAGOPA|001|301000000000123468|02253930156|2500",
		"ErrCheckDigits":   "PAGOPA|002|301000000000123469|02253930156|2500",
		"ErrCFEnte":        "PAGOPA|002|301000000000123468|0225393015|2500",
		"ErrAmountLetters": "PAGOPA|002|301000000000123468|02253930156|25,00",
		"ErrAmountZero":    "PAGOPA|002|301000000000123468|02253930156|0",
		"ErrAmountTooLong": "PAGOPA|002|301000000000123468|02253930156|00000000002500",
		"ErrExtraField":    "PAGOPA|002|301000000000123468|02253930156|2500|x",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := pagopa.ParseQR(in); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("ParseQR(%q) = %v", in, err)
			}
		})
	}
}

func TestDataMatrix(t *testing.T) {
	d := pagopa.DataMatrix{Avviso: "301000000000123468", Account: "1017918208", AmountCents: 2500, CFEnte: "02253930156",
		DebtorCF: "RSSMRA80A01F205X", DebtorName: "Rossi Nicolò", Causale: "TARI 2026 - rata unica"}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	s := d.String()
	if len(s) != pagopa.DataMatrixLength {
		t.Fatalf("length %d", len(s))
	}
	// The positions other readers use (the IO app: avviso at 15, amount at
	// 49, ente at 66).
	for _, f := range []struct {
		at   int
		want string
	}{
		{0, "codfase=NBPA;18301000000000123468" + "12" + "001017918208" + "10" + "0000002500" + "3896" + "1P1" + "02253930156" + "RSSMRA80A01F205X"},
		{15, "301000000000123468"},
		{49, "0000002500"},
		{66, "02253930156"},
		{93, "ROSSI NICOLO" + strings.Repeat(" ", 28)},
		{133, "TARI 2026 - rata unica"},
		{243, strings.Repeat(" ", 12) + "A"},
	} {
		if got := s[f.at : f.at+len(f.want)]; got != f.want {
			t.Errorf("at %d: %q, want %q", f.at, got, f.want)
		}
	}
	if d.Codeline() != "18301000000000123468120010179182081000000025003896" {
		t.Errorf("codeline %q", d.Codeline())
	}
	back, err := pagopa.ParseDataMatrix(s + "\n")
	if err != nil {
		t.Fatal(err)
	}
	want := d
	want.Account, want.DebtorName = "001017918208", "ROSSI NICOLO"
	if back != want {
		t.Fatalf("ParseDataMatrix = %+v\nwant %+v", back, want)
	}
	for name, in := range map[string]string{
		"ErrShort":    s[:200],
		"ErrMarker":   s[:63] + "2P2" + s[66:],
		"ErrNotPoste": "PAGOPA|002|301000000000123468|02253930156|2500",
		"ErrCheck":    s[:31] + "69" + s[33:],
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := pagopa.ParseDataMatrix(in); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestBlock(t *testing.T) {
	b := pagopa.Block{Device: "I690-W001", Aux: 3, Code: "01", First: 1000, Last: 1999}
	if err := b.Validate(); err != nil || b.Size() != 1000 {
		t.Fatal(err, b.Size())
	}
	a, err := b.Avviso(1234)
	if err != nil || a != "301000000000123468" {
		t.Fatalf("%s %v", a, err)
	}
	if _, err := b.Avviso(2000); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("outside the block: %v", err)
	}
}

func FuzzParseQR(f *testing.F) {
	f.Add("PAGOPA|002|301000000000123468|02253930156|0000002500")
	f.Add("PAGOPA|002|012000000000001732|02253930156|1")
	f.Fuzz(func(t *testing.T, s string) {
		q, err := pagopa.ParseQR(s)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		// What parses is written back in the canonical form, which parses
		// to the same fields.
		out := q.String()
		if len(out) != pagopa.QRLength {
			t.Fatalf("%q written as %q", s, out)
		}
		again, err := pagopa.ParseQR(out)
		if err != nil || again != q {
			t.Fatalf("round trip of %q: %+v %v", s, again, err)
		}
	})
}

func FuzzParseDataMatrix(f *testing.F) {
	d := pagopa.DataMatrix{Avviso: "301000000000123468", Account: "1017918208", AmountCents: 2500, CFEnte: "02253930156",
		DebtorCF: "RSSMRA80A01F205X", DebtorName: "ROSSI", Causale: "TARI"}
	f.Add(d.String())
	f.Fuzz(func(t *testing.T, s string) {
		d, err := pagopa.ParseDataMatrix(s)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		out := d.String()
		if len(out) != pagopa.DataMatrixLength {
			t.Fatalf("written back with %d characters", len(out))
		}
		again, err := pagopa.ParseDataMatrix(out)
		if err != nil || again.Avviso != d.Avviso || again.AmountCents != d.AmountCents || again.CFEnte != d.CFEnte {
			t.Fatalf("round trip: %+v %v", again, err)
		}
	})
}

func FuzzParseAvviso(f *testing.F) {
	f.Add("3010 0000 0000 1234 68")
	f.Add("012000000000001732")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := pagopa.ParseAvviso(s)
		if err != nil {
			return
		}
		if len(a) != pagopa.AvvisoLength {
			t.Fatalf("%q parsed to %q", s, a)
		}
		if again, err := pagopa.ParseAvviso(a.Grouped()); err != nil || again != a {
			t.Fatalf("grouped round trip: %v", err)
		}
	})
}
