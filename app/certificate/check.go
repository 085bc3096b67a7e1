package certificate

import (
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// ANPR codes the rules read beyond those app names (tables stato_civile,
// relazione_parentela, motivi_non_certificabilita).
const (
	civilStatusCivilUnion          = 6 // Unito civilmente
	civilStatusFreeAfterPartner    = 7 // Stato libero a seguito di decesso della parte unita civilmente
	civilStatusFreeAfterDissolving = 8 // Stato libero a seguito di scioglimento dell'unione

	relationshipConvivenzaHead   = 24 // Responsabile della convivenza non affettiva
	relationshipConvivenzaMember = 25 // Convivente in convivenza non affettiva

	certifiableNone       = 0 // NON CERTIFICABILE
	certifiablePartial    = 1 // CERTIFICABILITA PARZIALE (SOLO RESIDENZA E STATO DI FAMIGLIA)
	certifiableNotAllowed = 3 // SOGGETTO NON ISCRIVIBILE
	certifiableInterdetto = 4 // INTERDETTO SOTTOPOSTO A TUTELA
)

// adultAge is the age of majority (codice civile art. 2).
const adultAge = 18

// partialFacts are the facts a partially certifiable person can have
// certified: "solo residenza e stato di famiglia".
const partialFacts = FactResidence | FactResidenceHistory | FactFamily | FactRelationships | FactConvivenza |
	FactAIREResidence | FactAIREFamily | FactResidenceOnDate

// currentResidence are the facts that only a person living in the comune
// today has.
const currentResidence = FactResidence | FactFamily | FactConvivenza

// Check tells whether the person can have a certificate of type t today,
// and if not why, in Italian, as an EINVALID error. The rules, first match
// wins:
//
//   - Deceased: only the certificate of cancellation, which is what the
//     anagrafe certifies of a deceased person. Every other type certifies a
//     present state (residence, family, civil status, being alive) that a
//     deceased person no longer has, and a birth or citizenship certificate
//     of the dead is an estratto of the stato civile registers, issued by
//     that office, not by the anagrafe counter.
//   - Emigrated to another comune: the historical residence certificate and
//     the cancellation; anything current is certified by the new comune.
//   - AIRE (Italian resident abroad, cancelled from the resident
//     population): no type that certifies a present residence or family in
//     the comune (AIRE residence and family certificates need the address
//     abroad, which the data lacks); birth, citizenship, being alive, civil
//     status, stato libero, the history and the cancellation remain.
//   - Resident: everything but the cancellation.
//   - ANPR non-certifiability (motivi_non_certificabilita): 2 everything;
//     0 (non certificabile) and 3 (soggetto non iscrivibile) nothing; 1
//     only residence and family facts, as its name says. 4 (interdetto
//     sottoposto a tutela) is treated as 1: ANPR gives no rule for it,
//     residence and family are untouched by an interdiction, while civil
//     status and stato libero (an interdetto cannot marry, codice civile art.
//     85) are for the anagrafe office, which sees the annotation.
//   - Per type: citizenship only when Italian (the comune certifies Italian
//     citizenship; a foreign one is certified by its state); civil status
//     only when known; stato libero only for an adult who is celibe/nubile,
//     widowed, divorced or free after a civil union (a minor can marry only
//     by the court's leave, codice civile art. 84, in a procedure that
//     acquires the documents itself); residence in convivenza only for a
//     member of a convivenza anagrafica, and the family certificates never
//     for one (a convivenza is not a family, DPR 223/1989 art. 5).
//   - The types of the civil and residence history (checkCivil, civil.go):
//     morte only for the deceased whose death is recorded; matrimonio and
//     unione civile only for a person married or united now, with the
//     union's data; contratto di convivenza only with a registered contract;
//     the AIRE types only for the AIRE-registered with the address abroad;
//     storico di cittadinanza only with the history, never for AIRE;
//     storico di residenza alla data only with the residence history.
func Check(t Type, c *app.Citizen, today time.Time) error {
	if c == nil {
		return app.Errorf(app.EINVALID, "persona mancante")
	}
	if known, ok := TypeByID(t.ID); !ok || known != t {
		return app.Errorf(app.EINVALID, "tipo di certificato sconosciuto")
	}
	switch c.Status {
	case app.StatusDeceased:
		if t.Slug != SlugCancellazione && t.Slug != SlugMorte {
			return refuse(t, "persona deceduta%s: si rilasciano solo i certificati di cancellazione anagrafica e di morte", since(c.CancelledOn))
		}
	case app.StatusEmigrated:
		if t.Slug != SlugCancellazione && t.Slug != SlugResidenzaStorico && t.Slug != SlugResidenzaAllaData {
			return refuse(t, "persona emigrata%s: lo rilascia il comune di nuova residenza; qui solo il certificato storico di residenza o di cancellazione", since(c.CancelledOn))
		}
	case app.StatusAIRE:
		if t.Facts&currentResidence != 0 {
			return refuse(t, "persona iscritta all'AIRE%s: non risiede nel comune; residenza e famiglia all'estero si certificano con i certificati AIRE", since(c.CancelledOn))
		}
	case app.StatusResident:
		if t.Slug == SlugCancellazione {
			return refuse(t, "la persona è residente: non risulta cancellata dall'anagrafe")
		}
	default:
		return refuse(t, "posizione anagrafica non valida %q", c.Status)
	}

	switch c.Certifiability {
	case app.CertifiableFully:
	case certifiableNone:
		return refuse(t, "persona non certificabile (ANPR: non certificabile)")
	case certifiableNotAllowed:
		return refuse(t, "persona non certificabile (ANPR: soggetto non iscrivibile)")
	case certifiablePartial, certifiableInterdetto:
		if t.Facts&^partialFacts != 0 {
			why := "certificabilità parziale"
			if c.Certifiability == certifiableInterdetto {
				why = "interdetto sottoposto a tutela"
			}
			return refuse(t, "persona certificabile solo per residenza e stato di famiglia (ANPR: %s)", why)
		}
	default:
		return refuse(t, "motivo di non certificabilità ANPR sconosciuto (%d): rivolgersi all'ufficio anagrafe", c.Certifiability)
	}

	convivenza := c.Relationship == relationshipConvivenzaHead || c.Relationship == relationshipConvivenzaMember
	switch {
	case t.Facts.Has(FactCitizenship) && c.Citizenship != "ITA":
		return refuse(t, "la persona non ha la cittadinanza italiana (%s): il comune certifica solo quella", c.Citizenship)
	case t.Facts.Has(FactCivilStatus) && (c.CivilStatus <= 0 || c.CivilStatus == app.CivilStatusUnknown):
		return refuse(t, "stato civile non noto all'anagrafe")
	case t.Facts.Has(FactFreeStatus) && c.AgeOn(today) < adultAge:
		return refuse(t, "persona minorenne")
	case t.Facts.Has(FactFreeStatus) && !freeStatus(c.CivilStatus):
		what := "stato civile incompatibile"
		switch c.CivilStatus {
		case app.CivilStatusMarried:
			what = "persona coniugata"
		case civilStatusCivilUnion:
			what = "persona unita civilmente"
		}
		return refuse(t, "%s", what)
	case t.Facts.Has(FactConvivenza) && !convivenza:
		return refuse(t, "la persona non è iscritta in una convivenza anagrafica")
	case t.Facts.Has(FactFamily) && convivenza:
		return refuse(t, "persona iscritta in una convivenza anagrafica, che non è una famiglia: rilasciare il certificato di residenza in convivenza")
	case t.Facts.Has(FactResidenceHistory) && c.RegisteredOn.IsZero():
		return refuse(t, "data di iscrizione anagrafica non nota: il certificato storico richiede una ricerca d'archivio")
	case t.Facts.Has(FactCancellation) && c.CancelledOn.IsZero():
		return refuse(t, "data di cancellazione non nota")
	}
	return checkCivil(t, c, today)
}

// freeStatus reports whether a civil status is "stato libero".
func freeStatus(code int) bool {
	switch code {
	case app.CivilStatusSingle, app.CivilStatusWidowed, app.CivilStatusDivorced,
		civilStatusFreeAfterPartner, civilStatusFreeAfterDissolving:
		return true
	}
	return false
}

func refuse(t Type, format string, args ...any) error {
	return app.Errorf(app.EINVALID, "Certificato %s non rilasciabile: %s", lowerTitle(t), fmt.Sprintf(format, args...))
}

// lowerTitle is the title without "CERTIFICATO", in lower case, for a
// sentence: "di stato libero".
func lowerTitle(t Type) string {
	// AIRE is an acronym: it stays in capitals.
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(t.Title, "CERTIFICATO ")), " aire", " AIRE")
}

// since is the date of cancellation for a refusal: the anagrafe records
// when the person was cancelled, which is not always the day of the event.
func since(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " (cancellata il " + formatDate(t) + ")"
}
