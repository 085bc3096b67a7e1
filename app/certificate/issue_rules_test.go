package certificate_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
)

// request issues number seq at now with a bollo b.
func request(tb testing.TB, seq int64, b certificate.Bollo) certificate.Request {
	tb.Helper()
	n, err := certificate.NewNumber("I690-W001", 2026, seq)
	if err != nil {
		tb.Fatal(err)
	}
	return certificate.Request{Number: n, Use: "uso privato", Bollo: b, IssuedAt: now, Operator: "mrossi"}
}

// TestBolloOfBirthAndCitizenship: the anagrafico di nascita and the
// certificato di cittadinanza are ANPR anagrafe certificates, in bollo
// unless an exemption of ANPR's table is declared (issue 14).
func TestBolloOfBirthAndCitizenship(t *testing.T) {
	for _, slug := range []string{certificate.SlugNascita, certificate.SlugCittadinanza} {
		typ := mustType(t, slug)
		t.Run(slug, func(t *testing.T) {
			t.Run("ErrWithoutMarcaOrExemption", func(t *testing.T) {
				_, err := certificate.New(typ, file(t, person(t)), refs, request(t, 1, certificate.Bollo{}))
				if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "marca da bollo") {
					t.Errorf("got %v, want EINVALID asking for the marca", err)
				}
			})
			t.Run("ErrStatoCivileReference", func(t *testing.T) {
				_, err := certificate.New(typ, file(t, person(t)), refs, request(t, 1, certificate.Bollo{ExemptionText: certificate.StatoCivileExemption}))
				if app.ErrorCode(err) != app.EINVALID {
					t.Errorf("got %v, want EINVALID", err)
				}
			})
			t.Run("WithMarca", func(t *testing.T) {
				c, err := certificate.New(typ, file(t, person(t)), refs, request(t, 1, certificate.Bollo{Marca: marca}))
				if err != nil {
					t.Fatal(err)
				}
				s := c.CertifiedText()
				if !strings.Contains(s, "Imposta di bollo: assolta con marca da bollo n. "+marca+" di € 16,00") || strings.Contains(s, "stato civile") {
					t.Errorf("text:\n%s", s)
				}
				if b, d := certificate.Fees(typ, c.Bollo, certificate.DefaultFees); b != 1600 || d != 52 {
					t.Errorf("bollo %d diritti %d, want 1600 and 52 (L. 604/1962, in bollo)", b, d)
				}
			})
			t.Run("WithExemption", func(t *testing.T) {
				c, err := certificate.New(typ, file(t, person(t)), refs, request(t, 1, certificate.Bollo{ExemptionID: 9}))
				if err != nil {
					t.Fatal(err)
				}
				if s := c.CertifiedText(); !strings.Contains(s, "Esente da imposta di bollo: PENSIONE ESTERA - art. 9, tabella allegato B)  DPR 642/1972") {
					t.Errorf("the exemption's legal reference is not printed:\n%s", s)
				}
				if b, d := certificate.Fees(typ, c.Bollo, certificate.DefaultFees); b != 0 || d != 26 {
					t.Errorf("bollo %d diritti %d, want 0 and 26 (L. 604/1962, carta libera)", b, d)
				}
			})
		})
	}
	t.Run("IssuedBeforeAsStatoCivile", func(t *testing.T) {
		// A birth certificate issued before, without marca, stays a valid
		// record: it reprints and its stamp verifies.
		typ := mustType(t, certificate.SlugNascita)
		c, err := certificate.New(typ, file(t, person(t)), refs, request(t, 1, certificate.Bollo{Marca: marca}))
		if err != nil {
			t.Fatal(err)
		}
		c.Bollo = certificate.Bollo{ExemptionText: certificate.StatoCivileExemption}
		if err := c.Validate(); err != nil {
			t.Errorf("stored certificate: %v", err)
		}
		if _, err := certificate.Verify(network.sign(t, c.Facts()), network.rootPub, noRevocations, now); err != nil {
			t.Errorf("its stamp: %v", err)
		}
		r := issue(t, mustType(t, certificate.SlugResidenza), file(t, person(t)), 2)
		r.Bollo = c.Bollo
		if err := r.Validate(); err == nil {
			t.Error("a residence certificate without marca nor exemption validates")
		}
	})
}

// TestIssueControls: New runs ANPR's controls with the bollo settled, and
// honours the officer's forcings.
func TestIssueControls(t *testing.T) {
	cittadinanza := mustType(t, certificate.SlugCittadinanza)
	foreigner := func(tb testing.TB) *app.CitizenFile {
		f := file(tb, person(tb, func(c *app.Citizen) { c.Citizenship = "CHE" }))
		f.CitizenshipName = "SVIZZERA"
		return f
	}
	t.Run("ErrForeignerNotForced", func(t *testing.T) {
		_, err := certificate.New(cittadinanza, foreigner(t), refs, request(t, 1, certificate.Bollo{Marca: marca}))
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "forzabile con un motivo: non-cittadino-italiano") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ForcedPrintsWhatApplies", func(t *testing.T) {
		r := request(t, 1, certificate.Bollo{Marca: marca})
		r.Force = []certificate.Forcing{{Control: certificate.CtlNonItaliano, Reason: "pratica di doppia cittadinanza del consolato"}}
		c, err := certificate.New(cittadinanza, foreigner(t), refs, r)
		if err != nil {
			t.Fatal(err)
		}
		s := c.CertifiedText()
		for _, want := range []string{"Cittadinanza: SVIZZERA", "Rilasciato in deroga al controllo ANPR: cittadinanza non italiana"} {
			if !strings.Contains(s, want) {
				t.Errorf("text lacks %q:\n%s", want, s)
			}
		}
		if strings.Contains(s, "ITALIANA") || strings.Contains(s, "consolato") {
			t.Errorf("the text says the person is Italian, or prints the reason:\n%s", s)
		}
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
		c.Forced = []certificate.Forcing{{Control: certificate.CtlNonCertificabile, Reason: "x"}}
		if err := c.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("a stored certificate forcing a blocking control validates: %v", err)
		}
	})
	t.Run("ErrImmigrationNotExempt", func(t *testing.T) {
		r := request(t, 1, certificate.Bollo{Marca: marca})
		r.Destination = certificate.DestinationImmigration
		_, err := certificate.New(mustType(t, certificate.SlugResidenza), file(t, person(t)), refs, r)
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "immigrazione") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("CourtExemptPrintsItsNotice", func(t *testing.T) {
		r := request(t, 1, certificate.Bollo{ExemptionID: 3})
		r.Destination = certificate.DestinationCourt
		c, err := certificate.New(mustType(t, certificate.SlugResidenza), file(t, person(t)), refs, r)
		if err != nil {
			t.Fatal(err)
		}
		if c.Notice() != certificate.DestinationCourt.Text() || strings.Contains(c.CertifiedText(), certificate.Notice) {
			t.Errorf("notice %q", c.Notice())
		}
		c.Abroad = true
		if err := c.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("abroad and for court: %v", err)
		}
	})
	t.Run("PARequest", func(t *testing.T) {
		residenza := mustType(t, certificate.SlugResidenza)
		r := request(t, 1, certificate.Bollo{ExemptionID: 10}) // scambio di atti fra PP.AA.
		if _, err := certificate.New(residenza, file(t, person(t)), refs, r); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "estremi") {
			t.Fatalf("got %v, want the PA's reference asked", err)
		}
		r.PARequest = "INPS sede di Milano, prot. 2026/12345 del 20/11/2026"
		c, err := certificate.New(residenza, file(t, person(t)), refs, r)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.CertifiedText(), "Richiesta della pubblica amministrazione: "+r.PARequest) {
			t.Errorf("text:\n%s", c.CertifiedText())
		}
	})
	t.Run("ExemptionOfTheHubTables", func(t *testing.T) {
		// An exemption the hub's tables add, waiving the diritti too, is
		// judged by those tables, not the built-in ones.
		tables := anpr.Defaults()
		tables.BolloExemptions = append(tables.BolloExemptions, anpr.Entry{ID: 11, Description: "NUOVA ESENZIONE - art. 1 L. 1/2030", Flag: true})
		c, err := certificate.New(mustType(t, certificate.SlugResidenza), file(t, person(t)), anpr.NewIndex(tables), request(t, 1, certificate.Bollo{ExemptionID: 11}))
		if err != nil || !c.Bollo.DirittiExempt {
			t.Fatalf("got %+v, %v", c, err)
		}
	})
	t.Run("ErrDirittiZero", func(t *testing.T) {
		r := request(t, 1, certificate.Bollo{Marca: marca})
		r.Fees = &certificate.ComuneFees{}
		_, err := certificate.New(mustType(t, certificate.SlugResidenza), file(t, person(t)), refs, r)
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "diritti di segreteria dovuti") {
			t.Errorf("got %v", err)
		}
	})
}

// serviceStore is an honest fake of the workstation's store: it runs
// build as the store does and records the audit trail.
type serviceStore struct {
	issued []*certificate.Issued
	audit  []string
}

func (s *serviceStore) IssueCertificate(_ context.Context, _ int, operator string, build func(seq int64) (*certificate.Issued, error)) error {
	is, err := build(int64(len(s.issued) + 1))
	if err != nil {
		return err
	}
	s.issued = append(s.issued, is)
	s.audit = append(s.audit, certificate.AuditIssue+" "+operator+" "+is.Certificate.Person.CodiceFiscale)
	return nil
}
func (s *serviceStore) Certificate(context.Context, string) (*certificate.Issued, error) {
	return nil, app.Errorf(app.ENOTFOUND, "no")
}
func (s *serviceStore) Certificates(context.Context, string) ([]certificate.Issued, error) {
	return nil, nil
}
func (s *serviceStore) Flagged(context.Context) ([]certificate.Issued, error) { return nil, nil }
func (s *serviceStore) AppendAudit(_ context.Context, operator, action, subject string, _ time.Time) error {
	s.audit = append(s.audit, action+" "+operator+" "+subject)
	return nil
}

// TestServiceForcing: the counter's service refuses a forceable control
// without a forcing, and audits the forcing it issues with.
func TestServiceForcing(t *testing.T) {
	st := &serviceStore{}
	svc := &certificate.Service{
		Store: st,
		Profile: func(context.Context) (*app.Profile, error) {
			return &app.Profile{Device: "I690-W001", Comune: "I690", HubURL: hubBase, PrivateKey: network.devKey,
				DeviceCert: network.devCert, ComuneCert: network.comCert}, nil
		},
		Index: func(context.Context) (*anpr.Index, error) { return refs, nil },
		Render: func(*certificate.Certificate, string, certificate.ComuneFees) ([]byte, error) {
			return []byte("%PDF"), nil
		},
		Now: func() time.Time { return now },
	}
	op := &app.Operator{Username: "mrossi"}
	f := file(t, person(t, func(c *app.Citizen) { c.OpenProcedure = true }))
	r := certificate.IssueRequest{Type: certificate.SlugResidenza, Marca: marca}
	if _, _, err := svc.Issue(context.Background(), op, f, r); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "procedimento") {
		t.Fatalf("got %v", err)
	}
	if len(st.issued) != 0 {
		t.Fatal("a refused certificate took a number")
	}
	r.Force = []certificate.Forcing{{Control: certificate.CtlProcedimentoAperto, Reason: "cambio di via d'ufficio, residenza invariata"}}
	is, _, err := svc.Issue(context.Background(), op, f, r)
	if err != nil {
		t.Fatal(err)
	}
	want := certificate.AuditForce + " mrossi " + f.Citizen.CodiceFiscale + " " + is.Certificate.Number.String() + " procedimento-aperto: cambio di via d'ufficio, residenza invariata"
	if len(st.audit) != 2 || st.audit[1] != want {
		t.Errorf("audit %q, want the issue then %q", st.audit, want)
	}
	if !strings.Contains(is.Certificate.CertifiedText(), "Rilasciato in deroga al controllo ANPR: procedimento amministrativo in corso") {
		t.Errorf("text:\n%s", is.Certificate.CertifiedText())
	}
}
