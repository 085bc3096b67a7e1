package pagopa

import "github.com/sportello/sportello/app"

// Block is a range of IUV bases the hub gave one workstation, so that it
// can number notices while the network is down: every base from First to
// Last is the workstation's, under the creditor's aux digit and code. The
// hub never gives a base twice, so two workstations never print the same
// codice avviso.
type Block struct {
	Device string
	Aux    int    // 0 or 3
	Code   string // application code (aux 0) or segregation code (aux 3)
	First  int64
	Last   int64
}

// Validate checks the range.
func (b Block) Validate() error {
	if _, err := NewAvviso(b.Aux, b.Code, b.First); err != nil {
		return err
	}
	if b.Last < b.First || b.Last > MaxIUVBase || b.Device == "" {
		return app.Errorf(app.EINVALID, "blocco di IUV %d-%d non valido", b.First, b.Last)
	}
	return nil
}

// Size is how many bases the block holds.
func (b Block) Size() int64 { return b.Last - b.First + 1 }

// Avviso is the codice avviso of base n of the block.
func (b Block) Avviso(n int64) (CodiceAvviso, error) {
	if n < b.First || n > b.Last {
		return "", app.Errorf(app.EINVALID, "IUV %d fuori dal blocco %d-%d", n, b.First, b.Last)
	}
	return NewAvviso(b.Aux, b.Code, n)
}
