package anprdir

import (
	"slices"
	"sync"

	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/assets"
)

// builtIn parses the embedded tables on first use only: the comuni archive
// takes tens of milliseconds to parse, which a command that never names a
// place should not pay.
var builtIn = sync.OnceValue(func() *anpr.Tables {
	t, err := anpr.ReadFS(assets.ANPR)
	if err != nil {
		// The files are compiled in and checked by the tests: a failure
		// here is a broken build, not a condition to handle.
		panic("anprdir: the built-in ANPR tables: " + err.Error())
	}
	return t
})

// BuiltIn returns the full ANPR tables built into the binaries (every
// comune since 1861, every state, the six code tables): what the app and
// the hub use until the hub imports a newer release. Each call returns new
// slices, which the caller may change.
func BuiltIn() *anpr.Tables {
	t := builtIn()
	return &anpr.Tables{
		Comuni:            slices.Clone(t.Comuni),
		States:            slices.Clone(t.States),
		CertificateTypes:  slices.Clone(t.CertificateTypes),
		BolloExemptions:   slices.Clone(t.BolloExemptions),
		Relationships:     slices.Clone(t.Relationships),
		CivilStatus:       slices.Clone(t.CivilStatus),
		CitizenshipTypes:  slices.Clone(t.CitizenshipTypes),
		NonCertifiability: slices.Clone(t.NonCertifiability),
	}
}
