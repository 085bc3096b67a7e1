package anpr

import "time"

// Defaults returns a small set of tables written as code, for tests and
// tools that need tables without parsing the whole archive (the binaries use
// the full release built in, internal/anprdir.BuiltIn): every row of the six
// code tables, about a hundred comuni (the provincial capitals of Lombardy,
// the largest cities, the comuni around Milano and Sesto San Giovanni, a few
// with their history) and about fifty states (those most citizens of a
// Lombard comune come from, plus ITALIA and APOLIDE for citizenship). Every record is copied unchanged
// from the published tables; a test checks that against them. Each call
// returns new slices, which the caller may change.
func Defaults() *Tables {
	t := &Tables{
		CertificateTypes: []Entry{
			{ID: 1, Description: "Anagrafico di nascita"},
			{ID: 2, Description: "Anagrafico di morte"},
			{ID: 3, Description: "Anagrafico di matrimonio"},
			{ID: 4, Description: "di Cancellazione anagrafica"},
			{ID: 5, Description: "di Cittadinanza"},
			{ID: 6, Description: "storico di Cittadinanza"},
			{ID: 7, Description: "di Esistenza in vita"},
			{ID: 8, Description: "di Residenza"},
			{ID: 9, Description: "storico di Residenza"},
			{ID: 10, Description: "di Residenza AIRE"},
			{ID: 11, Description: "di Stato civile"},
			{ID: 12, Description: "di Stato di famiglia"},
			{ID: 13, Description: "di Stato di famiglia e di stato civile"},
			{ID: 14, Description: "di Residenza in convivenza"},
			{ID: 15, Description: "di Stato di famiglia AIRE"},
			{ID: 16, Description: "di Stato di famiglia con rapporti di parentela"},
			{ID: 17, Description: "di Stato Libero"},
			{ID: 18, Description: "Anagrafico di Unione Civile"},
			{ID: 19, Description: "di Contratto di Convivenza"},
			{ID: 20, Description: "Storico di Residenza alla data"},
		},
		BolloExemptions: []Entry{
			{ID: 1, Description: "ONLUS - art. 27 bis, tabella allegato B)  DPR 642/1972"},
			{ID: 2, Description: "SOCIETA' SPORTIVE - art. 8 bis, tabella allegato B)  DPR 642/1972"},
			{ID: 3, Description: "PROCESSUALE (certificati da produrre nel procedimento) - art. 18 DPR 30.5.2002, n. 115 e Circ. Agenzia delle entrate, 14.8.2002, n. 70/E"},
			{ID: 4, Description: "C.T.U. nominato dal Tribunale o dal Pubblico ministero; CURATORE FALLIMENTARE - art. 16, tabella allegato B) DPR 642/1972", Flag: true},
			{ID: 5, Description: "INTERDIZIONE, INABILITAZIONE, AMMINISTRAZIONE DI SOSTEGNO (certificati da produrre nel procedimento) - art. 13, tabella allegato B) DPR 642/72 e Circ. MIN. GIUST. prot. M-DG. DAG del 5 febbraio 2007.14803.U"},
			{ID: 6, Description: "ADOZIONE, AFFIDAMENTO, TUTELA MINORI - art. 13, tabella allegato B)  DPR 642/1972 e art. 82 L. 184/1983", Flag: true},
			{ID: 7, Description: "SEPARAZIONE/DIVORZIO ai sensi dell'art. 19 della legge 74/1987", Flag: true},
			{ID: 8, Description: "VARIAZIONE TOPONOMASTICA STRADALE E NUMERAZIONE CIVICA ai sensi dell'art. 16 co. 8, della L. 537/1993"},
			{ID: 9, Description: "PENSIONE ESTERA - art. 9, tabella allegato B)  DPR 642/1972"},
			{ID: 10, Description: "SCAMBIO DI ATTI E DOCUMENTI FRA PP.AA. - art. 16, tabella allegato B) DPR 642/1972", Flag: true},
			{ID: 99, Description: "ALTRO MOTIVO DI ESENZIONE"},
		},
		// ANPR closed the four rows with a note on 2015-09-15 (the table
		// gives it as the Excel serial 42262); they stay, to name old
		// records.
		Relationships: []Entry{
			{ID: 26, Description: "Tutore"},
			{ID: 1, Description: "Intestatario Scheda"},
			{ID: 2, Description: "Marito / Moglie"},
			{ID: 3, Description: "Figlio / Figlia"},
			{ID: 4, Description: "Nipote (discendente)"},
			{ID: 5, Description: "Pronipote (discendente)"},
			{ID: 6, Description: "Padre / Madre"},
			{ID: 7, Description: "Nonno / Nonna"},
			{ID: 8, Description: "Bisnonno / Bisnonna"},
			{ID: 9, Description: "Fratello / Sorella"},
			{ID: 10, Description: "Nipote (collaterale)"},
			{ID: 11, Description: "Zio / Zia (Collaterale)"},
			{ID: 12, Description: "Cugino / Cugina"},
			{ID: 13, Description: "Altro Parente"},
			{ID: 16, Description: "Genero / Nuora"},
			{ID: 17, Description: "Suocero / Suocera"},
			{ID: 18, Description: "Cognato / Cognata"},
			{ID: 20, Description: "Nipote (Affine)"},
			{ID: 21, Description: "Zio / Zia (Affine)"},
			{ID: 22, Description: "Altro Affine"},
			{ID: 23, Description: "Convivente (con vincoli di adozione o affettivi)"},
			{ID: 24, Description: "Responsabile della convivenza non affettiva"},
			{ID: 25, Description: "Convivente in convivenza non affettiva"},
			{ID: 99, Description: "Non definito/comunicato"},
			{ID: 14, Description: "Figliastro / Figliastra", ValidTo: date("2015-09-15"), Note: "Utilizzabile solo al subentro"},
			{ID: 15, Description: "Patrigno / Matrigna", ValidTo: date("2015-09-15"), Note: "Utilizzabile solo al subentro"},
			{ID: 19, Description: "Fratellastro / Sorellastra", ValidTo: date("2015-09-15"), Note: "Utilizzabile solo al subentro"},
			{ID: 80, Description: "Adottato", ValidTo: date("2015-09-15"), Note: "Utilizzabile solo al subentro"},
			{ID: 81, Description: "Nipote"},
			{ID: 28, Description: "Unito civilmente"},
		},
		CivilStatus: []Entry{
			{ID: 1, Description: "Celibe/Nubile"},
			{ID: 2, Description: "Coniugato/a"},
			{ID: 3, Description: "Vedovo/a"},
			{ID: 4, Description: "Divorziato/a"},
			{ID: 9, Description: "Non classificabile/ignoto/n.c"},
			{ID: 6, Description: "Unito civilmente"},
			{ID: 7, Description: "Stato libero a seguito di decesso della parte unita civilmente"},
			{ID: 8, Description: "Stato libero a seguito di scioglimento dell'unione"},
		},
		CitizenshipTypes: []Entry{
			{ID: 1, Description: "Italiana"},
			{ID: 2, Description: "Straniera"},
			{ID: 3, Description: "Straniera paesi U.E."},
			{ID: 4, Description: "Straniera paesi dello Spazio Economico Europeo e paesi  con accordi di associazione"},
			{ID: 5, Description: "Straniera paesi non U.E."},
			{ID: 9, Description: "Tutte"},
		},
		NonCertifiability: []Entry{
			{ID: 0, Description: "NON CERTIFICABILE"},
			{ID: 1, Description: "CERTIFICABILITA PARZIALE (SOLO RESIDENZA E STATO DI FAMIGLIA)"},
			{ID: 2, Description: "CERTIFICABILITA COMPLETA"},
			{ID: 3, Description: "SOGGETTO NON ISCRIVIBILE"},
			{ID: 4, Description: "INTERDETTO SOTTOPOSTO A TUTELA"},
		},
	}
	for _, r := range defaultComuni {
		t.Comuni = append(t.Comuni, r.comune())
	}
	for _, r := range defaultStates {
		t.States = append(t.States, r.state())
	}
	return t
}

// Italy is the row of stati_esteri for Italy: the code of Italian
// citizenship is its ISTAT code "100" (ISO3 "ITA"). It has no Z code, since
// a person born in Italy has a comune as place of birth.
func Italy() State { return italy.state() }

// date parses the ISO dates of the defaults; they are constants, so a bad one
// is a programming error that the tests catch.
func date(iso string) time.Time {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		panic(err)
	}
	return t
}

// comuneRow is a Comune as the archive writes it, so that each line reads
// against the published record.
type comuneRow struct {
	code, istat, name, altName, province, from, to string
	active                                         bool
}

func (r comuneRow) comune() Comune {
	return Comune{
		Code: r.code, Istat: r.istat, Name: r.name, AltName: r.altName, Province: r.province,
		ValidFrom: date(r.from), ValidTo: date(r.to), Active: r.active,
	}
}

var defaultComuni = []comuneRow{
	// Lombardy: the provincial capitals. MONZA changed province (MI to MB) and ISTAT code in 2009.
	{"F205", "015146", "MILANO", "", "MI", "1997-07-26", "9999-12-31", true},
	{"A794", "016024", "BERGAMO", "", "BG", "2010-02-13", "9999-12-31", true},
	{"B157", "017029", "BRESCIA", "", "BS", "1928-11-27", "9999-12-31", true},
	{"C933", "013075", "COMO", "", "CO", "1947-11-03", "9999-12-31", true},
	{"D150", "019036", "CREMONA", "", "CR", "1940-08-28", "9999-12-31", true},
	{"E507", "097042", "LECCO", "", "LC", "1992-04-16", "9999-12-31", true},
	{"E648", "098031", "LODI", "", "LO", "1992-04-16", "9999-12-31", true},
	{"E897", "020030", "MANTOVA", "", "MN", "1943-02-24", "9999-12-31", true},
	{"G388", "018110", "PAVIA", "", "PV", "2005-02-19", "9999-12-31", true},
	{"I829", "014061", "SONDRIO", "", "SO", "1861-03-17", "9999-12-31", true},
	{"L682", "012133", "VARESE", "", "VA", "1950-12-24", "9999-12-31", true},
	{"F704", "108033", "MONZA", "", "MB", "2009-06-30", "9999-12-31", true},
	{"F704", "015149", "MONZA", "", "MI", "1938-06-02", "2009-06-29", false},
	// The largest cities of Italy. BOLZANO, AOSTA and TRIESTE have a name in a second official language.
	{"H501", "058091", "ROMA", "", "RM", "1992-04-04", "9999-12-31", true},
	{"F839", "063049", "NAPOLI", "", "NA", "1929-04-13", "9999-12-31", true},
	{"L219", "001272", "TORINO", "", "TO", "1889-08-12", "9999-12-31", true},
	{"G273", "082053", "PALERMO", "", "PA", "1929-06-18", "9999-12-31", true},
	{"D969", "010025", "GENOVA", "", "GE", "1926-02-06", "9999-12-31", true},
	{"A944", "037006", "BOLOGNA", "", "BO", "1937-12-06", "9999-12-31", true},
	{"D612", "048017", "FIRENZE", "", "FI", "1939-11-15", "9999-12-31", true},
	{"A662", "072006", "BARI", "", "BA", "1937-04-02", "9999-12-31", true},
	{"C351", "087015", "CATANIA", "", "CT", "1926-03-18", "9999-12-31", true},
	{"L781", "023091", "VERONA", "", "VR", "1975-01-29", "9999-12-31", true},
	{"L736", "027042", "VENEZIA", "", "VE", "1999-04-17", "9999-12-31", true},
	{"F158", "083048", "MESSINA", "", "ME", "1986-03-09", "9999-12-31", true},
	{"G224", "028060", "PADOVA", "", "PD", "1866-11-19", "9999-12-31", true},
	{"L424", "032006", "TRIESTE", "TRST", "TS", "1947-09-16", "9999-12-31", true},
	{"G337", "034027", "PARMA", "", "PR", "1962-02-03", "9999-12-31", true},
	{"L049", "073027", "TARANTO", "", "TA", "2006-03-10", "9999-12-31", true},
	{"G999", "100005", "PRATO", "", "PO", "1992-04-16", "9999-12-31", true},
	{"F257", "036023", "MODENA", "", "MO", "1861-03-17", "9999-12-31", true},
	{"H224", "080063", "REGGIO DI CALABRIA", "", "RC", "1977-02-27", "9999-12-31", true},
	{"H223", "035033", "REGGIO NELL'EMILIA", "", "RE", "1862-10-20", "9999-12-31", true},
	{"G478", "054039", "PERUGIA", "", "PG", "1861-03-17", "9999-12-31", true},
	{"H199", "039014", "RAVENNA", "", "RA", "1982-04-15", "9999-12-31", true},
	{"E625", "049009", "LIVORNO", "", "LI", "1931-10-03", "9999-12-31", true},
	{"B354", "092009", "CAGLIARI", "", "CA", "1991-12-10", "9999-12-31", true},
	{"D643", "071024", "FOGGIA", "", "FG", "1861-03-17", "9999-12-31", true},
	{"H294", "099014", "RIMINI", "", "RN", "1992-04-16", "9999-12-31", true},
	{"H703", "065116", "SALERNO", "", "SA", "1960-08-19", "9999-12-31", true},
	{"D548", "038008", "FERRARA", "", "FE", "1902-02-01", "9999-12-31", true},
	{"I452", "090064", "SASSARI", "", "SS", "1988-08-06", "9999-12-31", true},
	{"E472", "059011", "LATINA", "", "LT", "1945-04-24", "9999-12-31", true},
	{"E054", "063034", "GIUGLIANO IN CAMPANIA", "", "NA", "1928-12-06", "9999-12-31", true},
	{"I754", "089017", "SIRACUSA", "", "SR", "1979-08-10", "9999-12-31", true},
	{"G482", "068028", "PESCARA", "", "PE", "2006-07-13", "9999-12-31", true},
	{"D704", "040012", "FORLÌ", "", "FC", "1992-04-16", "9999-12-31", true},
	{"L378", "022205", "TRENTO", "", "TN", "1968-07-03", "9999-12-31", true},
	{"L840", "024116", "VICENZA", "", "VI", "1988-01-06", "9999-12-31", true},
	{"L117", "055032", "TERNI", "", "TR", "1947-09-24", "9999-12-31", true},
	{"A952", "021008", "BOLZANO", "BOZEN", "BZ", "1927-01-12", "9999-12-31", true},
	{"F952", "003106", "NOVARA", "", "NO", "1861-03-17", "9999-12-31", true},
	{"G535", "033032", "PIACENZA", "", "PC", "1923-07-23", "9999-12-31", true},
	{"A271", "042002", "ANCONA", "", "AN", "1948-04-10", "9999-12-31", true},
	{"A285", "110001", "ANDRIA", "", "BT", "2009-07-27", "9999-12-31", true},
	{"A390", "051002", "AREZZO", "", "AR", "1861-03-17", "9999-12-31", true},
	{"L483", "030129", "UDINE", "", "UD", "1968-04-06", "9999-12-31", true},
	{"C573", "040007", "CESENA", "", "FC", "1992-04-16", "9999-12-31", true},
	{"E506", "075035", "LECCE", "", "LE", "1861-03-17", "9999-12-31", true},
	{"A326", "007003", "AOSTA", "AOSTE", "AO", "1946-05-15", "9999-12-31", true},
	// Around Milano and Sesto San Giovanni, where the demo comune is.
	{"I690", "015209", "SESTO SAN GIOVANNI", "", "MI", "1997-07-26", "9999-12-31", true},
	{"C707", "015077", "CINISELLO BALSAMO", "", "MI", "1928-11-03", "9999-12-31", true},
	{"C895", "015081", "COLOGNO MONZESE", "", "MI", "1867-01-14", "9999-12-31", true},
	{"B162", "015032", "BRESSO", "", "MI", "1884-08-23", "9999-12-31", true},
	{"D231", "015098", "CUSANO MILANINO", "", "MI", "1936-07-08", "9999-12-31", true},
	{"G220", "015166", "PADERNO DUGNANO", "", "MI", "1886-01-22", "9999-12-31", true},
	{"D013", "015086", "CORMANO", "", "MI", "1936-07-08", "9999-12-31", true},
	{"F955", "015157", "NOVATE MILANESE", "", "MI", "1862-11-28", "9999-12-31", true},
	{"A940", "015027", "BOLLATE", "", "MI", "2004-06-08", "9999-12-31", true},
	{"I577", "015205", "SEGRATE", "", "MI", "1869-07-06", "9999-12-31", true},
	{"M053", "015242", "VIMODRONE", "", "MI", "1861-03-17", "9999-12-31", true},
	{"B212", "108012", "BRUGHERIO", "", "MB", "2009-06-30", "9999-12-31", true},
	{"F797", "108034", "MUGGIÒ", "", "MB", "2009-06-30", "9999-12-31", true},
	{"F944", "108035", "NOVA MILANESE", "", "MB", "2009-06-30", "9999-12-31", true},
	{"E617", "108028", "LISSONE", "", "MB", "2009-06-30", "9999-12-31", true},
	{"D286", "108023", "DESIO", "", "MB", "2009-06-30", "9999-12-31", true},
	{"C523", "015070", "CERNUSCO SUL NAVIGLIO", "", "MI", "1867-01-14", "9999-12-31", true},
	{"G686", "015175", "PIOLTELLO", "", "MI", "1869-07-06", "9999-12-31", true},
	{"H827", "015192", "SAN DONATO MILANESE", "", "MI", "1932-10-21", "9999-12-31", true},
	{"G488", "015171", "PESCHIERA BORROMEO", "", "MI", "1995-05-05", "9999-12-31", true},
	{"H623", "015189", "ROZZANO", "", "MI", "1870-10-01", "9999-12-31", true},
	{"A473", "015011", "ASSAGO", "", "MI", "1861-03-17", "9999-12-31", true},
	{"B240", "015036", "BUCCINASCO", "", "MI", "1924-01-07", "9999-12-31", true},
	{"D045", "015093", "CORSICO", "", "MI", "1924-01-07", "9999-12-31", true},
	{"H264", "015182", "RHO", "", "MI", "1928-06-27", "9999-12-31", true},
	{"C013", "015170", "PERO", "", "MI", "1928-06-27", "9999-12-31", true},
	{"E514", "015118", "LEGNANO", "", "MI", "1976-05-13", "9999-12-31", true},
	{"G078", "015159", "OPERA", "", "MI", "1861-03-17", "9999-12-31", true},
	// The South and the Islands.
	{"C352", "079023", "CATANZARO", "", "CZ", "1861-03-17", "9999-12-31", true},
	{"D086", "078045", "COSENZA", "", "CS", "1893-10-26", "9999-12-31", true},
	{"G942", "076063", "POTENZA", "", "PZ", "1935-03-05", "9999-12-31", true},
	{"F052", "077014", "MATERA", "", "MT", "1927-01-12", "9999-12-31", true},
	{"B519", "070006", "CAMPOBASSO", "", "CB", "1970-03-03", "9999-12-31", true},
	{"A345", "066049", "L'AQUILA", "", "AQ", "1947-10-01", "9999-12-31", true},
	{"F979", "091051", "NUORO", "", "NU", "1927-01-12", "9999-12-31", true},
	{"G015", "090047", "OLBIA", "", "SS", "2016-04-28", "9999-12-31", true},
	{"A089", "084001", "AGRIGENTO", "", "AG", "1927-07-27", "9999-12-31", true},
	{"L331", "081021", "TRAPANI", "", "TP", "1979-10-20", "9999-12-31", true},
	{"H163", "088009", "RAGUSA", "", "RG", "1950-11-12", "9999-12-31", true},
	{"M208", "079160", "LAMEZIA TERME", "", "CZ", "1968-11-28", "9999-12-31", true},
	// History. A562 was BAGNI SAN GIULIANO (two records: the territory changed in
	// 1927) and became SAN GIULIANO TERME on 1935-07-31.
	{"A562", "050031", "BAGNI SAN GIULIANO", "", "PI", "1861-03-17", "1927-05-18", false},
	{"A562", "050031", "BAGNI SAN GIULIANO", "", "PI", "1927-05-19", "1935-07-30", false},
	{"A562", "050031", "SAN GIULIANO TERME", "", "PI", "1935-07-31", "9999-12-31", true},
	// VERMEZZO and ZELO SURRIGONE merged into VERMEZZO CON ZELO on 2019-02-08,
	// CORIGLIANO CALABRO and ROSSANO into CORIGLIANO-ROSSANO on 2018-03-31.
	{"L768", "015235", "VERMEZZO", "", "MI", "1861-03-17", "2019-02-07", false},
	{"M160", "015246", "ZELO SURRIGONE", "", "MI", "1861-03-17", "2019-02-07", false},
	{"M424", "015251", "VERMEZZO CON ZELO", "", "MI", "2019-02-08", "9999-12-31", true},
	{"D005", "078044", "CORIGLIANO CALABRO", "", "CS", "1863-02-06", "2018-03-30", false},
	{"H579", "078108", "ROSSANO", "", "CS", "1861-03-17", "2018-03-30", false},
	{"M403", "078157", "CORIGLIANO-ROSSANO", "", "CS", "2018-03-31", "9999-12-31", true},
}

// stateRow is a State as stati_esteri writes it (dates turned to ISO).
type stateRow struct {
	code, name, nameEN, iso3, istat string
	citizenship, birth, residence   bool
	from, to                        string
}

func (r stateRow) state() State {
	return State{
		Code: r.code, Name: r.name, NameEN: r.nameEN, ISO3: r.iso3, Istat: r.istat,
		Citizenship: r.citizenship, Birth: r.birth, Residence: r.residence,
		ValidFrom: date(r.from), ValidTo: date(r.to),
	}
}

var italy = stateRow{"", "ITALIA", "", "ITA", "100", true, false, true, "1900-01-01", "9999-12-31"}

var defaultStates = []stateRow{
	// ITALIA and APOLIDE have no Z code: they are here for citizenship.
	italy,
	{"Z100", "ALBANIA", "Albania", "ALB", "201", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z129", "ROMANIA", "Romania", "ROU", "235", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z330", "MAROCCO", "Morocco", "MAR", "436", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z210", "REPUBBLICA POPOLARE CINESE", "China", "CHN", "314", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z138", "UCRAINA", "Ukraine", "UKR", "243", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z216", "FILIPPINE", "Philippines", "PHL", "323", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z336", "EGITTO", "Egypt", "EGY", "419", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z611", "PERU'", "Peru", "PER", "615", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z222", "INDIA", "India", "IND", "330", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z249", "BANGLADESH", "Bangladesh", "BGD", "305", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z343", "SENEGAL", "Senegal", "SEN", "450", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z112", "GERMANIA", "Germany", "DEU", "216", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z110", "FRANCIA", "France", "FRA", "215", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z131", "SPAGNA", "Spain", "ESP", "239", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z114", "REGNO UNITO", "United Kingdom", "GBR", "219", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z404", "STATI UNITI D'AMERICA", "United States", "USA", "536", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z600", "ARGENTINA", "Argentina", "ARG", "602", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z602", "BRASILE", "Brazil", "BRA", "605", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z133", "SVIZZERA", "Switzerland", "CHE", "241", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z352", "TUNISIA", "Tunisia", "TUN", "460", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z335", "NIGERIA", "Nigeria", "NGA", "443", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z236", "PAKISTAN", "Pakistan", "PAK", "344", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z209", "SRI LANKA", "Sri Lanka", "LKA", "311", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z605", "ECUADOR", "Ecuador", "ECU", "609", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z140", "MOLDOVA", "Moldova, Republic of", "MDA", "254", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z127", "POLONIA", "Poland", "POL", "233", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z102", "AUSTRIA", "Austria", "AUT", "203", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z103", "BELGIO", "Belgium", "BEL", "206", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z126", "PAESI BASSI", "Netherlands", "NLD", "232", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z128", "PORTOGALLO", "Portugal", "PRT", "234", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z115", "GRECIA", "Greece", "GRC", "220", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z154", "FEDERAZIONE RUSSA", "Russian Federation", "RUS", "245", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z158", "REPUBBLICA DI SERBIA", "Serbia", "SRB", "271", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z148", "REPUBBLICA DI MACEDONIA", "Macedonia (FYROM)", "MKD", "253", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z104", "BULGARIA", "Bulgaria", "BGR", "209", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z318", "GHANA", "Ghana", "GHA", "423", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z313", "COSTA D'AVORIO", "Côte D'Ivoire", "CIV", "404", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z301", "ALGERIA", "Algeria", "DZA", "401", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z601", "BOLIVIA", "Bolivia, Plurinational State of", "BOL", "604", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z604", "COLOMBIA", "Colombia", "COL", "608", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z505", "REPUBBLICA DOMINICANA", "Dominican Republic", "DOM", "516", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z504", "CUBA", "Cuba", "CUB", "514", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z614", "VENEZUELA", "Venezuela, Bolivarian Republic of", "VEN", "619", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z130", "SAN MARINO", "San Marino", "SMR", "236", true, true, true, "1900-01-01", "9999-12-31"},
	{"Z106", "STATO DELLA CITTA' DEL VATICANO", "Vatican City State", "VAT", "246", true, true, true, "1900-01-01", "9999-12-31"},
	{"", "APOLIDE", "Stateless", "", "999", true, false, false, "1900-01-01", "9999-12-31"},
}
