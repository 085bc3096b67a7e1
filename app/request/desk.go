package request

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
)

// File is an attachment as the operator picks it: a field of the form, the
// file's name and content.
type File struct {
	Field string
	Name  string
	Data  []byte
}

// FileContent is the content of a request's file on its way to the hub.
type FileContent struct {
	SHA256 string
	Type   string
	Data   []byte
}

// Store is the workstation's side of the requests.
//   - Services is the catalogue as synced from the hub; Enabled the ids
//     the comune offers (nil when the comune has not chosen: all of them).
//   - SubmitRequest gives build the workstation's next request sequence
//     and stores, in one transaction, the request build returns, its files,
//     the outbox operation that carries both to the hub and the operator's
//     audit event (AuditSubmit).
//   - Request returns ENOTFOUND for an unknown id or number (protocol or
//     provisional); Requests lists a person's requests, newest first: the
//     hub's state where it has arrived, the workstation's own otherwise.
//   - ChangeStatus queues a state change for the hub, with the audit
//     event (AuditStatus).
type Store interface {
	Services(ctx context.Context) ([]Service, error)
	Enabled(ctx context.Context, comune string) ([]string, error)
	SubmitRequest(ctx context.Context, operator string, files []File, build func(seq int64) (*Request, error)) error
	Request(ctx context.Context, idOrNumber string) (*Request, error)
	Requests(ctx context.Context, codiceFiscale string) ([]Request, error)
	ChangeStatus(ctx context.Context, f StatusFact) error
	AppendAudit(ctx context.Context, operator, action, subject string, at time.Time) error
}

// Renderer lays out the receipt of a request (printing does): the comune's
// name, the request, its service, and the address that follows it, for the
// QR code.
type Renderer func(comuneName string, r *Request, s *Service, followURL string) ([]byte, error)

// Requests is what the counter screens and the CLI ask of requests.
//   - Catalogue: the services the comune offers, by life event then title.
//   - Search: the services matching words (all of them for ""), in event
//     when not "".
//   - Submit: EINVALID (a *FormError) with the fields to correct;
//     EUNAUTHORIZED without an operator.
//   - ChangeStatus: EFORBIDDEN without the back-office role.
//   - Scans: the newest files of the workstation's scanner folder that
//     attachments take (none without a folder); ReadScan reads one of them.
type Requests interface {
	Catalogue(ctx context.Context) ([]Service, error)
	Service(ctx context.Context, id string) (*Service, error)
	Search(ctx context.Context, words string, event LifeEvent) ([]Service, error)
	Prefill(s *Service, file *app.CitizenFile) Values
	Submit(ctx context.Context, op *app.Operator, file *app.CitizenFile, service string, v Values, files []File) (*Request, []byte, error)
	List(ctx context.Context, codiceFiscale string) ([]Request, error)
	Get(ctx context.Context, idOrNumber string) (*Request, error)
	Receipt(ctx context.Context, op *app.Operator, idOrNumber string) ([]byte, error)
	ChangeStatus(ctx context.Context, op *app.Operator, id string, to Status, note string) (*Request, error)
	ScannerFolder(ctx context.Context) (string, error)
	SetScannerFolder(ctx context.Context, path string) (string, error)
	Scans(ctx context.Context, limit int) (string, []Scan, error)
	ReadScan(ctx context.Context, field, name string) (File, error)
}

var _ Requests = (*Desk)(nil)

// Desk is the requests counter of a workstation.
type Desk struct {
	Store   Store
	Profile func(ctx context.Context) (*app.Profile, error)
	// Settings keep the workstation's scanner folder; nil: none.
	Settings Settings
	Render   Renderer
	Now      func() time.Time
	// FollowURL is the hub's page where the citizen follows a request
	// (the QR code of the receipt); "" leaves the QR out.
	FollowURL func(r *Request) string
	Channel   string       // "sportello" (default) or "chiosco"
	Outboxed  app.Outboxed // after a write to the outbox
}

func (d *Desk) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// Catalogue returns the services the workstation's comune offers.
func (d *Desk) Catalogue(ctx context.Context) ([]Service, error) {
	p, err := d.Profile(ctx)
	if err != nil {
		return nil, err
	}
	all, err := d.Store.Services(ctx)
	if err != nil {
		return nil, err
	}
	enabled, err := d.Store.Enabled(ctx, p.Comune)
	if err != nil {
		return nil, err
	}
	out := all[:0:0]
	for _, s := range all {
		if enabled == nil || slices.Contains(enabled, s.ID) {
			out = append(out, s)
		}
	}
	SortServices(out)
	return out, nil
}

// SortServices orders services by life event (the catalogue's order), then
// title.
func SortServices(s []Service) {
	rank := map[LifeEvent]int{}
	for i, e := range LifeEvents {
		rank[e] = i
	}
	sort.SliceStable(s, func(i, j int) bool {
		if rank[s[i].Event] != rank[s[j].Event] {
			return rank[s[i].Event] < rank[s[j].Event]
		}
		return s[i].Title < s[j].Title
	})
}

// Service returns an offered service; ENOTFOUND otherwise.
func (d *Desk) Service(ctx context.Context, id string) (*Service, error) {
	all, err := d.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, app.Errorf(app.ENOTFOUND, "servizio %q non offerto dal comune", id)
}

// Search returns the offered services matching every word.
func (d *Desk) Search(ctx context.Context, words string, event LifeEvent) ([]Service, error) {
	all, err := d.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	return SearchServices(all, words, event), nil
}

// SearchServices keeps the services of event (any when "") whose title,
// summary, keywords or office contain every word (as a word prefix,
// ignoring case and accents), best matches first: a word in the title
// counts more than one in the summary.
func SearchServices(all []Service, words string, event LifeEvent) []Service {
	q := strings.Fields(fold(words))
	type scored struct {
		s     Service
		score int
	}
	var hits []scored
	for _, s := range all {
		if event != "" && s.Event != event {
			continue
		}
		title, body := fold(s.Title), fold(s.Summary+" "+strings.Join(s.Keywords, " ")+" "+s.Office+" "+s.ID)
		score := 0
		for _, w := range q {
			switch {
			case hasWordPrefix(title, w):
				score += 3
			case hasWordPrefix(body, w):
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score >= 0 {
			hits = append(hits, scored{s, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	out := make([]Service, len(hits))
	for i, h := range hits {
		out[i] = h.s
	}
	return out
}

func hasWordPrefix(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !isWordRune(rune(text[at-1])) {
			return true
		}
		i = at + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold lowers case and drops accents, with anything but letters and digits
// turned to spaces: "Attività" matches "attivita", "d'identità" matches
// "identita".
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			b.WriteRune(r)
		case unicode.IsLetter(r):
			b.WriteString(strings.ToLower(app.NameKey(string(r))))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// Prefill fills the fields that name a source in the citizen file.
func (d *Desk) Prefill(s *Service, file *app.CitizenFile) Values {
	return PrefillFrom(s, file)
}

// PrefillFrom fills the fields of s that name a source in the file.
func PrefillFrom(s *Service, file *app.CitizenFile) Values {
	v := Values{}
	if file == nil {
		return v
	}
	c := &file.Citizen
	for _, f := range s.Fields {
		switch f.Prefill {
		case FromCF:
			v[f.ID] = c.CodiceFiscale
		case FromSurname:
			v[f.ID] = c.Surname
		case FromGivenName:
			v[f.ID] = c.GivenName
		case FromBirthDate:
			if !c.BirthDate.IsZero() {
				v[f.ID] = c.BirthDate.Format("02/01/2006")
			}
		case FromAddress:
			v[f.ID] = c.Address.String()
		case FromFamilyID:
			v[f.ID] = c.FamilyID
		}
	}
	return v
}

// ApplicantOf is the applicant of a file, for ValidateForm.
func ApplicantOf(file *app.CitizenFile, today time.Time) Applicant {
	a := Applicant{CodiceFiscale: file.Citizen.CodiceFiscale, Today: today}
	for _, m := range file.Family {
		a.Family = append(a.Family, Member{CodiceFiscale: m.CodiceFiscale, Name: m.Surname + " " + m.GivenName, BirthDate: m.BirthDate})
	}
	if len(a.Family) == 0 {
		a.Family = []Member{{CodiceFiscale: file.Citizen.CodiceFiscale, Name: file.Citizen.FullName(), BirthDate: file.Citizen.BirthDate}}
	}
	return a
}

// Attachments describes files: their sniffed type, size and hash. A file
// of a type not taken is refused here, before anything is stored.
func Attachments(files []File) ([]AttachmentMeta, error) {
	out := make([]AttachmentMeta, 0, len(files))
	for _, f := range files {
		name := CleanName(f.Name)
		if len(f.Data) > MaxAttachmentSize {
			return nil, app.Errorf(app.EINVALID, "il file %s supera %d MB", name, MaxAttachmentSize>>20)
		}
		t := SniffType(f.Data)
		if t == "" {
			return nil, app.Errorf(app.EINVALID, "il file %s non è un PDF o un'immagine JPEG, PNG o TIFF", name)
		}
		sum := sha256.Sum256(f.Data)
		out = append(out, AttachmentMeta{Field: f.Field, Name: name, Type: t, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])})
	}
	return out, CheckAttachments(out)
}

// NewID returns a random UUID (version 4) for a request.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return IDFrom(b[:])
}

// IDFrom is a request id (a version 4 UUID's shape) made of the first 16
// bytes of b, for an id derived from a secret rather than drawn.
func IDFrom(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// NewFollowCode is the secret that, with the request's id, opens the
// request's page on the hub: printed only in the receipt's QR code.
func NewFollowCode() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

// Submit takes a request for the person of file: the form is checked (the
// same check the hub repeats), the request gets the workstation's
// provisional number and goes to the outbox with its files, and the
// receipt is rendered. The protocol number follows from the hub.
func (d *Desk) Submit(ctx context.Context, op *app.Operator, file *app.CitizenFile, service string, v Values, files []File) (*Request, []byte, error) {
	if op == nil || op.Username == "" {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "nessun operatore collegato")
	}
	if file == nil {
		return nil, nil, app.Errorf(app.EINVALID, "nessun richiedente")
	}
	s, err := d.Service(ctx, service)
	if err != nil {
		return nil, nil, err
	}
	p, err := d.Profile(ctx)
	if err != nil {
		return nil, nil, err
	}
	atts, err := Attachments(files)
	if err != nil {
		return nil, nil, err
	}
	now := d.now()
	who := ApplicantOf(file, now)
	values, err := s.ValidateForm(v, atts, who)
	if err != nil {
		return nil, nil, err
	}
	channel := d.Channel
	if channel == "" {
		channel = "sportello"
	}
	var req *Request
	err = d.Store.SubmitRequest(ctx, op.Username, files, func(seq int64) (*Request, error) {
		req = &Request{
			ID: NewID(), Comune: p.Comune, Provisional: ProvisionalNumber(p.Device, seq),
			Service: s.ID, ServiceTitle: s.Title, CodiceFiscale: file.Citizen.CodiceFiscale,
			ApplicantName: file.Citizen.FullName(), Values: values, MemberNames: s.MemberNames(values, who), Attachments: atts,
			SubmittedAt: now.UTC(), Operator: op.Username, Device: p.Device, Channel: channel,
			FollowCode: NewFollowCode(), Status: StatusReceived, Version: 1,
			History: []StatusChange{{Status: StatusReceived, Operator: op.Username, At: now.UTC(), Version: 1}},
		}
		return req, req.ValidateSubmission()
	})
	if err != nil {
		return nil, nil, err
	}
	d.Outboxed.Notify()
	pdf, err := d.render(p, req, s)
	if err != nil {
		// The request is taken; the receipt can be printed again.
		return req, nil, fmt.Errorf("receipt of %s: %w", req.Provisional, err)
	}
	return req, pdf, nil
}

func (d *Desk) render(p *app.Profile, r *Request, s *Service) ([]byte, error) {
	if d.Render == nil {
		return nil, nil
	}
	url := ""
	if d.FollowURL != nil {
		url = d.FollowURL(r)
	}
	name := p.ComuneName
	if name == "" {
		name = p.Comune
	}
	return d.Render(name, r, s, url)
}

// List returns a person's requests, newest first.
func (d *Desk) List(ctx context.Context, codiceFiscale string) ([]Request, error) {
	return d.Store.Requests(ctx, codiceFiscale)
}

// Get returns a request by id or number.
func (d *Desk) Get(ctx context.Context, idOrNumber string) (*Request, error) {
	return d.Store.Request(ctx, idOrNumber)
}

// Receipt renders the receipt again: with the protocol number once the hub
// has assigned it.
func (d *Desk) Receipt(ctx context.Context, op *app.Operator, idOrNumber string) ([]byte, error) {
	if op == nil || op.Username == "" {
		return nil, app.Errorf(app.EUNAUTHORIZED, "nessun operatore collegato")
	}
	r, err := d.Store.Request(ctx, idOrNumber)
	if err != nil {
		return nil, err
	}
	p, err := d.Profile(ctx)
	if err != nil {
		return nil, err
	}
	s := d.serviceOf(ctx, r)
	if err := d.Store.AppendAudit(ctx, op.Username, AuditReceipt, r.CodiceFiscale, d.now()); err != nil {
		return nil, err
	}
	return d.render(p, r, s)
}

// serviceOf is the request's service as the catalogue has it, or a stub
// with its title when the service has been withdrawn since.
func (d *Desk) serviceOf(ctx context.Context, r *Request) *Service {
	all, err := d.Store.Services(ctx)
	if err == nil {
		for i := range all {
			if all[i].ID == r.Service {
				return &all[i]
			}
		}
	}
	return &Service{ID: r.Service, Title: r.ServiceTitle}
}

// ChangeStatus asks the hub to move a request. The version the operator
// saw goes with it: if another operator moved the request meanwhile, the
// hub refuses the change and the workstation parks it with the reason.
// The local checks are the hub's, on the state the workstation knows.
func (d *Desk) ChangeStatus(ctx context.Context, op *app.Operator, id string, to Status, note string) (*Request, error) {
	if op == nil || op.Username == "" {
		return nil, app.Errorf(app.EUNAUTHORIZED, "nessun operatore collegato")
	}
	if !op.Has(app.RoleBackOffice) {
		return nil, app.Errorf(app.EFORBIDDEN, "solo il back-office può cambiare lo stato di una richiesta")
	}
	r, err := d.Store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.IsProvisional() {
		return nil, app.Errorf(app.ECONFLICT, "la richiesta %s non è ancora arrivata all'hub: attendere la sincronizzazione", r.Provisional)
	}
	moved := *r
	moved.History = slices.Clone(r.History)
	if err := moved.Move(to, note, op.Username, r.Version, d.now()); err != nil {
		return nil, err
	}
	f := StatusFact{Request: r.ID, Comune: r.Comune, To: to, Note: strings.TrimSpace(note), Expected: r.Version, Operator: op.Username, At: d.now().UTC()}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := d.Store.ChangeStatus(ctx, f); err != nil {
		return nil, err
	}
	d.Outboxed.Notify()
	return &moved, nil
}
