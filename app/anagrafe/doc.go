// Package anagrafe reads and writes the anagrafe import file: the CSV file in
// which a comune hands its registry (residents, and the people it has
// cancelled) to the hub, and compares two imports of the same comune.
//
// # The file
//
// UTF-8 text, with or without a byte order mark; fields separated by commas
// and quoted as RFC 4180 says (a field with a comma, a quote or a line break
// is enclosed in double quotes, and a quote inside it is doubled); lines end
// with LF or CRLF. Blank lines are ignored. The first line is the header: it
// names every column below exactly once, in any order, and no other column,
// so that a file exported from a different program is refused rather than
// read wrongly. Every other line is one person. Spaces around a value are
// ignored; a value must be valid UTF-8 without control characters and at most
// 200 bytes long.
//
//	column                 content                                      required
//	codice_fiscale         codice fiscale, omocodic forms included;     yes
//	                       stored upper case without spaces
//	cognome                surname, as registered ("D'Angelo")           yes
//	nome                   all given names ("Maria Grazia")              yes
//	sesso                  M or F, as in the codice fiscale              yes
//	data_nascita           YYYY-MM-DD, as in the codice fiscale          yes
//	luogo_nascita          Belfiore code of the comune of birth valid    yes
//	                       at birth (A562), or Z code of the foreign
//	                       state (Z129)
//	cittadinanza           ISO 3166-1 alpha-3 (ITA, ROU)                 yes
//	stato_civile           ANPR code of table stato_civile               yes
//	indirizzo              toponym with its particle                     residents
//	                       ("Via Giuseppe Garibaldi")
//	civico                 house number with its letter ("12/A")         no
//	cap                    five digits                                   no
//	id_famiglia            the family sheet (scheda di famiglia)         yes
//	relazione_parentela    ANPR code of table relazione_parentela,       yes
//	                       towards the head of the family
//	posizione              residente, emigrato, deceduto or aire         yes
//	data_iscrizione        YYYY-MM-DD                                    no
//	data_cancellazione     YYYY-MM-DD; empty for residents               not residents
//	motivo_cancellazione   free text; empty for residents                no
//	certificabilita        ANPR code of table motivi_non_certificabilita yes
//	                       (2 = fully certifiable, 0 = not certifiable)
//	documento_identita     number of the identity document on file       no
//
// The comune is not a column: the hub knows whose file it is receiving.
//
// # The history sections
//
// After the people the file may carry sections of their civil and
// residence history: [unioni] (marriages and civil unions), [convivenze]
// (convivenze di fatto and their contracts), [decessi], [aire],
// [cittadinanze] and [residenze]. A section is a line with its name in
// brackets, its own header line, and one line per record naming its person
// by codice fiscale (sections.go lists the columns; FORMAT.md documents
// them). Each record is checked on its line, then each person with a
// history is checked whole (app.Citizen.Validate), reported on the first
// line of the history.
//
// # The checks
//
// Each person must pass app.Citizen.Validate (the codice fiscale agrees with
// sex and birth date, and so on), and the numeric codes must be in the ANPR
// tables of anpr.Defaults, old codes included. Across the file: no codice fiscale appears
// twice; among the residents (posizione residente) each family has exactly
// one head (relazione_parentela 1) and all its members live at the same
// address (indirizzo, civico and cap); a resident has an address and no
// cancellation. People who are no longer residents keep the family and
// address they had, which are history and are not checked.
//
// Read reports every wrong line at once, with its line number and the
// column at fault where there is one, in Italian for the comune's staff;
// and it returns no person at all while any line is wrong, so that a
// comune is never left half imported. A value refused on its own line is
// left out of the checks across lines, so that one mistake is reported
// once (a family whose head has an unreadable relazione_parentela is not
// also called headless). FORMAT.md is the same documentation for the
// comuni's IT people, with an example.
package anagrafe
