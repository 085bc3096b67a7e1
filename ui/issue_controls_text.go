package ui

// The texts of the ANPR issuing controls in the issue form. They are
// messages of the same catalog, numbered from controlsMsgBase so that
// they stay clear of the others; init adds them to catalog.
const controlsMsgBase msg = 12000

const (
	msgForceableTag msg = controlsMsgBase + iota
	msgForceTitle
	msgForceReason
	msgForceReasonMissing
	msgForceReasonLong
)

var controlsCatalog = map[msg]struct{ it, en string }{
	msgForceableTag:       {"da forzare", "to override"},
	msgForceTitle:         {"Controlli ANPR da forzare: %s", "ANPR checks to override: %s"},
	msgForceReason:        {"Motivo della forzatura (registrato)", "Reason for the override (recorded)"},
	msgForceReasonMissing: {"Indicare il motivo per cui si rilascia nonostante i controlli ANPR", "Enter why the certificate is issued despite the ANPR checks"},
	msgForceReasonLong:    {"Motivo troppo lungo: al massimo %d caratteri", "Reason too long: at most %d characters"},
}

func init() {
	for id, m := range controlsCatalog {
		catalog[id] = m
	}
}
