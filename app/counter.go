package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/sportello/sportello/app/anpr"
)

// Counter is what the counter screens and the CLI ask of the domain.
//   - Login: EUNAUTHORIZED, ELOCKED, EFORBIDDEN (see Login).
//   - Search: EINVALID for an unreadable text; hub trouble is reported in
//     SearchResults.NetworkErr, never as the error, so local results show.
//   - OpenFile: ENOTFOUND when neither the cache nor the hub knows the code;
//     EOFFLINE when only the hub could know and it cannot be reached;
//     ErrPurposeNeeded when only the hub could know and the operator has
//     not said why (SetPurpose); EFORBIDDEN when the hub refuses the read.
type Counter interface {
	Login(ctx context.Context, username, password string) (*Operator, error)
	Search(ctx context.Context, op *Operator, text string) (SearchResults, error)
	OpenFile(ctx context.Context, op *Operator, codiceFiscale string) (*CitizenFile, error)
	// SetPurpose remembers why op reads other comuni's citizens, for the
	// session: Search and OpenFile answer ErrPurposeNeeded until then.
	SetPurpose(op *Operator, purpose string)
}

// SearchResults are the local results, then those of other comuni.
type SearchResults struct {
	Local      []CitizenSummary
	Remote     []CitizenSummary // citizens of other comuni, found through the hub
	NetworkErr error            // EOFFLINE when the hub could not be asked
}

// SearchLimit is how many results one search returns from each source.
const SearchLimit = 50

// minRemoteQuery is the shortest text sent to the hub: shorter prefixes
// match too many people of the network to be useful.
const minRemoteQuery = 3

// Local is the workstation's cache as the counter uses it.
type Local interface {
	Directory
	Operators
	// AppendAudit writes an audit event and its outbox operation in one
	// transaction, chained to the device's previous event.
	AppendAudit(ctx context.Context, operator, action, subject string, at time.Time) error
	Reference(ctx context.Context) (*anpr.Tables, error)
	Cursor(ctx context.Context, scope string) (Cursor, error)
}

// CounterService implements Counter over the local cache and, when
// reachable, the hub.
type CounterService struct {
	Local    Local
	Network  Directory // the hub; nil on a workstation that has no network
	Verify   PasswordVerifier
	Comune   string
	Now      func() time.Time
	Outboxed Outboxed // after a fact was written to the outbox
	// Keys unlocks the operator's signing key with the password at login
	// and drops it at logout; nil on a workstation that signs nothing.
	Keys OperatorKeys
	// AccessLog asks the hub for the accesses to a citizen, signed by the
	// operator (ExportAccesses); nil on a workstation without a hub.
	AccessLog func(ctx context.Context, operator, codiceFiscale string) ([]Access, error)
	// SignAs signs with the key of an operator logged in (the store's
	// keyring): the proof of a read of another comune's citizen
	// (ReadProofMessage); nil on a workstation that signs nothing.
	SignAs func(operator string, msg []byte) ([]byte, error)

	mu       sync.Mutex
	refs     *anpr.Index
	purposes map[string]string // why each operator logged in reads other comuni's citizens
}

var _ Counter = (*CounterService)(nil)

// Login checks credentials on the workstation (see Login) and audits it.
func (s *CounterService) Login(ctx context.Context, username, password string) (*Operator, error) {
	op, err := Login(ctx, s.Local, s.Verify, s.Comune, username, password, s.Now())
	if err != nil {
		return nil, err
	}
	if s.Keys != nil {
		if err := s.Keys.Unlock(op, password); err != nil {
			return nil, err
		}
	}
	if err := s.audit(ctx, op.Username, AuditLogin, ""); err != nil {
		return nil, err
	}
	return op, nil
}

// Logout drops the operator's signing key: what is signed from now on
// needs the password again.
func (s *CounterService) Logout(username string) {
	if s.Keys != nil {
		s.Keys.Forget(username)
	}
	s.mu.Lock()
	delete(s.purposes, username)
	s.mu.Unlock()
}

// SetPurpose remembers, for op's session, why op reads other comuni's
// citizens (ReadPurpose): the counter asks once, at the first such read.
func (s *CounterService) SetPurpose(op *Operator, purpose string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.purposes == nil {
		s.purposes = map[string]string{}
	}
	s.purposes[op.Username] = purpose
}

// Purpose is the purpose op gave for this session, "" if none yet.
func (s *CounterService) Purpose(op *Operator) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.purposes[op.Username]
}

// reading returns ctx carrying op as the reader of another comune's
// citizen through the hub (WithReader), with the purpose of the session:
// ErrPurposeNeeded while op has given none. A workstation that signs
// nothing reads without proof, and the hub answers its own comune only.
func (s *CounterService) reading(ctx context.Context, op *Operator) (context.Context, error) {
	if op == nil || s.SignAs == nil {
		return ctx, nil
	}
	purpose := s.Purpose(op)
	if purpose == "" {
		return nil, ErrPurposeNeeded
	}
	name := op.Username
	return WithReader(ctx, Reader{Operator: name, Purpose: purpose, Sign: func(msg []byte) ([]byte, error) { return s.SignAs(name, msg) }}), nil
}

// ExportAccesses answers a citizen's access request (art. 15 GDPR): who
// accessed the citizen, when and why, from the hub, which keeps every
// workstation's audit trail and its own reads. Only a supervisor exports
// (EFORBIDDEN), online (EOFFLINE), for a citizen of the workstation's
// comune (ENOTFOUND at the hub otherwise); the export is itself an access,
// audited (AuditAccessExport).
func (s *CounterService) ExportAccesses(ctx context.Context, op *Operator, codiceFiscale string) ([]Access, error) {
	if op == nil || !op.Has(RoleSupervisor) {
		return nil, Errorf(EFORBIDDEN, "solo un supervisore esporta gli accessi a un cittadino")
	}
	if s.AccessLog == nil {
		return nil, Errorf(EOFFLINE, "postazione senza rete: gli accessi sono registrati all'hub")
	}
	list, err := s.AccessLog(ctx, op.Username, codiceFiscale)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, op.Username, AuditAccessExport, codiceFiscale); err != nil {
		return nil, err
	}
	return list, nil
}

// OperatorKeys holds the signing keys of the operators logged in
// (OperatorProof). Unlock derives op's key from the password, checks it
// against op.PublicKey and keeps it for the session; an account without a
// key (made before keys existed) unlocks nothing: its privileged
// operations are refused until it gets a new password.
type OperatorKeys interface {
	Unlock(op *Operator, password string) error
	Forget(username string)
}

// Search looks the text up in the cache and, for a text long enough, among
// the citizens of the other comuni of the network. Every search is audited
// (AuditSearch) with the number of hits only: the text is personal data
// the audit trail need not keep, and the citizen a search leads to is
// audited by name when the operator opens the file (OpenFile, AuditView).
func (s *CounterService) Search(ctx context.Context, op *Operator, text string) (SearchResults, error) {
	res, err := s.search(ctx, op, text)
	if err != nil {
		return SearchResults{}, err
	}
	who := ""
	if op != nil {
		who = op.Username
	}
	if err := s.audit(ctx, who, AuditSearch, SearchSubject(len(res.Local)+len(res.Remote))); err != nil {
		return SearchResults{}, err
	}
	return res, nil
}

// SearchSubject is the subject of a search's audit event: its number of
// hits, never the text searched.
func SearchSubject(hits int) string { return "risultati: " + strconv.Itoa(hits) }

func (s *CounterService) search(ctx context.Context, op *Operator, text string) (SearchResults, error) {
	q, err := ParseQuery(text)
	if err != nil {
		return SearchResults{}, err
	}
	var res SearchResults
	if res.Local, err = s.Local.SearchCitizens(ctx, q, SearchLimit); err != nil {
		return SearchResults{}, err
	}
	refs, err := s.Index(ctx)
	if err != nil {
		return SearchResults{}, err
	}
	for i := range res.Local {
		res.Local[i].ComuneName = comuneName(refs, res.Local[i].Comune)
	}
	if s.Network == nil {
		res.NetworkErr = Errorf(EOFFLINE, "postazione senza rete: la ricerca negli altri comuni non è disponibile")
		return res, nil
	}
	if len([]rune(q.Text)) < minRemoteQuery {
		return res, nil
	}
	remoteCtx := ctx
	if len(res.Local) == 0 && ExactKey(q.Text) {
		// Only an exact key finds another comune's citizen, and only as
		// the operator's proven act: a key that finds nobody here is
		// asked of the hub with the operator's proof and purpose.
		if remoteCtx, err = s.reading(ctx, op); err != nil {
			res.NetworkErr = err
			return res, nil
		}
	}
	remote, err := s.Network.SearchCitizens(remoteCtx, q, SearchLimit)
	if err != nil {
		res.NetworkErr = err
		return res, nil
	}
	for _, c := range remote {
		if c.Comune == s.Comune {
			continue // the cache has them, fresher or as fresh
		}
		c.Remote = true
		c.ComuneName = comuneName(refs, c.Comune)
		res.Remote = append(res.Remote, c)
	}
	return res, nil
}

// OpenFile assembles the citizen file from the cache or, for a citizen of
// another comune, from the hub; every opening is audited.
func (s *CounterService) OpenFile(ctx context.Context, op *Operator, codiceFiscale string) (*CitizenFile, error) {
	if op == nil {
		return nil, Errorf(EUNAUTHORIZED, "accesso richiesto")
	}
	src, remote := Directory(s.Local), false
	c, err := src.Citizen(ctx, codiceFiscale)
	if ErrorCode(err) == ENOTFOUND && s.Network != nil {
		// Not of this comune: the hub answers with the operator's proof.
		if ctx, err = s.reading(ctx, op); err != nil {
			return nil, err
		}
		src, remote = s.Network, true
		c, err = src.Citizen(ctx, codiceFiscale)
	}
	if err != nil {
		return nil, err
	}
	var members []Citizen
	if fo, ok := src.(interface {
		FamilyOf(context.Context, *Citizen) ([]Citizen, error)
	}); ok {
		// The hub gives another comune's family sheet only by a member's key.
		members, err = fo.FamilyOf(ctx, c)
	} else {
		members, err = src.Family(ctx, c.FamilyID)
	}
	if err != nil {
		return nil, err
	}
	refs, err := s.Index(ctx)
	if err != nil {
		return nil, err
	}
	f := &CitizenFile{
		Citizen:          *c,
		BirthPlaceName:   placeName(refs, c.BirthPlaceCode, c.BirthDate),
		CitizenshipName:  CitizenshipName(refs, c.Citizenship),
		CivilStatusName:  entryName(refs, anpr.TableCivilStatus, c.CivilStatus),
		RelationshipName: entryName(refs, anpr.TableRelationships, c.Relationship),
		ComuneName:       comuneName(refs, c.Comune),
		Remote:           remote,
	}
	if remote {
		f.AsOf = s.Now()
	} else {
		cur, err := s.Local.Cursor(ctx, c.Comune)
		if err != nil {
			return nil, err
		}
		f.AsOf, f.DataSeq = cur.AsOf, cur.Seq
	}
	for _, m := range members {
		f.Family = append(f.Family, FamilyMember{Citizen: m, RelationshipName: entryName(refs, anpr.TableRelationships, m.Relationship)})
	}
	if err := s.audit(ctx, op.Username, AuditView, c.CodiceFiscale); err != nil {
		return nil, err
	}
	return f, nil
}

// Audit appends an event to the workstation's audit trail and wakes the
// outbox, so that it reaches the hub soon: the kiosk's alerts go this way.
func (s *CounterService) Audit(ctx context.Context, operator, action, subject string) error {
	return s.audit(ctx, operator, action, subject)
}

func (s *CounterService) audit(ctx context.Context, operator, action, subject string) error {
	if err := s.Local.AppendAudit(ctx, operator, action, subject, s.Now()); err != nil {
		return err
	}
	s.Outboxed.Notify()
	return nil
}

// Index returns the reference tables' index, built once from the cache.
func (s *CounterService) Index(ctx context.Context) (*anpr.Index, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refs != nil {
		return s.refs, nil
	}
	t, err := s.Local.Reference(ctx)
	if err != nil {
		return nil, err
	}
	s.refs = anpr.NewIndex(t)
	return s.refs, nil
}

// ReferenceChanged drops the cached index: new tables arrived by sync.
func (s *CounterService) ReferenceChanged() {
	s.mu.Lock()
	s.refs = nil
	s.mu.Unlock()
}

func placeName(ix *anpr.Index, code string, on time.Time) string {
	if n, ok := ix.PlaceName(code, on); ok {
		return n
	}
	return code
}

func comuneName(ix *anpr.Index, code string) string {
	if c, ok := ix.Comune(code, time.Now()); ok {
		return c.Name
	}
	return code
}

func entryName(ix *anpr.Index, table anpr.TableName, id int) string {
	if e, ok := ix.Entry(table, id); ok {
		return e.Description
	}
	return ""
}

// CitizenshipName is the citizenship as certificates write it.
func CitizenshipName(ix *anpr.Index, iso3 string) string {
	if iso3 == "ITA" {
		return "ITALIANA"
	}
	if st, ok := ix.StateByISO3(iso3); ok {
		return st.Name
	}
	return iso3
}
