package cf

import "fmt"

// Reason says which rule of DM 23/12/1976 a code or a person breaks. The
// operator fixes a typo differently depending on it, so callers can tell
// the reasons apart with errors.As.
type Reason uint8

// The reasons, in the order Parse checks them.
const (
	ReasonLength    Reason = iota + 1 // not 16 characters (15 for CheckChar)
	ReasonChar                        // a letter where a digit belongs, or the opposite; Pos says where
	ReasonMonth                       // position 9 is not one of ABCDEHLMPRST
	ReasonDay                         // positions 10-11 are not 01-31 or 41-71
	ReasonDate                        // no such calendar date (31 Feb, 29 Feb of a common year), or no date at all
	ReasonPlace                       // positions 12-15 cannot be a cadastral code or a Z code
	ReasonCheckChar                   // position 16 does not match the other 15
	ReasonSex                         // Compute: sex is neither M nor F
	ReasonSurname                     // Compute: no usable letter in the surname, or one that cannot be transliterated
	ReasonName                        // Compute: the same for the given name
)

// Error is why a codice fiscale or a person's data was refused. Pos is the
// 1-based position the operator should look at: the wrong character for
// ReasonChar, the first of the field for the others (9 month, 10 day, 7
// date, 12 place, 16 check character), 0 for length and for Compute.
// Error() is Italian because it is what the operator reads.
type Error struct {
	Reason Reason
	Pos    int
	// Want is the check character the other 15 call for, set only with
	// ReasonCheckChar: it tells a mistyped last character from a mistyped
	// body.
	Want byte
}

func (e *Error) Error() string {
	switch e.Reason {
	case ReasonLength:
		return "codice fiscale: lunghezza errata, deve avere 16 caratteri"
	case ReasonChar:
		if isDigitPos(e.Pos) {
			return fmt.Sprintf("codice fiscale: carattere non valido in posizione %d (attesa una cifra)", e.Pos)
		}
		return fmt.Sprintf("codice fiscale: carattere non valido in posizione %d (attesa una lettera)", e.Pos)
	case ReasonMonth:
		return "codice fiscale: lettera del mese non valida (posizione 9)"
	case ReasonDay:
		return "codice fiscale: giorno di nascita non valido (posizioni 10-11)"
	case ReasonDate:
		return "codice fiscale: data di nascita inesistente"
	case ReasonPlace:
		return "codice fiscale: codice del luogo di nascita non valido"
	case ReasonCheckChar:
		return fmt.Sprintf("codice fiscale: carattere di controllo errato (atteso %c)", e.Want)
	case ReasonSex:
		return "codice fiscale: sesso non valido (M o F)"
	case ReasonSurname:
		return "codice fiscale: cognome mancante o con caratteri non ammessi"
	case ReasonName:
		return "codice fiscale: nome mancante o con caratteri non ammessi"
	}
	return "codice fiscale: non valido"
}

// EnglishMessage is Error() for the UI's second language.
func (e *Error) EnglishMessage() string {
	switch e.Reason {
	case ReasonLength:
		return "codice fiscale: wrong length, it must have 16 characters"
	case ReasonChar:
		if isDigitPos(e.Pos) {
			return fmt.Sprintf("codice fiscale: invalid character at position %d (a digit is expected)", e.Pos)
		}
		return fmt.Sprintf("codice fiscale: invalid character at position %d (a letter is expected)", e.Pos)
	case ReasonMonth:
		return "codice fiscale: invalid month letter (position 9)"
	case ReasonDay:
		return "codice fiscale: invalid day of birth (positions 10-11)"
	case ReasonDate:
		return "codice fiscale: the date of birth does not exist"
	case ReasonPlace:
		return "codice fiscale: invalid place of birth code"
	case ReasonCheckChar:
		return fmt.Sprintf("codice fiscale: wrong check character (%c expected)", e.Want)
	case ReasonSex:
		return "codice fiscale: invalid sex (M or F)"
	case ReasonSurname:
		return "codice fiscale: surname missing or with characters that are not allowed"
	case ReasonName:
		return "codice fiscale: given name missing or with characters that are not allowed"
	}
	return "codice fiscale: invalid"
}
