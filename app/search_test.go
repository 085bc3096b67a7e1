package app_test

import (
	"reflect"
	"testing"

	"github.com/sportello/sportello/app"
)

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{
		"D'Angelo":      "DANGELO",
		"de luca":       "DELUCA",
		"Nicolò":        "NICOLO",
		"ŞTEFĂNESCU":    "STEFANESCU",
		"Müller-Lüdens": "MULLERLUDENS",
		"  ":            "",
		"Łukasz":        "LUKASZ",
	} {
		if got := app.NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	t.Run("CodiceFiscale", func(t *testing.T) {
		q, err := app.ParseQuery(" rssmra85t10a562s ")
		if err != nil {
			t.Fatal(err)
		}
		if q.CFPrefix != "RSSMRA85T10A562S" {
			t.Errorf("CFPrefix = %q", q.CFPrefix)
		}
	})
	t.Run("CFPrefixOmocodic", func(t *testing.T) {
		q, _ := app.ParseQuery("RSSMRA8RT1")
		if q.CFPrefix != "RSSMRA8RT1" {
			t.Errorf("CFPrefix = %q", q.CFPrefix)
		}
	})
	t.Run("NameIsNotCF", func(t *testing.T) {
		q, _ := app.ParseQuery("De Luca Mario")
		if q.CFPrefix != "" {
			t.Errorf("CFPrefix = %q, want none", q.CFPrefix)
		}
		if !reflect.DeepEqual(q.Tokens, []string{"DE", "LUCA", "MARIO"}) {
			t.Errorf("Tokens = %q", q.Tokens)
		}
	})
	t.Run("ShortWordIsBoth", func(t *testing.T) {
		q, _ := app.ParseQuery("rossi")
		if q.CFPrefix != "ROSSI" || len(q.Tokens) != 1 {
			t.Errorf("got %+v", q)
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := app.ParseQuery("  '' "); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
	t.Run("ErrTooLong", func(t *testing.T) {
		long := make([]byte, 200)
		for i := range long {
			long[i] = 'a'
		}
		if _, err := app.ParseQuery(string(long)); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("err = %v, want EINVALID", err)
		}
	})
}

func TestQuerySplits(t *testing.T) {
	q, _ := app.ParseQuery("de luca mario")
	want := []app.NameSplit{
		{Surname: "DELUCAMARIO", SurnamePrefix: true},
		{Surname: "DELUCA", Given: "MARIO", GivenPrefix: true},
		{Surname: "DE", Given: "LUCAMARIO", GivenPrefix: true},
		{Surname: "LUCAMARIO", SurnamePrefix: true, Given: "DE"},
		{Surname: "MARIO", SurnamePrefix: true, Given: "DELUCA"},
	}
	if got := q.Splits(); !reflect.DeepEqual(got, want) {
		t.Errorf("Splits =\n%+v\nwant\n%+v", got, want)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"RSSMRA85T10A562S", "de luca", "D'Angelo Maria", "", "ß", "x\x00y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := app.ParseQuery(s)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("ParseQuery(%q) error code %q", s, app.ErrorCode(err))
			}
			return
		}
		for _, sp := range q.Splits() {
			if sp.Surname == "" {
				t.Fatalf("empty surname in split of %q", s)
			}
		}
		for _, k := range q.Tokens {
			if k != app.NameKey(k) {
				t.Fatalf("token %q not folded", k)
			}
		}
	})
}
