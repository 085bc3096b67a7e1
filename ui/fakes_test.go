package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/cf"
)

// The fakes of this package: function-field structs, so that a test
// replaces only the behaviour it is about. The defaults are honest: login
// goes through the domain's app.Login (lockout included) over accounts in
// memory, and the directory answers searches and file openings as
// app.CounterService does, from a small fixed population.

// fakeCounter implements app.Counter.
type fakeCounter struct {
	login    func(ctx context.Context, username, password string) (*app.Operator, error)
	search   func(ctx context.Context, op *app.Operator, text string) (app.SearchResults, error)
	openFile func(ctx context.Context, op *app.Operator, codiceFiscale string) (*app.CitizenFile, error)
	purposes []string // what SetPurpose was told, in order
}

var _ app.Counter = (*fakeCounter)(nil)

func (f *fakeCounter) Login(ctx context.Context, username, password string) (*app.Operator, error) {
	return f.login(ctx, username, password)
}

func (f *fakeCounter) Search(ctx context.Context, op *app.Operator, text string) (app.SearchResults, error) {
	return f.search(ctx, op, text)
}

func (f *fakeCounter) OpenFile(ctx context.Context, op *app.Operator, codiceFiscale string) (*app.CitizenFile, error) {
	return f.openFile(ctx, op, codiceFiscale)
}

func (f *fakeCounter) SetPurpose(op *app.Operator, purpose string) {
	f.purposes = append(f.purposes, purpose)
}

// fakeStatus implements StatusSource; publish calls the subscribers from
// another goroutine, as the sync engine does.
type fakeStatus struct {
	mu   sync.Mutex
	st   app.SyncStatus
	subs map[int]func(app.SyncStatus)
	next int
}

var _ StatusSource = (*fakeStatus)(nil)

func newFakeStatus(st app.SyncStatus) *fakeStatus {
	return &fakeStatus{st: st, subs: map[int]func(app.SyncStatus){}}
}

func (f *fakeStatus) Status() app.SyncStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

func (f *fakeStatus) Subscribe(fn func(app.SyncStatus)) (cancel func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.next
	f.next++
	f.subs[id] = fn
	return func() {
		f.mu.Lock()
		delete(f.subs, id)
		f.mu.Unlock()
	}
}

func (f *fakeStatus) publish(st app.SyncStatus) {
	f.mu.Lock()
	f.st = st
	subs := make([]func(app.SyncStatus), 0, len(f.subs))
	for _, fn := range f.subs {
		subs = append(subs, fn)
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	for _, fn := range subs {
		wg.Add(1)
		go func() { defer wg.Done(); fn(st) }()
	}
	wg.Wait()
}

// memOperators implements app.Operators in memory.
type memOperators struct {
	mu       sync.Mutex
	accounts map[string]*app.Operator
	failures map[string]int
	last     map[string]time.Time
}

func (m *memOperators) Operator(_ context.Context, username string) (*app.Operator, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if op, ok := m.accounts[username]; ok {
		return op, nil
	}
	return nil, app.Errorf(app.ENOTFOUND, "operatore %s sconosciuto", username)
}

func (m *memOperators) LoginFailures(_ context.Context, username string) (int, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.failures[username], m.last[username], nil
}

func (m *memOperators) RecordLogin(_ context.Context, username string, ok bool, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok {
		m.failures[username] = 0
	} else {
		m.failures[username]++
		m.last[username] = at
	}
	return nil
}

// The workstation of the tests is in Sesto San Giovanni; Cinisello Balsamo
// is another comune of the network.
const (
	testComune      = "I690"
	testComuneName  = "Sesto San Giovanni"
	otherComune     = "C707"
	otherComuneName = "Cinisello Balsamo"
	testUser        = "mrossi"
	testUserName    = "Maria Rossi"
	testPassword    = "sportello-2025"
	relationHead    = "Intestatario scheda"
	relationSpouse  = "Marito/Moglie"
	relationChild   = "Figlio/Figlia"
	civilMarried    = "Coniugato/a"
	civilSingle     = "Celibe/Nubile"
	civilWidowed    = "Vedovo/a"
)

// testNow is the counter's clock in the tests: 14 May 2025, 10:30 in Italy.
var (
	rome    = time.FixedZone("CEST", 2*60*60)
	testNow = time.Date(2025, 5, 14, 10, 30, 0, 0, rome)
)

// directory is the population of the fakes: citizens by codice fiscale.
type directory struct {
	citizens []app.Citizen
	places   map[string]string
}

func person(t testing.TB, surname, given, sex string, born time.Time, place, comune, family string, rel int, st app.Status) app.Citizen {
	t.Helper()
	code, err := cf.Compute(cf.Person{Surname: surname, Name: given, Sex: sex, BirthDate: born, BirthPlaceCode: place})
	if err != nil {
		t.Fatalf("codice fiscale of %s %s: %v", surname, given, err)
	}
	c := app.Citizen{
		CodiceFiscale: code, Surname: surname, GivenName: given, Sex: sex, BirthDate: born,
		BirthPlaceCode: place, Citizenship: "ITA", CivilStatus: app.CivilStatusSingle, Comune: comune,
		Address:  app.Address{Street: "Via Giuseppe Garibaldi", HouseNumber: "12/A", Postcode: "20099"},
		FamilyID: family, Relationship: rel, Status: st, RegisteredOn: app.Date(2001, 6, 1),
		Certifiability: app.CertifiableFully,
	}
	if comune == otherComune {
		c.Address = app.Address{Street: "Via Fulvio Testi", HouseNumber: "200", Postcode: "20092"}
	}
	if rel == app.RelationshipHead || rel == app.RelationshipSpouse {
		c.CivilStatus = app.CivilStatusMarried
	}
	return c
}

func newDirectory(t testing.TB) *directory {
	d := &directory{places: map[string]string{
		"F205": "Milano", "F704": "Monza", "I690": "Sesto San Giovanni", "C707": "Cinisello Balsamo", "H501": "Roma",
	}}
	mario := person(t, "Rossi", "Mario", "M", app.Date(1975, 3, 12), "F205", testComune, "F0001", app.RelationshipHead, app.StatusResident)
	anna := person(t, "Bianchi", "Anna", "F", app.Date(1978, 7, 4), "F704", testComune, "F0001", app.RelationshipSpouse, app.StatusResident)
	luca := person(t, "Rossi", "Luca", "M", app.Date(2005, 11, 20), "I690", testComune, "F0001", app.RelationshipChild, app.StatusResident)
	giulia := person(t, "Rossini", "Giulia", "F", app.Date(1990, 1, 30), "F205", testComune, "F0002", app.RelationshipHead, app.StatusEmigrated)
	giulia.CancelledOn, giulia.CancelReason = app.Date(2019, 4, 3), "emigrazione a Bergamo"
	giuseppe := person(t, "Rossi", "Giuseppe", "M", app.Date(1931, 2, 8), "H501", testComune, "F0003", app.RelationshipHead, app.StatusDeceased)
	giuseppe.CivilStatus, giuseppe.CancelledOn = app.CivilStatusWidowed, app.Date(2021, 12, 24)
	paolo := person(t, "Rosso", "Paolo", "M", app.Date(1982, 9, 15), "C707", otherComune, "C0042", app.RelationshipHead, app.StatusResident)
	d.citizens = []app.Citizen{mario, anna, luca, giulia, giuseppe, paolo}
	return d
}

func (d *directory) byName(surname, given string) app.Citizen {
	for _, c := range d.citizens {
		if c.Surname == surname && c.GivenName == given {
			return c
		}
	}
	panic("no " + surname + " " + given + " in the test directory")
}

func summary(c app.Citizen, comuneName string) app.CitizenSummary {
	return app.CitizenSummary{
		CodiceFiscale: c.CodiceFiscale, Surname: c.Surname, GivenName: c.GivenName, BirthDate: c.BirthDate,
		Comune: c.Comune, ComuneName: comuneName, Status: c.Status, Remote: c.Comune != testComune,
	}
}

// comuneName is the name as the domain gives it: ANPR's capitals.
func (d *directory) comuneName(code string) string { return strings.ToUpper(d.places[code]) }

// search reads text as app.ParseQuery does and matches codice fiscale
// prefixes, or surname then given name prefixes.
func (d *directory) search(text string, online bool) (app.SearchResults, error) {
	q, err := app.ParseQuery(text)
	if err != nil {
		return app.SearchResults{}, err
	}
	match := func(c app.Citizen) bool {
		if q.CFPrefix != "" && strings.HasPrefix(c.CodiceFiscale, q.CFPrefix) {
			return true
		}
		if len(q.Tokens) == 0 || !strings.HasPrefix(app.NameKey(c.Surname), q.Tokens[0]) {
			return false
		}
		return len(q.Tokens) == 1 || strings.HasPrefix(app.NameKey(c.GivenName), strings.Join(q.Tokens[1:], ""))
	}
	var res app.SearchResults
	for _, c := range d.citizens {
		if !match(c) {
			continue
		}
		s := summary(c, d.comuneName(c.Comune))
		if !s.Remote {
			res.Local = append(res.Local, s)
		} else if online {
			res.Remote = append(res.Remote, s)
		}
	}
	order := func(a, b app.CitizenSummary) int {
		return strings.Compare(a.Surname+" "+a.GivenName, b.Surname+" "+b.GivenName)
	}
	slices.SortFunc(res.Local, order)
	slices.SortFunc(res.Remote, order)
	if !online {
		res.NetworkErr = app.Errorf(app.EOFFLINE, "centro servizi non raggiungibile")
	}
	return res, nil
}

var relationNames = map[int]string{
	app.RelationshipHead: relationHead, app.RelationshipSpouse: relationSpouse, app.RelationshipChild: relationChild,
}

var civilNames = map[int]string{
	app.CivilStatusSingle: civilSingle, app.CivilStatusMarried: civilMarried, app.CivilStatusWidowed: civilWidowed,
}

// file assembles the citizen file as app.CounterService.OpenFile does.
func (d *directory) file(code string, asOf time.Time) (*app.CitizenFile, error) {
	i := slices.IndexFunc(d.citizens, func(c app.Citizen) bool { return c.CodiceFiscale == code })
	if i < 0 {
		return nil, app.Errorf(app.ENOTFOUND, "nessun cittadino con codice fiscale %s", code)
	}
	c := d.citizens[i]
	f := &app.CitizenFile{
		Citizen:          c,
		BirthPlaceName:   strings.ToUpper(d.places[c.BirthPlaceCode]),
		CitizenshipName:  "ITALIANA",
		CivilStatusName:  civilNames[c.CivilStatus],
		RelationshipName: relationNames[c.Relationship],
		ComuneName:       d.comuneName(c.Comune),
		Remote:           c.Comune != testComune,
		AsOf:             asOf,
	}
	for _, m := range d.citizens {
		if m.FamilyID == c.FamilyID {
			f.Family = append(f.Family, app.FamilyMember{Citizen: m, RelationshipName: relationNames[m.Relationship]})
		}
	}
	slices.SortStableFunc(f.Family, func(a, b app.FamilyMember) int { return a.Relationship - b.Relationship })
	return f, nil
}

// newFakeCounter returns a counter over d with one operator account;
// online tells whether the hub answers.
func newFakeCounter(d *directory, online *atomic.Bool) *fakeCounter {
	ops := &memOperators{
		accounts: map[string]*app.Operator{testUser: {
			Username: testUser, Name: testUserName, Comune: testComune, Roles: []app.Role{app.RoleOperator},
			PasswordHash: "plain:" + testPassword, Active: true,
		}},
		failures: map[string]int{}, last: map[string]time.Time{},
	}
	verify := func(hash, password string) bool { return hash == "plain:"+password }
	return &fakeCounter{
		login: func(ctx context.Context, username, password string) (*app.Operator, error) {
			return app.Login(ctx, ops, verify, testComune, username, password, testNow)
		},
		search: func(_ context.Context, op *app.Operator, text string) (app.SearchResults, error) {
			if op == nil {
				return app.SearchResults{}, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
			}
			return d.search(text, online.Load())
		},
		openFile: func(_ context.Context, op *app.Operator, code string) (*app.CitizenFile, error) {
			if op == nil {
				return nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
			}
			asOf := time.Date(2025, 5, 14, 8, 15, 0, 0, time.UTC)
			f, err := d.file(code, asOf)
			if err == nil && f.Remote && !online.Load() {
				return nil, app.Errorf(app.EOFFLINE, "il fascicolo di un altro comune richiede la rete")
			}
			if err == nil && f.Remote {
				f.AsOf = testNow
			}
			return f, err
		},
	}
}

// fakeIssuer implements certificate.Issuer. newFakeIssuer's defaults keep
// the certificates in memory and refuse as the domain does, with
// certificate.Check for the person and certificate.ResolveBollo for the
// bollo; every request and reprint is recorded as the UI sent it.
type fakeIssuer struct {
	issue      func(ctx context.Context, op *app.Operator, file *app.CitizenFile, r certificate.IssueRequest) (*certificate.Issued, []byte, error)
	reprint    func(ctx context.Context, op *app.Operator, number string) ([]byte, error)
	list       func(ctx context.Context, codiceFiscale string) ([]certificate.Issued, error)
	flagged    func(ctx context.Context) ([]certificate.Issued, error)
	exemptions func(ctx context.Context) ([]anpr.Entry, error)

	mu       sync.Mutex
	issued   []certificate.Issued // oldest first
	requests []certificate.IssueRequest
	reprints []string
}

var _ certificate.Issuer = (*fakeIssuer)(nil)

func (f *fakeIssuer) Issue(ctx context.Context, op *app.Operator, file *app.CitizenFile, r certificate.IssueRequest) (*certificate.Issued, []byte, error) {
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.mu.Unlock()
	return f.issue(ctx, op, file, r)
}

func (f *fakeIssuer) Reprint(ctx context.Context, op *app.Operator, number string) ([]byte, error) {
	f.mu.Lock()
	f.reprints = append(f.reprints, number)
	f.mu.Unlock()
	return f.reprint(ctx, op, number)
}

func (f *fakeIssuer) List(ctx context.Context, codiceFiscale string) ([]certificate.Issued, error) {
	return f.list(ctx, codiceFiscale)
}

func (f *fakeIssuer) Flagged(ctx context.Context) ([]certificate.Issued, error) {
	return f.flagged(ctx)
}

func (f *fakeIssuer) Exemptions(ctx context.Context) ([]anpr.Entry, error) { return f.exemptions(ctx) }

// calls returns the issue requests and the reprinted numbers so far.
func (f *fakeIssuer) calls() ([]certificate.IssueRequest, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests), slices.Clone(f.reprints)
}

// add stores a certificate as if issued earlier; it returns its number.
func (f *fakeIssuer) add(t testing.TB, c app.Citizen, slug string, at time.Time, flag string, synced bool) string {
	t.Helper()
	typ, err := certificate.TypeBySlug(slug)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	is := newIssued(c, typ, len(f.issued)+1, at)
	is.Flag, is.Synced = flag, synced
	f.issued = append(f.issued, is)
	return is.Certificate.Number.String()
}

// testDevice is the workstation of the tests' certificate numbers.
const testDevice = "W001"

func newIssued(c app.Citizen, t certificate.Type, seq int, at time.Time) certificate.Issued {
	return certificate.Issued{Certificate: certificate.Certificate{
		Number:     certificate.Number{Comune: testComune, Device: testDevice, Year: at.Year(), Seq: int64(seq)},
		Type:       t,
		ComuneCode: c.Comune,
		Person:     certificate.Person{CodiceFiscale: c.CodiceFiscale, Surname: c.Surname, GivenName: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate},
		IssuedAt:   at.UTC(),
		Operator:   testUser,
	}, Stamp: "SPT1.test"}
}

// fakePDF stands for the PDF of a certificate: its number, and the mark of
// a duplicate.
func fakePDF(number string, duplicate bool) []byte {
	s := "%PDF-1.7 certificato " + number
	if duplicate {
		s += " DUPLICATO"
	}
	return []byte(s)
}

func newFakeIssuer() *fakeIssuer {
	f := &fakeIssuer{}
	f.issue = func(_ context.Context, op *app.Operator, file *app.CitizenFile, r certificate.IssueRequest) (*certificate.Issued, []byte, error) {
		if op == nil {
			return nil, nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
		}
		t, err := certificate.TypeBySlug(r.Type)
		if err != nil {
			return nil, nil, err
		}
		if err := certificate.Decide(t, certificate.Failures(t, file, testNow), r.Force); err != nil {
			return nil, nil, err
		}
		b, err := certificate.ResolveBollo(t, certificate.Bollo{Marca: r.Marca, ExemptionID: r.ExemptionID, ExemptionText: r.ExemptionText}, nil)
		if err != nil {
			return nil, nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		is := newIssued(file.Citizen, t, len(f.issued)+1, testNow)
		is.Certificate.Use, is.Certificate.Abroad, is.Certificate.Bollo = r.Use, r.Abroad, b
		f.issued = append(f.issued, is)
		return &is, fakePDF(is.Certificate.Number.String(), false), nil
	}
	f.reprint = func(_ context.Context, op *app.Operator, number string) ([]byte, error) {
		if op == nil {
			return nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, is := range f.issued {
			if is.Certificate.Number.String() == number {
				return fakePDF(number, true), nil
			}
		}
		return nil, app.Errorf(app.ENOTFOUND, "certificato %s sconosciuto", number)
	}
	f.list = func(_ context.Context, code string) ([]certificate.Issued, error) {
		return f.where(func(is certificate.Issued) bool { return is.Certificate.Person.CodiceFiscale == code }), nil
	}
	f.flagged = func(context.Context) ([]certificate.Issued, error) {
		return f.where(func(is certificate.Issued) bool { return is.Flag != "" }), nil
	}
	f.exemptions = func(context.Context) ([]anpr.Entry, error) {
		return anpr.Defaults().BolloExemptions, nil
	}
	return f
}

// where lists the certificates that match, newest first, as the store does.
func (f *fakeIssuer) where(match func(certificate.Issued) bool) []certificate.Issued {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []certificate.Issued
	for i := len(f.issued) - 1; i >= 0; i-- {
		if match(f.issued[i]) {
			out = append(out, f.issued[i])
		}
	}
	return out
}

// fakeOutput implements Output and records what it printed and saved.
type fakeOutput struct {
	printers func(ctx context.Context) ([]string, error)
	print    func(ctx context.Context, printer, jobName string, pdf []byte) error

	mu       sync.Mutex
	def      string
	defaults []string // the printers SetDefaultPrinter remembered, in order
	printed  []outputJob
	saved    []outputJob
}

// outputJob is a PDF that went to a printer (printer, job name) or to a
// file (name).
type outputJob struct {
	printer, name string
	pdf           string
}

var _ Output = (*fakeOutput)(nil)

// The printers of the tests' workstation.
const (
	printerDesk   = "Anagrafe_Sportello_1"
	printerOffice = "Ufficio_HP_LaserJet"
	documentsDir  = "/home/operatore/Documenti/Sportello"
)

func newFakeOutput() *fakeOutput {
	return &fakeOutput{
		def:      printerDesk,
		printers: func(context.Context) ([]string, error) { return []string{printerDesk, printerOffice}, nil },
		print:    func(context.Context, string, string, []byte) error { return nil },
	}
}

func (o *fakeOutput) Printers(ctx context.Context) ([]string, error) { return o.printers(ctx) }

func (o *fakeOutput) DefaultPrinter() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.def
}

func (o *fakeOutput) SetDefaultPrinter(name string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.def = name
	o.defaults = append(o.defaults, name)
	return nil
}

func (o *fakeOutput) Print(ctx context.Context, printer, jobName string, pdf []byte) error {
	if err := o.print(ctx, printer, jobName, pdf); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.printed = append(o.printed, outputJob{printer: printer, name: jobName, pdf: string(pdf)})
	return nil
}

func (o *fakeOutput) Save(name string, pdf []byte) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.saved = append(o.saved, outputJob{name: name, pdf: string(pdf)})
	return documentsDir + "/" + name, nil
}

// jobs returns what was printed and what was saved so far.
func (o *fakeOutput) jobs() (printed, saved []outputJob) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.printed), slices.Clone(o.saved)
}

// remembered returns the printers SetDefaultPrinter was given, in order.
func (o *fakeOutput) remembered() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.defaults)
}
