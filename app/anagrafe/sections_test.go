package anagrafe_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
	"github.com/sportello/sportello/app/cf"
)

// carla is registered in the AIRE: the sample's line 9 in the files with
// history.
func carlaLine() string {
	code, err := cf.Compute(cf.Person{Surname: "Bianchi", Name: "Carla", Sex: "F", BirthDate: app.Date(1980, time.January, 1), BirthPlaceCode: "I690"})
	if err != nil {
		panic(err)
	}
	return code + ",Bianchi,Carla,F,1980-01-01,I690,ITA,1,Via Giuseppe Garibaldi,12/A,20099,I690-F000009,1,aire,1980-01-05,2010-06-01,trasferimento all'estero,2,"
}

func carlaCode() string { return strings.SplitN(carlaLine(), ",", 2)[0] }

// history is the sections of the sample with Carla, from line 10 on.
var history = []string{
	"[unioni]", // 10
	"codice_fiscale,tipo,data,luogo,atto,coniuge_cognome,coniuge_nome,coniuge_codice_fiscale,data_fine,motivo_fine", // 11
	`RSSMRA70C15F205N,matrimonio,1996-05-18,I690,"atto n. 12, parte I",Bianchi,Anna,BNCNNA72H50H501J,,`,             // 12
	"BNCNNA72H50H501J,matrimonio,1996-05-18,I690,,Rossi,Mario,rssmra70c15f205n,,",                                   // 13
	"DNGNCL28S02A562O,matrimonio,1955-04-16,A562,,Neri,Teresa,,1999-12-01,decesso",                                  // 14
	"[convivenze]", // 15
	"codice_fiscale,convivente_cognome,convivente_nome,convivente_codice_fiscale,data_inizio,contratto_data,contratto_professionista,contratto_estremi,contratto_data_registrazione,data_fine,motivo_fine", // 16
	"STFNIO90D44Z129X,Popescu,Andrei,,2019-03-01,2019-04-02,Notaio Carla Verdi di Milano,rep. 1234,2019-04-20,,",                                                                                           // 17
	"[decessi]",                        // 18
	"codice_fiscale,data,luogo",        // 19
	"SPSSVT40B29F839K,2020-02-01,F205", // 20
	"[aire]",                           // 21
	"codice_fiscale,data_iscrizione,stato,localita,indirizzo,consolato",                   // 22
	"CARLA,2010-06-01,Z133,Zurigo,Bahnhofstrasse 12,Consolato Generale d'Italia a Zurigo", // 23
	"[cittadinanze]", // 24
	"codice_fiscale,cittadinanza,dal,al,modo_acquisto", // 25
	"STFNIO90D44Z129X,ROU,1990-04-04,,per nascita",     // 26
	"[residenze]", // 27
	"codice_fiscale,dal,al,comune,indirizzo,civico,cap",                   // 28
	"RSSMRA70C15F205N,1995-06-01,2001-03-01,I690,Via Roma,3,20099",        // 29
	"RSSMRA70C15F205N,2001-03-01,,I690,Via Giuseppe Garibaldi,12/A,20099", // 30
}

// historyLines are the lines of the file with history: the sample, Carla,
// the sections.
func historyLines() []string {
	lines := append(append([]string(nil), sample...), carlaLine())
	for _, l := range history {
		lines = append(lines, strings.ReplaceAll(l, "CARLA", carlaCode()))
	}
	return lines
}

func historyFile() string { return strings.Join(historyLines(), "\n") + "\n" }

// withHistoryLine returns the file with history with line n (1-based)
// replaced by s; "" leaves the line out.
func withHistoryLine(n int, s string) string {
	lines := historyLines()
	lines[n-1] = s
	return strings.Join(lines, "\n") + "\n"
}

func TestReadSections(t *testing.T) {
	cs, err := anagrafe.Read(strings.NewReader(historyFile()), "I690")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]app.Citizen{}
	for _, c := range cs {
		by[c.CodiceFiscale] = c
	}
	mario := by["RSSMRA70C15F205N"]
	wantUnion := app.Union{Kind: app.UnionMarriage, Date: app.Date(1996, time.May, 18), PlaceCode: "I690", Act: "atto n. 12, parte I",
		PartnerSurname: "Bianchi", PartnerGivenName: "Anna", PartnerCodiceFiscale: "BNCNNA72H50H501J"}
	if !reflect.DeepEqual(mario.Unions, []app.Union{wantUnion}) {
		t.Errorf("Mario's marriage read as %+v", mario.Unions)
	}
	if got := by["BNCNNA72H50H501J"].Unions; len(got) != 1 || got[0].PartnerCodiceFiscale != "RSSMRA70C15F205N" {
		t.Errorf("Anna's marriage read as %+v (the spouse's code upper case)", got)
	}
	if got := by["DNGNCL28S02A562O"].Unions; len(got) != 1 || got[0].EndReason != app.UnionEndDeath || !got[0].EndDate.Equal(app.Date(1999, time.December, 1)) {
		t.Errorf("the widower's marriage read as %+v", got)
	}
	if got := by["STFNIO90D44Z129X"]; len(got.Cohabitations) != 1 || got.Cohabitations[0].ContractProfessional != "Notaio Carla Verdi di Milano" ||
		!got.Cohabitations[0].ContractRegisteredOn.Equal(app.Date(2019, time.April, 20)) || len(got.Citizenships) != 1 || got.Citizenships[0].Citizenship != "ROU" {
		t.Errorf("Ioana's convivenza and citizenship read as %+v %+v", got.Cohabitations, got.Citizenships)
	}
	if got := by["SPSSVT40B29F839K"].Death; got == nil || *got != (app.Death{Date: app.Date(2020, time.February, 1), PlaceCode: "F205"}) {
		t.Errorf("death read as %+v", got)
	}
	if got := by[carlaCode()].AIRE; got == nil || got.Consulate != "Consolato Generale d'Italia a Zurigo" || got.CountryCode != "Z133" {
		t.Errorf("AIRE read as %+v", got)
	}
	if got := mario.Residences; len(got) != 2 || got[0].Address.Street != "Via Roma" || !got[1].To.IsZero() {
		t.Errorf("Mario's residences read as %+v", got)
	}
	if p, ok := mario.ResidenceOn(app.Date(2000, time.January, 1)); !ok || p.Address.Street != "Via Roma" {
		t.Errorf("Mario on 1 January 2000 lived at %+v", p)
	}
	if by["RSSLCU05A20I690N"].Unions != nil || by["RSSLCU05A20I690N"].Death != nil {
		t.Error("history given to a person without")
	}

	t.Run("RoundTrip", func(t *testing.T) {
		var buf bytes.Buffer
		if err := anagrafe.Write(&buf, cs); err != nil {
			t.Fatal(err)
		}
		back, err := anagrafe.Read(bytes.NewReader(buf.Bytes()), "I690")
		if err != nil {
			t.Fatalf("written file refused: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(back, cs) {
			t.Errorf("round trip changed the history:\n%s", buf.String())
		}
		if d := anagrafe.Compare(cs, back); len(d.Upserts)+len(d.Deletes) != 0 {
			t.Errorf("Compare sees changes in the same file: %+v", d)
		}
	})

	t.Run("SpreadsheetPadding", func(t *testing.T) {
		// A spreadsheet saves every line as wide as the widest.
		lines := historyLines()
		for i := len(sample) + 1; i < len(lines); i++ {
			if n := strings.Count(lines[i], ","); n < 18 {
				lines[i] += strings.Repeat(",", 18-n)
			}
		}
		got, err := anagrafe.Read(strings.NewReader(strings.Join(lines, "\r\n")), "I690")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, cs) {
			t.Error("padded file read differently")
		}
	})

	t.Run("ChangedHistoryIsAChange", func(t *testing.T) {
		changed, err := anagrafe.Read(strings.NewReader(withHistoryLine(20, "SPSSVT40B29F839K,2020-02-02,F205")), "I690")
		if err != nil {
			t.Fatal(err)
		}
		d := anagrafe.Compare(cs, changed)
		if len(d.Upserts) != 1 || d.Upserts[0].CodiceFiscale != "SPSSVT40B29F839K" {
			t.Errorf("a corrected date of death gives %+v", d)
		}
	})
}

func TestReadSectionErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want []anagrafe.RowError // Message is a part of the message
	}{
		{"UnknownPerson", withHistoryLine(20, "RSSLCU05A20I690X,2020-02-01,F205"),
			[]anagrafe.RowError{{Line: 20, Field: "codice_fiscale", Message: "non presente tra le persone"}}},
		{"BadDate", withHistoryLine(12, "RSSMRA70C15F205N,matrimonio,18/05/1996,I690,,Bianchi,Anna,,,"),
			[]anagrafe.RowError{{Line: 12, Field: "data", Message: `data non valida "18/05/1996"`}}},
		{"BadKind", withHistoryLine(13, "BNCNNA72H50H501J,convivenza,1996-05-18,I690,,Rossi,Mario,,,"),
			[]anagrafe.RowError{{Line: 13, Message: "tipo di unione non valido"}}},
		{"UnknownSection", withHistoryLine(18, "[figli]"),
			[]anagrafe.RowError{{Line: 18, Message: "sezione sconosciuta [figli]"}}},
		{"RepeatedSection", withHistoryLine(24, "[decessi]"),
			[]anagrafe.RowError{{Line: 24, Message: "sezione [decessi] ripetuta: è già alla riga 18"}}},
		{"MissingColumn", withHistoryLine(11, "codice_fiscale,tipo,data,atto,coniuge_cognome,coniuge_nome,coniuge_codice_fiscale,data_fine,motivo_fine"),
			[]anagrafe.RowError{{Line: 11, Field: "luogo", Message: `colonna "luogo" mancante nella sezione [unioni]`}}},
		{"TooManyValues", withHistoryLine(20, "SPSSVT40B29F839K,2020-02-01,F205,Milano"),
			[]anagrafe.RowError{{Line: 20, Message: "la riga ha 4 valori"}}},
		{"SecondDeath", withHistoryLine(20, "SPSSVT40B29F839K,2020-02-01,F205\nSPSSVT40B29F839K,2020-02-01,F205"),
			[]anagrafe.RowError{{Line: 21, Message: "già indicato"}}},
		{"DeathOfTheLiving", withHistoryLine(20, "RSSLCU05A20I690N,2020-02-01,F205"),
			[]anagrafe.RowError{{Line: 20, Message: "storico di RSSLCU05A20I690N (riga 4): decesso registrato per una persona in posizione residente"}}},
		{"OverlappingResidences", withHistoryLine(30, "RSSMRA70C15F205N,2000-03-01,,I690,Via Giuseppe Garibaldi,12/A,20099"),
			[]anagrafe.RowError{{Line: 12, Message: "storico di RSSMRA70C15F205N (riga 2): storico di residenza: il periodo dal 2000-03-01 comincia prima"}}},
		{"MarriedWithoutOpenMarriage", withHistoryLine(12, "RSSMRA70C15F205N,matrimonio,1996-05-18,I690,,Bianchi,Anna,,2010-01-01,divorzio"),
			[]anagrafe.RowError{{Line: 12, Message: "lo stato civile (2) non corrisponde ai matrimoni registrati"}}},
		{"RepeatedSectionAtTheEnd", historyFile() + "[decessi]\n",
			[]anagrafe.RowError{{Line: 31, Message: "sezione [decessi] ripetuta"}}},
		{"SectionWithoutHeader", strings.Join(historyLines()[:27], "\n") + "\n",
			[]anagrafe.RowError{{Line: 27, Message: "sezione [residenze] senza riga di intestazione"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := anagrafe.Read(strings.NewReader(tc.file), "I690")
			var re *anagrafe.ReadError
			if !errors.As(err, &re) || cs != nil {
				t.Fatalf("Read = %d people, %v; want none and a *ReadError", len(cs), err)
			}
			if len(re.Rows) != len(tc.want) {
				t.Fatalf("problems %+v, want %+v", re.Rows, tc.want)
			}
			for i, w := range tc.want {
				g := re.Rows[i]
				if g.Line != w.Line || g.Field != w.Field || !strings.Contains(g.Message, w.Message) {
					t.Errorf("problem %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
