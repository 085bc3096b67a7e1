package app

import (
	"regexp"
	"strings"
	"unicode"
)

// MaxQueryLength bounds what the search box accepts.
const MaxQueryLength = 100

// Query is what the operator typed in the search box, read both as (a
// prefix of) a codice fiscale and as "surname name" in either order.
type Query struct {
	Text     string
	CFPrefix string   // set when the text could be the start of a codice fiscale
	Tokens   []string // name keys of the words, in the order typed
}

// NameSplit is one reading of the words of a query: which ones make the
// surname and which the given name. Keys are NameKey-folded.
type NameSplit struct {
	Surname       string
	SurnamePrefix bool // the surname is still being typed
	Given         string
	GivenPrefix   bool
}

// cfPrefixRE matches every prefix of a codice fiscale's shape (DM
// 23/12/1976: 6 letters, 2 digits, month letter, 2 digits, place letter, 3
// digits, check letter; digits may be omocodia letters).
var cfPrefixRE = regexp.MustCompile(`^[A-Z]{1,6}$|^[A-Z]{6}[0-9LMNPQRSTUV]{1,2}$|^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST]([0-9LMNPQRSTUV]{1,2}([A-Z]([0-9LMNPQRSTUV]{1,3}[A-Z]?)?)?)?$`)

// ParseQuery reads the text of the search box. It returns EINVALID for an
// empty or overlong text.
func ParseQuery(text string) (Query, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Query{}, Errorf(EINVALID, "scrivere un codice fiscale o cognome e nome")
	}
	if len([]rune(text)) > MaxQueryLength {
		return Query{}, Errorf(EINVALID, "ricerca troppo lunga: al massimo %d caratteri", MaxQueryLength)
	}
	q := Query{Text: text}
	if up := strings.ToUpper(text); cfPrefixRE.MatchString(up) {
		q.CFPrefix = up
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if k := NameKey(w); k != "" {
			q.Tokens = append(q.Tokens, k)
		}
	}
	if q.CFPrefix != "" && strings.ContainsAny(q.CFPrefix, "0123456789") {
		// A digit makes it a codice fiscale: no name has one.
		q.Tokens = nil
	}
	if q.CFPrefix == "" && len(q.Tokens) == 0 {
		return Query{}, Errorf(EINVALID, "scrivere un codice fiscale o cognome e nome")
	}
	return q, nil
}

// Splits lists the readings of the words, most likely first: surname first
// (as counters and the anagrafe write names), then given name first. A
// multi-word surname ("De Luca", "Dalla Chiesa") is read by joining words,
// so "de luca mario", "deluca mario" and "d'angelo" all find their person.
func (q Query) Splits() []NameSplit {
	n := len(q.Tokens)
	if n == 0 {
		return nil
	}
	var out []NameSplit
	out = append(out, NameSplit{Surname: strings.Join(q.Tokens, ""), SurnamePrefix: true})
	for k := n - 1; k >= 1; k-- {
		out = append(out, NameSplit{
			Surname: strings.Join(q.Tokens[:k], ""),
			Given:   strings.Join(q.Tokens[k:], ""), GivenPrefix: true,
		})
	}
	for k := 1; k < n; k++ { // given name first: "Mario De Luca"
		out = append(out, NameSplit{
			Surname: strings.Join(q.Tokens[k:], ""), SurnamePrefix: true,
			Given: strings.Join(q.Tokens[:k], ""),
		})
	}
	return out
}

// NameKey folds a name for search: letters only, upper case, without
// accents, apostrophes or spaces ("D'Angelo" and "dangelo" give DANGELO,
// "Nicolò" gives NICOLO).
func NameKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		r = unicode.ToUpper(r)
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldTable folds the Latin letters with diacritics found in Italian and in
// the names of the largest foreign communities (Romanian, Albanian, Polish,
// Spanish, German, French, Turkish…) to their base letters, as ANPR's
// transliteration does.
var foldTable = func() map[rune]string {
	groups := map[string]string{
		"A":  "ÀÁÂÃÄÅĀĂĄàáâãäåāăą",
		"AE": "Ææ",
		"C":  "ÇĆĈĊČçćĉċč",
		"D":  "ĎĐďđ",
		"E":  "ÈÉÊËĒĔĖĘĚèéêëēĕėęě",
		"G":  "ĜĞĠĢĝğġģ",
		"H":  "ĤĦĥħ",
		"I":  "ÌÍÎÏĨĪĬĮİìíîïĩīĭįı",
		"J":  "Ĵĵ",
		"K":  "Ķķ",
		"L":  "ĹĻĽĿŁĺļľŀł",
		"N":  "ÑŃŅŇñńņň",
		"O":  "ÒÓÔÕÖØŌŎŐòóôõöøōŏő",
		"OE": "Œœ",
		"R":  "ŔŖŘŕŗř",
		"S":  "ŚŜŞŠȘśŝşšș",
		"SS": "ß",
		"T":  "ŢŤŦȚţťŧț",
		"U":  "ÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűų",
		"W":  "Ŵŵ",
		"Y":  "ÝŶŸýÿŷ",
		"Z":  "ŹŻŽźżž",
	}
	m := make(map[rune]string)
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()
