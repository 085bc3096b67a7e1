package wire

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/sportello/sportello/app"
)

// The prepared anagrafe: a comune's whole download as a cache file the hub
// builds once (store.AdoptAnagrafe), served compressed (Zstandard) at
// GET /v1/anagrafe?scope=COMUNE by byte ranges (a resumed download asks
// from where it stopped, If-Range on the ETag). The answer's
// HeaderAnagrafe says what the file is; the network's root key signs it,
// so that a workstation adopts only a file the hub vouches for, whatever
// carried it.
const HeaderAnagrafe = "Sportello-Anagrafe"

// Anagrafe describes a prepared anagrafe file as its header carries it.
type Anagrafe struct {
	Scope     string
	Seq       int64  // the change-log position the file holds the comune at
	SHA256    string // of the compressed file, lower-case hex
	Size      int64  // bytes of the compressed file
	Signature []byte // by the root key, over Statement
}

// Statement is what the root key signs of a prepared anagrafe.
func (a Anagrafe) Statement() []byte {
	return []byte("sportello anagrafe v1\n" + a.Scope + "\n" + strconv.FormatInt(a.Seq, 10) + "\n" + a.SHA256 + "\n" + strconv.FormatInt(a.Size, 10))
}

// Verify tells whether root signed a.
func (a Anagrafe) Verify(root ed25519.PublicKey) bool {
	return len(root) == ed25519.PublicKeySize && ed25519.Verify(root, a.Statement(), a.Signature)
}

// ETag is the entity tag the file is served with: its hash.
func (a Anagrafe) ETag() string { return `"` + a.SHA256 + `"` }

// String is the header's value: "scope seq sha256 size signature".
func (a Anagrafe) String() string {
	return a.Scope + " " + strconv.FormatInt(a.Seq, 10) + " " + a.SHA256 + " " + strconv.FormatInt(a.Size, 10) + " " + B64(a.Signature)
}

// AnagrafeFromHeader reads HeaderAnagrafe of an answer; an error when it
// is missing or does not read.
func AnagrafeFromHeader(h http.Header) (Anagrafe, error) {
	return ParseAnagrafe(h.Get(HeaderAnagrafe))
}

// ParseAnagrafe reads the value of HeaderAnagrafe.
func ParseAnagrafe(v string) (Anagrafe, error) {
	bad := func(why string) (Anagrafe, error) {
		return Anagrafe{}, app.Errorf(app.EINVALID, "intestazione dell'anagrafe preparata non valida: %s", why)
	}
	f := strings.Split(v, " ")
	if len(v) > 512 || len(f) != 5 {
		return bad("campi")
	}
	var a Anagrafe
	a.Scope = f[0]
	if !app.ValidBelfiore(a.Scope) {
		return bad("comune")
	}
	var err error
	if a.Seq, err = strconv.ParseInt(f[1], 10, 64); err != nil || a.Seq < 0 {
		return bad("posizione")
	}
	if b, err := hex.DecodeString(f[2]); err != nil || len(b) != 32 || strings.ToLower(f[2]) != f[2] {
		return bad("impronta")
	}
	a.SHA256 = f[2]
	if a.Size, err = strconv.ParseInt(f[3], 10, 64); err != nil || a.Size <= 0 {
		return bad("dimensione")
	}
	if a.Signature, err = unb64(f[4]); err != nil || len(a.Signature) != ed25519.SignatureSize {
		return bad("firma")
	}
	return a, nil
}

// SnapshotPage is a page of the initial download as the workstation
// stores it.
type SnapshotPage struct {
	Citizens  []app.Citizen
	Operators []app.Operator // the first page's
	Records   []app.Record
	After     string // the position the page reached
}

// SnapshotPageFromWire reads a page of scope's download that was asked
// after the position after: its citizens must belong to scope and follow
// after in order, its records must move the position forward. first
// reads the page's operators too (only the first page carries them).
func SnapshotPageFromWire(scope, after string, first bool, res *SnapshotResponse) (*SnapshotPage, error) {
	pg := &SnapshotPage{After: after}
	if first {
		for _, w := range res.Operators {
			o, err := OperatorFromWire(w)
			if err != nil {
				return nil, fmt.Errorf("operatore %s: %w", w.Username, err)
			}
			pg.Operators = append(pg.Operators, o)
		}
	}
	pg.Citizens = make([]app.Citizen, 0, len(res.Citizens))
	for _, w := range res.Citizens {
		ci, err := CitizenFromWire(w)
		if err != nil {
			return nil, err
		}
		if ci.Comune != scope || ci.CodiceFiscale <= pg.After {
			return nil, app.Errorf(app.EINVALID, "pagina dello scaricamento non valida (cittadino %s)", ci.CodiceFiscale)
		}
		pg.Citizens = append(pg.Citizens, ci)
		pg.After = ci.CodiceFiscale
	}
	pg.Records = make([]app.Record, 0, len(res.Records))
	for _, w := range res.Records {
		w.Seq = max(w.Seq, 1) // a record of the download has no position of its own
		ch, err := ChangeFromWire(scope, w)
		if err != nil {
			return nil, err
		}
		if ch.Record == nil {
			return nil, app.Errorf(app.EINVALID, "pagina dello scaricamento non valida (record %s/%s)", w.Kind, w.Key)
		}
		pg.Records = append(pg.Records, *ch.Record)
	}
	if len(pg.Records) > 0 {
		// Past the citizens the hub's position is its own (records sort
		// after every codice fiscale): take it as given, forward only.
		if res.After <= pg.After {
			return nil, app.Errorf(app.EINVALID, "pagina dello scaricamento non valida (posizione %q)", res.After)
		}
		pg.After = res.After
	}
	return pg, nil
}
