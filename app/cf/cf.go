// Package cf validates, decodes and computes the Italian codice fiscale of
// natural persons (DM 23/12/1976), including omocodia.
//
// The codice fiscale was instituted by DPR 29/09/1973 n. 605; its layout for
// natural persons is fixed by the annex of DM 23/12/1976. Its 16 characters
// are (1-based positions):
//
//	1-3    surname code                 letters
//	4-6    given name code              letters
//	7-8    year of birth, last 2 digits digits
//	9      month of birth               one of ABCDEHLMPRST
//	10-11  day of birth, +40 for women  digits
//	12-15  place of birth               letter + 3 digits (cadastral code, or Z code of a foreign state)
//	16     check character              letter
//
// When two people would get the same code (omocodia), the Agenzia delle
// Entrate replaces digits by letters, from the right, at positions 15, 14,
// 13, 11, 10, 8, 7, using 0-9 -> LMNPQRSTUV, and recomputes the check
// character. Every function here accepts such codes.
package cf

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Places resolves a birth place code (the Belfiore/cadastral code of an
// Italian comune, or the Z code of a foreign state) to its name valid on a
// date. A date is needed because comuni are renamed, merged and split: the
// code in a codice fiscale is the one in force at birth.
type Places interface {
	PlaceName(code string, on time.Time) (name string, ok bool)
}

// Info is what a valid codice fiscale says about its holder.
type Info struct {
	Code           string    // normalized (upper case, no spaces)
	Sex            string    // "M" or "F"
	BirthDate      time.Time // UTC midnight
	BirthPlaceCode string    // e.g. "A562"; digits restored if omocodic ("A562" from "A5N2")
	Foreign        bool      // birth place code starts with Z
	Omocodia       bool      // at least one of positions 7,8,10,11,13,14,15 (1-based) carries a letter
}

// BirthPlace is the name of the birth place on the birth date, as p knows it.
func (i Info) BirthPlace(p Places) (name string, ok bool) {
	return p.PlaceName(i.BirthPlaceCode, i.BirthDate)
}

// Length is the number of characters of a codice fiscale of a natural person.
const Length = 16

// months are the month letters of DM 23/12/1976, January to December. They
// are not A-L: F, G, I, N, O and Q are skipped, so a check by rank is wrong.
const months = "ABCDEHLMPRST"

// omocodia are the letters that stand for the digits 0-9 in an omocodic
// code, as the Agenzia delle Entrate substitutes them. I and O, which could
// be read as 1 and 0, are not among them.
const omocodia = "LMNPQRSTUV"

// omocodiaOrder lists the 0-based indexes of the digit positions in the order
// the Agenzia delle Entrate substitutes them: 15, 14, 13, 11, 10, 8, 7.
var omocodiaOrder = [7]int{14, 13, 12, 10, 9, 7, 6}

// isDigitPos reports whether the 1-based position pos holds a digit (or its
// omocodia letter) in a codice fiscale.
func isDigitPos(pos int) bool {
	switch pos {
	case 7, 8, 10, 11, 13, 14, 15:
		return true
	}
	return false
}

// Normalize trims s, removes the spaces inside it and upper-cases it, as an
// operator copying a code from a card or a form may leave them. Only ASCII
// letters are upper-cased: a non-ASCII letter never becomes a valid
// character by case mapping (Go maps "ı" to "I" and "ſ" to "S").
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case 'a' <= r && r <= 'z':
			b.WriteByte(byte(r - 'a' + 'A'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Parse validates code and decodes it. The year of birth has two digits: a
// year after the current one is taken as 19yy, any other as 20yy.
func Parse(code string) (Info, error) {
	return ParseAt(code, time.Now())
}

// ParseAt is Parse with today given, so that the century it chooses is
// deterministic: yy greater than today's yy means 19yy, otherwise 20yy.
//
// The checks run in this order, and the first that fails is returned as an
// *Error: length, the character class of each position from left to right
// (month letter included), day, calendar date, place code, check character.
func ParseAt(code string, today time.Time) (Info, error) {
	c := Normalize(code)
	if err := checkChars(c); err != nil {
		return Info{}, err
	}
	var info Info
	info.Code = c

	yy := digitAt(c, 6)*10 + digitAt(c, 7)
	month := strings.IndexByte(months, c[8]) + 1
	day := digitAt(c, 9)*10 + digitAt(c, 10)
	info.Sex = "M"
	switch {
	case 1 <= day && day <= 31:
	case 41 <= day && day <= 71:
		// DM 23/12/1976: for women the day of birth is increased by 40.
		info.Sex = "F"
		day -= 40
	default:
		return Info{}, &Error{Reason: ReasonDay, Pos: 10}
	}
	year := 2000 + yy
	if yy > today.Year()%100 {
		year = 1900 + yy
	}
	info.BirthDate = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if info.BirthDate.Day() != day { // time.Date rolled 31 Feb over into March
		return Info{}, &Error{Reason: ReasonDate, Pos: 7}
	}

	place := []byte{c[11], byte('0' + digitAt(c, 12)), byte('0' + digitAt(c, 13)), byte('0' + digitAt(c, 14))}
	info.BirthPlaceCode = string(place)
	if !validPlace(info.BirthPlaceCode) {
		return Info{}, &Error{Reason: ReasonPlace, Pos: 12}
	}
	info.Foreign = c[11] == 'Z'

	want := checkChar(c[:15])
	if c[15] != want {
		return Info{}, &Error{Reason: ReasonCheckChar, Pos: 16, Want: want}
	}
	for _, i := range omocodiaOrder {
		if !isDigit(c[i]) {
			info.Omocodia = true
			break
		}
	}
	return info, nil
}

// Valid reports whether code is a valid codice fiscale of a natural person.
func Valid(code string) bool {
	_, err := Parse(code)
	return err == nil
}

// checkChars checks the length and the character class of every position of
// the normalized code c, left to right, so that the operator is pointed at
// the first wrong character.
func checkChars(c string) error {
	if len(c) != Length {
		if utf8.RuneCountInString(c) != Length {
			return &Error{Reason: ReasonLength}
		}
		// 16 characters, but some are not ASCII: fall through so the
		// error names the first of them.
	}
	pos := 0
	for _, r := range c {
		pos++
		if r >= utf8.RuneSelf {
			if pos == 9 {
				return &Error{Reason: ReasonMonth, Pos: pos}
			}
			return &Error{Reason: ReasonChar, Pos: pos}
		}
		b := byte(r)
		switch {
		case pos == 9:
			if strings.IndexByte(months, b) < 0 {
				return &Error{Reason: ReasonMonth, Pos: pos}
			}
		case isDigitPos(pos):
			// DM 23/12/1976 puts a digit here; omocodia may replace any
			// of these digits by its letter.
			if !isDigit(b) && strings.IndexByte(omocodia, b) < 0 {
				return &Error{Reason: ReasonChar, Pos: pos}
			}
		default:
			if !isUpper(b) {
				return &Error{Reason: ReasonChar, Pos: pos}
			}
		}
	}
	return nil
}

// digitAt is the digit at index i of a code that passed checkChars, with an
// omocodia letter read back as its digit.
func digitAt(c string, i int) int {
	if isDigit(c[i]) {
		return int(c[i] - '0')
	}
	return strings.IndexByte(omocodia, c[i])
}

// validPlace reports whether code, with any omocodia undone, can be a birth
// place code. The DM asks for the cadastral code of the comune of birth, or
// the code of the foreign state; the Agenzia delle Entrate's cadastral codes
// start with A-I, L or M (A001-M434 in ANPR's archive of every comune since
// 1861) and the foreign states' with Z. No code has number 000.
func validPlace(code string) bool {
	if len(code) != 4 || !strings.Contains("ABCDEFGHILMZ", code[:1]) || code[1:] == "000" {
		return false
	}
	return isDigit(code[1]) && isDigit(code[2]) && isDigit(code[3])
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }
