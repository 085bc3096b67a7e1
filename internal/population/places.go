package population

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
)

// streets is the toponymy of the demo comune: what the streets of a
// Lombard comune are named after (the Risorgimento, the Resistance, the
// Great War, the victims of the Mafia, the saints, the neighbouring cities),
// with the particles the registry writes (Via, Viale, Piazza, Corso,
// Largo, Vicolo).
var streets = []string{
	"Via Giuseppe Garibaldi", "Via Giuseppe Mazzini", "Corso Vittorio Emanuele II", "Via Camillo Benso di Cavour",
	"Viale Italia", "Piazza della Repubblica", "Via Fratelli Bandiera", "Via Roma", "Via Dante Alighieri",
	"Via Alessandro Manzoni", "Via Giacomo Matteotti", "Viale Antonio Gramsci", "Viale della Libertà",
	"Via XX Settembre", "Via IV Novembre", "Via XXV Aprile", "Piazza Martiri della Libertà",
	"Via Papa Giovanni XXIII", "Via Giovanni Pascoli", "Via Ugo Foscolo", "Via Giacomo Leopardi",
	"Via Giuseppe Verdi", "Via Gioachino Rossini", "Via Giacomo Puccini", "Via Vincenzo Bellini",
	"Via Gaetano Donizetti", "Via Leonardo da Vinci", "Via Galileo Galilei", "Via Alessandro Volta",
	"Via Guglielmo Marconi", "Via Enrico Fermi", "Via Cesare Battisti", "Via Nazario Sauro", "Via Fabio Filzi",
	"Via Goffredo Mameli", "Via Carlo Pisacane", "Via Ciro Menotti", "Via Silvio Pellico", "Via Francesco Crispi",
	"Via Giuseppe Di Vittorio", "Via Piero Gobetti", "Via Fratelli Rosselli", "Via Fratelli Cervi",
	"Via Don Giovanni Minzoni", "Via Don Luigi Sturzo", "Via Aldo Moro", "Via Alcide De Gasperi",
	"Via Enrico Berlinguer", "Via Sandro Pertini", "Via Luigi Einaudi", "Via Giovanni Falcone",
	"Via Paolo Borsellino", "Via Carlo Alberto dalla Chiesa", "Viale Europa", "Via dei Mille",
	"Viale delle Rimembranze", "Via del Lavoro", "Via della Resistenza", "Via della Pace",
	"Via San Francesco d'Assisi", "Via Santa Caterina da Siena", "Via Sant'Ambrogio", "Via San Carlo Borromeo",
	"Piazza del Duomo", "Largo Alfonso Lamarmora", "Via Monte Grappa", "Via Monte Rosa", "Via Piave", "Via Isonzo",
	"Via Trento", "Via Trieste", "Via Gorizia", "Via Fiume", "Viale Lombardia", "Corso Italia", "Via Milano",
	"Via Monza", "Via Bergamo", "Via Como", "Via Felice Cavallotti", "Viale Ercole Marelli", "Via Ernesto Breda",
	"Vicolo del Forno", "Via Adua", "Via Carducci", "Via Cristoforo Colombo", "Via Amerigo Vespucci",
}

// cityPostcodes are the comuni with a range of CAPs, one per district: a
// street gets one CAP of the range, always the same. The others have one CAP.
var cityPostcodes = map[string][2]int{
	"F205": {20121, 20162}, // Milano
	"H501": {118, 199},     // Roma, 00118-00199
	"L219": {10121, 10156}, // Torino
	"F839": {80121, 80147}, // Napoli
	"G273": {90121, 90151}, // Palermo
	"D969": {16121, 16167}, // Genova
	"A944": {40121, 40141}, // Bologna
	"D612": {50121, 50145}, // Firenze
	"A662": {70121, 70132}, // Bari
	"C351": {95121, 95131}, // Catania
	"L781": {37121, 37142}, // Verona
	"L736": {30121, 30176}, // Venezia
}

// comunePostcodes are the single CAPs known as facts. A comune that is
// neither here nor in cityPostcodes gets a plausible one from its
// province (provincePostcodes).
var comunePostcodes = map[string]string{
	"I690": "20099", // Sesto San Giovanni
	"C707": "20092", // Cinisello Balsamo
	"C895": "20093", // Cologno Monzese
	"B162": "20091", // Bresso
	"A794": "24121", // Bergamo
	"B157": "25121", // Brescia
	"F704": "20900", // Monza
}

// provincePostcodes are the first two digits of the CAPs of each province.
// The third digit is 0 outside the provincial capital, so a made-up CAP of
// the form PP0NN looks like the CAP of a small comune of the province.
var provincePostcodes = map[string]string{
	"AG": "92", "AL": "15", "AN": "60", "AO": "11", "AP": "63", "AQ": "67", "AR": "52", "AT": "14", "AV": "83",
	"BA": "70", "BG": "24", "BI": "13", "BL": "32", "BN": "82", "BO": "40", "BR": "72", "BS": "25", "BT": "76",
	"BZ": "39", "CA": "09", "CB": "86", "CE": "81", "CH": "66", "CL": "93", "CN": "12", "CO": "22", "CR": "26",
	"CS": "87", "CT": "95", "CZ": "88", "EN": "94", "FC": "47", "FE": "44", "FG": "71", "FI": "50", "FM": "63",
	"FR": "03", "GE": "16", "GO": "34", "GR": "58", "IM": "18", "IS": "86", "KR": "88", "LC": "23", "LE": "73",
	"LI": "57", "LO": "26", "LT": "04", "LU": "55", "MB": "20", "MC": "62", "ME": "98", "MI": "20", "MN": "46",
	"MO": "41", "MS": "54", "MT": "75", "NA": "80", "NO": "28", "NU": "08", "OR": "09", "PA": "90", "PC": "29",
	"PD": "35", "PE": "65", "PG": "06", "PI": "56", "PN": "33", "PO": "59", "PR": "43", "PT": "51", "PU": "61",
	"PV": "27", "PZ": "85", "RA": "48", "RC": "89", "RE": "42", "RG": "97", "RI": "02", "RM": "00", "RN": "47",
	"RO": "45", "SA": "84", "SI": "53", "SO": "23", "SP": "19", "SR": "96", "SS": "07", "SU": "09", "SV": "17",
	"TA": "74", "TE": "64", "TN": "38", "TO": "10", "TP": "91", "TR": "05", "TS": "34", "TV": "31", "UD": "33",
	"VA": "21", "VB": "28", "VC": "13", "VE": "30", "VI": "36", "VR": "37", "VT": "01", "VV": "89",
}

// postcoder gives the CAP of a street of the comune.
type postcoder func(street int) string

func newPostcoder(fixed string, c anpr.Comune) (postcoder, error) {
	if fixed != "" {
		return func(int) string { return fixed }, nil
	}
	if r, ok := cityPostcodes[c.Code]; ok {
		n := r[1] - r[0] + 1
		return func(street int) string { return fmt.Sprintf("%05d", r[0]+street%n) }, nil
	}
	if p, ok := comunePostcodes[c.Code]; ok {
		return func(int) string { return p }, nil
	}
	prefix, ok := provincePostcodes[c.Province]
	if !ok {
		return nil, app.Errorf(app.EINVALID, "CAP del comune %s (provincia %q) sconosciuto: indicarlo nelle opzioni", c.Code, c.Province)
	}
	num, _ := strconv.Atoi(c.Code[1:])
	p := fmt.Sprintf("%s0%02d", prefix, num%100)
	return func(int) string { return p }, nil
}

// places draws places of birth that existed on the day of birth.
type places struct {
	home     []anpr.Comune // the records of the comune itself
	province []anpr.Comune // records of the comune's province, itself included
	all      []anpr.Comune // every record with a Belfiore code
	// renamed are the records of a code under a name it no longer has (A562
	// was BAGNI SAN GIULIANO until 1935): the demo puts a few people there,
	// so that a counter shows a birth place by its name at birth.
	renamed    []anpr.Comune
	renamedEnd time.Time    // the last day any renamed record covers
	abroad     []anpr.State // where Italians are born abroad
	states     []anpr.State // all states, for lookups by ISO3
}

func covers(from, to, d time.Time) bool {
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// pickComune draws a record of list that covers day, trying at random a few
// times (most records cover most days) before scanning the whole list.
func (g *generator) pickComune(list []anpr.Comune, day time.Time) (string, bool) {
	if len(list) == 0 {
		return "", false
	}
	for range 8 {
		c := &list[g.rng.IntN(len(list))]
		if covers(c.ValidFrom, c.ValidTo, day) {
			return c.Code, true
		}
	}
	start := g.rng.IntN(len(list))
	for i := range list {
		c := &list[(start+i)%len(list)]
		if covers(c.ValidFrom, c.ValidTo, day) {
			return c.Code, true
		}
	}
	return "", false
}

// Where Italians are born, in shares that add up to one: the comune itself
// (its hospital, or the one its people use), the rest of its province,
// anywhere in the tables (the migrations from the South and within the
// North), abroad.
const (
	shareHome     = 0.45
	shareProvince = 0.25
	shareAbroad   = 0.015
	shareRenamed  = 0.03 // of those born while a renamed record was in force
)

// italianBirthPlace draws the birth place of an Italian citizen born on day.
func (g *generator) italianBirthPlace(day time.Time) string {
	p := &g.places
	x := g.rng.Float64()
	if day.Before(p.renamedEnd) && g.rng.Float64() < shareRenamed {
		if code, ok := g.pickComune(p.renamed, day); ok {
			return code
		}
	}
	if x < shareAbroad {
		if s, ok := g.pickState(p.abroad, day); ok {
			return s
		}
	}
	if x < shareAbroad+shareHome {
		if code, ok := g.pickComune(p.home, day); ok {
			return code
		}
	}
	if x < shareAbroad+shareHome+shareProvince {
		if code, ok := g.pickComune(p.province, day); ok {
			return code
		}
	}
	if code, ok := g.pickComune(p.all, day); ok {
		return code
	}
	// No comune of the tables existed on that day (a person born before
	// 1861, or tables without history): the comune itself is the least
	// surprising answer.
	return g.comune.Code
}

func (g *generator) pickState(list []anpr.State, day time.Time) (string, bool) {
	for range 8 {
		s := &list[g.rng.IntN(len(list))]
		if covers(s.ValidFrom, s.ValidTo, day) {
			return s.Code, true
		}
	}
	return "", false
}
