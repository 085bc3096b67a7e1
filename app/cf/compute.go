package cf

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Person is what the codice fiscale of a natural person is computed from.
type Person struct {
	Surname string // for a married woman, her own surname, never the husband's (DM 23/12/1976)
	Name    string // all given names, as registered
	Sex     string // "M" or "F"
	// BirthDate is read as the calendar date in its own location, so that
	// midnight in Rome is not moved to the day before by a UTC conversion.
	BirthDate      time.Time
	BirthPlaceCode string // cadastral code of the comune, or Z code of the foreign state, valid at birth
}

// Compute returns the codice fiscale of p without omocodia, as DM
// 23/12/1976 builds it: surname code, name code, year, month letter, day
// (+40 for women), place code, check character. Accented and other Latin
// letters are folded to their base letter (À to A, Ș to S, ß to SS);
// apostrophes, spaces and other marks are ignored; a letter outside the
// Latin script refuses the person rather than silently giving a wrong code.
func Compute(p Person) (string, error) {
	surname, ok := letters(p.Surname)
	if !ok || len(surname) == 0 {
		return "", &Error{Reason: ReasonSurname}
	}
	name, ok := letters(p.Name)
	if !ok || len(name) == 0 {
		return "", &Error{Reason: ReasonName}
	}
	sex := strings.ToUpper(strings.TrimSpace(p.Sex))
	if sex != "M" && sex != "F" {
		return "", &Error{Reason: ReasonSex}
	}
	y, m, d := p.BirthDate.Date()
	if p.BirthDate.IsZero() || y < 1 {
		return "", &Error{Reason: ReasonDate}
	}
	place := Normalize(p.BirthPlaceCode)
	if !validPlace(place) {
		return "", &Error{Reason: ReasonPlace}
	}
	if sex == "F" {
		d += 40
	}

	b := make([]byte, 0, Length)
	b = appendSurname(b, surname)
	b = appendName(b, name)
	b = append(b, byte('0'+y%100/10), byte('0'+y%10), months[m-1], byte('0'+d/10), byte('0'+d%10))
	b = append(b, place...)
	b = append(b, checkChar(string(b)))
	return string(b), nil
}

// SurnameCode returns the three letters of the codice fiscale for surname
// (DM 23/12/1976): its consonants in order, then its vowels, then X up to
// three letters. "De Luca" gives DLC, "D'Angelo" DNG, "Fo" FOX.
func SurnameCode(surname string) string {
	l, _ := letters(surname)
	return string(appendSurname(make([]byte, 0, 3), l))
}

// NameCode returns the three letters of the codice fiscale for a given name
// (DM 23/12/1976). It is the surname rule, except that a name with four or
// more consonants gives its 1st, 3rd and 4th: "Gianfranco" gives GFR,
// "Maria" MRA, "Luca" LCU.
func NameCode(name string) string {
	l, _ := letters(name)
	return string(appendName(make([]byte, 0, 3), l))
}

func appendSurname(b []byte, l []byte) []byte {
	n := 0
	for _, c := range l {
		if n < 3 && !isVowel(c) {
			b = append(b, c)
			n++
		}
	}
	for _, c := range l {
		if n < 3 && isVowel(c) {
			b = append(b, c)
			n++
		}
	}
	for ; n < 3; n++ {
		b = append(b, 'X')
	}
	return b
}

func appendName(b []byte, l []byte) []byte {
	var cons [4]byte
	n := 0
	for _, c := range l {
		if !isVowel(c) {
			if n < len(cons) {
				cons[n] = c
			}
			n++
		}
	}
	if n >= 4 {
		return append(b, cons[0], cons[2], cons[3])
	}
	return appendSurname(b, l)
}

// isVowel follows the DM, whose vowels are A, E, I, O, U: Y (in foreign
// names) counts as a consonant, as the Agenzia delle Entrate treats it.
func isVowel(c byte) bool {
	switch c {
	case 'A', 'E', 'I', 'O', 'U':
		return true
	}
	return false
}

// letters returns the letters of s as upper-case ASCII, Latin letters with
// diacritics folded to their base letters. Anything that is not a letter
// (apostrophes, spaces, hyphens, dots) is dropped, as the DM counts only
// letters. ok is false if s has a letter that cannot be folded.
func letters(s string) (l []byte, ok bool) {
	l = make([]byte, 0, len(s))
	ok = true
	for _, r := range s {
		switch {
		case 'A' <= r && r <= 'Z':
			l = append(l, byte(r))
		case 'a' <= r && r <= 'z':
			l = append(l, byte(r-'a'+'A'))
		case r < utf8.RuneSelf || !unicode.IsLetter(r):
		default:
			u := unicode.ToUpper(r)
			if 'A' <= u && u <= 'Z' { // the Turkish dotless ı, the long ſ
				l = append(l, byte(u))
				continue
			}
			f, found := fold[u]
			if !found {
				f, found = fold[r]
			}
			if !found {
				ok = false
				continue
			}
			l = append(l, f...)
		}
	}
	return l, ok
}

// fold maps the upper-case Latin letters with diacritics that occur in the
// names of the anagrafe (Italian accents, the languages of the neighbours
// and of the largest foreign communities) to the letters the codice fiscale
// uses. Lower-case letters are looked up through unicode.ToUpper; ß and ĸ
// have no single upper-case letter and are listed as they are.
var fold = map[rune]string{
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "A", 'Å': "A", 'Ā': "A", 'Ă': "A", 'Ą': "A", 'Ǎ': "A",
	'Æ': "AE",
	'Ç': "C", 'Ć': "C", 'Ĉ': "C", 'Ċ': "C", 'Č': "C",
	'Ð': "D", 'Ď': "D", 'Đ': "D",
	'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E", 'Ē': "E", 'Ĕ': "E", 'Ė': "E", 'Ę': "E", 'Ě': "E",
	'Ĝ': "G", 'Ğ': "G", 'Ġ': "G", 'Ģ': "G",
	'Ĥ': "H", 'Ħ': "H",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I", 'Ĩ': "I", 'Ī': "I", 'Ĭ': "I", 'Į': "I", 'İ': "I", 'Ǐ': "I",
	'Ĳ': "IJ",
	'Ĵ': "J",
	'Ķ': "K", 'ĸ': "K",
	'Ĺ': "L", 'Ļ': "L", 'Ľ': "L", 'Ŀ': "L", 'Ł': "L",
	'Ñ': "N", 'Ń': "N", 'Ņ': "N", 'Ň': "N", 'Ŋ': "N",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "O", 'Ø': "O", 'Ō': "O", 'Ŏ': "O", 'Ő': "O", 'Ǒ': "O",
	'Œ': "OE",
	'Ŕ': "R", 'Ŗ': "R", 'Ř': "R",
	'Ś': "S", 'Ŝ': "S", 'Ş': "S", 'Š': "S", 'Ș': "S", 'ß': "SS", 'ẞ': "SS",
	'Ţ': "T", 'Ť': "T", 'Ŧ': "T", 'Ț': "T",
	'Þ': "TH",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "U", 'Ũ': "U", 'Ū': "U", 'Ŭ': "U", 'Ů': "U", 'Ű': "U", 'Ų': "U", 'Ǔ': "U",
	'Ŵ': "W",
	'Ý': "Y", 'Ŷ': "Y", 'Ÿ': "Y",
	'Ź': "Z", 'Ż': "Z", 'Ž': "Z",
}
