package cf

import "fmt"

// oddValues is the DM 23/12/1976 table for the characters in odd positions
// (1, 3, …, 15), indexed by 0-9 then A-Z. The digits count as the letters
// of the same rank (0 as A, 1 as B…), so an omocodia letter and its digit
// weigh differently and the check character changes.
var oddValues = [36]byte{
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // A-J
	2, 4, 18, 20, 11, 3, 6, 8, 12, 14, // K-T
	16, 10, 22, 25, 24, 23, // U-Z
}

// checkChar computes the check character of the 15 characters c, which must
// be digits or upper-case letters (DM 23/12/1976): odd positions through the
// odd table, even positions by rank (0-9 as 0-9, A-Z as 0-25), sum mod 26 as
// a letter.
func checkChar(c string) byte {
	sum := 0
	for i := 0; i < 15; i++ {
		b := c[i]
		if i%2 == 0 { // 1-based odd position
			if isDigit(b) {
				sum += int(oddValues[b-'0'])
			} else {
				sum += int(oddValues[10+b-'A'])
			}
		} else if isDigit(b) {
			sum += int(b - '0')
		} else {
			sum += int(b - 'A')
		}
	}
	return byte('A' + sum%26)
}

// CheckChar returns the 16th character of the code whose first 15
// characters are first15. It checks only that there are 15 digits or
// upper-case letters (ReasonLength, ReasonChar): use it to complete a code,
// and Parse to check one.
func CheckChar(first15 string) (byte, error) {
	if len(first15) != 15 {
		return 0, &Error{Reason: ReasonLength}
	}
	for i := 0; i < 15; i++ {
		if !isDigit(first15[i]) && !isUpper(first15[i]) {
			return 0, &Error{Reason: ReasonChar, Pos: i + 1}
		}
	}
	return checkChar(first15), nil
}

// Canonical returns code with every omocodia letter replaced by its digit and
// the check character recomputed: the form the code had before omocodia, the
// one to compare two codes of the same person by. code must be valid.
func Canonical(code string) (string, error) {
	info, err := Parse(code)
	if err != nil {
		return "", err
	}
	return canonical(info.Code), nil
}

func canonical(c string) string {
	b := []byte(c)
	for _, i := range omocodiaOrder {
		b[i] = byte('0' + digitAt(c, i))
	}
	b[15] = checkChar(string(b[:15]))
	return string(b)
}

// Omocode returns the omocodic code of level n (1..7) of the valid code: the
// canonical code with its first n digit positions, in the order of
// substitution 15, 14, 13, 11, 10, 8, 7, replaced by their letters
// (LMNPQRSTUV for 0-9), and the check character recomputed: the form the
// Agenzia delle Entrate gives a code when it has to substitute n digits.
func Omocode(code string, n int) (string, error) {
	if n < 1 || n > len(omocodiaOrder) {
		// A programming error, not a wrong code: no operator chooses the level.
		return "", fmt.Errorf("cf: omocodia level %d out of range 1..7", n)
	}
	info, err := Parse(code)
	if err != nil {
		return "", err
	}
	b := []byte(canonical(info.Code))
	for _, i := range omocodiaOrder[:n] {
		b[i] = omocodia[b[i]-'0']
	}
	b[15] = checkChar(string(b[:15]))
	return string(b), nil
}
