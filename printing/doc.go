// Package printing puts certificates on paper: it lays an issued
// certificate out as an A4 PDF (gopdf, with the embedded Titillium Web
// fonts and the stamp as a QR code) and sends PDFs to the workstation's
// printer (CUPS over IPP, the lp command, or a folder).
//
// It is an adapter: it reads the domain's certificate.Certificate and never
// decides what a certificate says. The facts, the bollo, the notices and
// the number come from package certificate; the printer only arranges them
// and adds what is about the sheet itself (duplicate, offline mark, the
// verification hint beside the QR code).
package printing
