// Package certificate holds the rules of the certificates a counter issues
// from the anagrafe, and the signed stamp that lets anyone verify one.
//
// It answers four questions, each in its file:
//
//   - which certificates exist and which facts each certifies (types.go):
//     the ANPR types that the anagrafe data of Sportello supports, named by
//     the kebab-case slugs of the CLI;
//   - whether it can be issued (controls.go): every issuing control ANPR
//     publishes for the type (controllo-certificati), as a table per ANPR
//     type evaluated by one function that returns every failure, with
//     ANPR's sections and the controls the officer may force with a
//     reason (docs/CERTIFICATES.md lists them with their tests);
//   - what it costs (bollo.go): the imposta di bollo of DPR 642/1972 or the
//     exemption that waives it, on every ANPR type, and the diritti di
//     segreteria of L. 604/1962;
//   - how it is numbered, what it says and how it is signed (number.go,
//     certificate.go, stamp.go): numbers unique without coordination, the
//     canonical certified text, and the contrassegno elettronico of CAD
//     (D.Lgs. 82/2005) art. 23-ter c. 5 and AgID circolare 62/2013, a
//     compact Ed25519-signed payload printed as a QR code, verifiable
//     offline with the network's root public key alone.
//
// The package imports only the standard library and the domain packages:
// laying the certificate out on paper is the printer's job, storing it the
// store's.
package certificate
