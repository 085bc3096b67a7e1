package pratica

import "strings"

// Builders of the default catalogue's fields: the catalogue reads as a
// list of forms, not of struct literals.

func (f Field) req() Field               { f.Required = true; return f }
func (f Field) help(h string) Field      { f.Help = h; return f }
func (f Field) from(p Prefill) Field     { f.Prefill = p; return f }
func (f Field) accept(t ...string) Field { f.Accept = t; return f }

func txt(id, label string) Field  { return Field{ID: id, Label: label, Type: Text} }
func long(id, label string) Field { return Field{ID: id, Label: label, Type: LongText} }
func num(id, label string, min, max float64) Field {
	return Field{ID: id, Label: label, Type: Number, Min: min, Max: max}
}
func date(id, label string) Field   { return Field{ID: id, Label: label, Type: Date} }
func cfcode(id, label string) Field { return Field{ID: id, Label: label, Type: CodiceFisc} }
func piva(id, label string) Field   { return Field{ID: id, Label: label, Type: PartitaIVA} }
func iban(id, label string) Field   { return Field{ID: id, Label: label, Type: IBAN} }
func email(id, label string) Field  { return Field{ID: id, Label: label, Type: Email} }
func phone(id, label string) Field  { return Field{ID: id, Label: label, Type: Phone} }
func amount(id, label string) Field { return Field{ID: id, Label: label, Type: Amount} }
func attach(id, label string) Field { return Field{ID: id, Label: label, Type: Attachment} }
func consent(id, label string) Field {
	return Field{ID: id, Label: label, Type: Consent}
}
func member(id, label string, minor bool) Field {
	f := Field{ID: id, Label: label, Type: FamilyMember}
	if minor {
		f.Member = "minor"
	}
	return f
}

// choice takes its options as "id=Label".
func choice(id, label string, opts ...string) Field {
	return Field{ID: id, Label: label, Type: Choice, Options: options(opts)}
}

func multi(id, label string, opts ...string) Field {
	return Field{ID: id, Label: label, Type: MultiChoice, Options: options(opts)}
}

func options(opts []string) []Option {
	out := make([]Option, len(opts))
	for i, o := range opts {
		id, label, _ := strings.Cut(o, "=")
		out[i] = Option{ID: id, Label: label}
	}
	return out
}

// applicant is the person who applies, filled from the citizen file.
func applicant() []Field {
	return []Field{
		txt("cognome", "Cognome").req().from(FromSurname),
		txt("nome", "Nome").req().from(FromGivenName),
		cfcode("codice_fiscale", "Codice fiscale").req().from(FromCF),
		date("data_nascita", "Data di nascita").from(FromBirthDate),
		txt("indirizzo", "Indirizzo di residenza").from(FromAddress),
	}
}

// contacts are where the comune's notices about the request go.
func contacts() []Field {
	return []Field{
		email("email", "Email").help("per gli avvisi sullo stato della richiesta"),
		phone("cellulare", "Cellulare").help("per gli avvisi via SMS"),
		email("pec", "PEC (posta elettronica certificata)"),
	}
}

// business is the firm a business service is asked for, with its PEC.
func business() []Field {
	return []Field{
		txt("ragione_sociale", "Ragione sociale").req(),
		piva("partita_iva", "Partita IVA").req(),
		txt("sede_legale", "Sede legale").req(),
		txt("rea", "Numero REA").help("iscrizione al Registro delle imprese, es. MI-1234567"),
		txt("ateco", "Codice ATECO dell'attività"),
		choice("qualita", "In qualità di", "titolare=Titolare", "legale_rappresentante=Legale rappresentante", "procuratore=Procuratore").req(),
		email("pec", "PEC dell'impresa").req(),
		email("email", "Email"),
		phone("cellulare", "Cellulare"),
	}
}

var (
	privacy = consent("privacy", "Presa visione dell'informativa sul trattamento dei dati personali (Reg. UE 2016/679)").req()
	truth   = consent("dichiarazione", "Dichiaro, consapevole delle sanzioni penali per dichiarazioni mendaci (art. 76 DPR 445/2000), che quanto indicato è vero").req()
	idDoc   = attach("documento", "Documento d'identità").req()
)

func isee() []Field {
	return []Field{
		amount("isee", "Valore ISEE (euro)").req(),
		date("isee_data", "Data della DSU").req(),
		txt("isee_protocollo", "Protocollo DSU (INPS-ISEE-…)").req(),
	}
}

func citizenForm(fields ...Field) []Field {
	out := append(applicant(), fields...)
	out = append(out, contacts()...)
	return append(out, truth, privacy)
}

func businessForm(fields ...Field) []Field {
	out := append(applicant(), business()...)
	out = append(out, fields...)
	return append(out, truth, privacy)
}

func fee(label string, cents int64) Fee { return Fee{Label: label, Cents: cents} }

var bollo = fee("Imposta di bollo", 1600)
