package app

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Rome on every machine, whatever the host has installed
)

// Rome is the time zone of the counter's days, receipts, certificates and
// protocol years: Italian time, whatever the machine's zone.
var Rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic("app: Europe/Rome: " + err.Error()) // embedded by time/tzdata: cannot happen
	}
	return loc
}()

// Euro writes an amount in integer cents as an Italian reads it:
// "€ 1.234,50". Amounts are never floats anywhere in Sportello.
func Euro(cents int64) string { return formatEuro(cents, "€ ", ".", ",") }

// EuroEnglish writes the same amount for an English reader: "€1,234.50".
func EuroEnglish(cents int64) string { return formatEuro(cents, "€", ",", ".") }

func formatEuro(cents int64, symbol, thousands, decimal string) string {
	sign := ""
	if cents < 0 {
		sign = "-"
	}
	// Work on the magnitude as unsigned so the smallest int64 does not overflow.
	mag := uint64(cents)
	if cents < 0 {
		mag = uint64(-(cents + 1)) + 1
	}
	units := strconv.FormatUint(mag/100, 10)
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	rest := mag % 100
	return sign + symbol + b.String() + decimal + string(rune('0'+rest/10)) + string(rune('0'+rest%10))
}

// PlaceTitle writes a place's name as registers print it in capitals
// ("SESTO SAN GIOVANNI", "CASSANO D'ADDA", "REGGIO NELL'EMILIA",
// "BOLZANO/BOZEN") the way a letter or a page writes it: "Sesto San
// Giovanni", "Cassano d'Adda", "Reggio nell'Emilia", "Bolzano/Bozen".
// Articles and prepositions inside the name stay lower case, as in ISTAT's
// official denominations; a name already written in mixed case is kept.
func PlaceTitle(s string) string {
	if s != strings.ToUpper(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = titleWord(w, i == 0)
	}
	return strings.Join(words, " ")
}

// lowerWords are the articles and prepositions ISTAT's denominations keep
// in lower case inside a name.
var lowerWords = map[string]bool{
	"di": true, "de": true, "del": true, "dei": true, "della": true, "delle": true, "degli": true,
	"dello": true, "d": true, "a": true, "da": true, "dal": true, "dalla": true, "in": true, "nel": true,
	"nella": true, "nell": true, "sul": true, "sulla": true, "sull": true, "al": true, "alla": true,
	"all": true, "e": true, "ed": true, "la": true, "le": true, "lo": true, "l": true, "il": true,
	"con": true,
}

// titleWord capitalises one word, and each part after an apostrophe, a
// hyphen or a slash ("d'adda" → "d'Adda", "emilia-romagna" →
// "Emilia-Romagna", "bolzano/bozen" → "Bolzano/Bozen").
func titleWord(w string, first bool) string {
	var b strings.Builder
	part := 0
	for len(w) > 0 {
		i := strings.IndexAny(w, "'-/")
		seg, sep := w, ""
		if i >= 0 {
			seg, sep, w = w[:i], w[i:i+1], w[i+1:]
		} else {
			w = ""
		}
		keepLower := lowerWords[seg] && !(first && part == 0)
		if seg != "" && !keepLower {
			r := []rune(seg)
			seg = strings.ToUpper(string(r[0])) + string(r[1:])
		}
		b.WriteString(seg + sep)
		part++
	}
	return b.String()
}
