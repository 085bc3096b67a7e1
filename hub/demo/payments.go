package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub/storage"
)

// Payee is the creditor settings of a demo comune: Sesto San
// Giovanni's codice fiscale (public: it is on every notice of the comune)
// with aux digit 3 and a postal account; the other demo comuni a codice
// fiscale made for the demo, with the legacy aux digit 0. The notices say
// they are demonstrations.
func Payee(comune, name string) payment.Payee {
	p := payment.Payee{Comune: comune, Name: "Comune di " + name, Aux: 0, Code: "12", CBILL: "D" + comune[:4], Office: "Servizi al cittadino", Demo: true}
	if comune == "I690" {
		p.CFEnte, p.Aux, p.Code, p.CBILL = "02253930156", 3, "01", "A1B2C"
		p.PostalAccount, p.PostalHolder = "1017918208", "Comune di Sesto San Giovanni - Servizio Tesoreria"
		return p
	}
	// 8 + nine digits of the code + the check digit: a codice fiscale of
	// an ente that validates.
	base := fmt.Sprintf("8%09d", int(comune[0])*1000+int(comune[1]-'0')*100+int(comune[2]-'0')*10+int(comune[3]-'0'))
	for d := '0'; d <= '9'; d++ {
		if pagopa.ValidCFEnte(base + string(d)) {
			p.CFEnte = base + string(d)
		}
	}
	return p
}

// seedPayments gives a demo comune its payments: the creditor
// settings and, for residents of its anagrafe, school canteen fees, TARI
// in two instalments, fines with their plates at each stage of art. 202
// CdS, identity card fees, one position paid through pagoPA and one paid
// twice (with its refund), a TARI with its first instalment paid. It does
// nothing when the comune has them.
func seedPayments(ctx context.Context, db storage.Store, comune string, today time.Time) error {
	if _, err := db.Record(ctx, comune, payment.KindPayee, comune); err == nil {
		return nil
	}
	com, err := db.Comune(ctx, comune)
	if err != nil {
		return err
	}
	py := Payee(comune, app.PlaceTitle(com.Name))
	if err := db.PutPayee(ctx, &py); err != nil {
		return err
	}
	people, err := db.ComuneCitizens(ctx, comune, 60)
	if err != nil {
		return err
	}
	day := func(d int) time.Time {
		t := today.AddDate(0, 0, d)
		return app.Date(t.Year(), t.Month(), t.Day())
	}
	name := func(c app.Citizen) string { return c.Surname + " " + c.GivenName }
	var created []*payment.Position
	add := func(c app.Citizen, s payment.Service, causale string, cents int64, due time.Time, inst []payment.Instalment) error {
		p, err := db.CreatePosition(ctx, payment.Position{Comune: comune, DebtorCF: c.CodiceFiscale, DebtorName: name(c), Service: s,
			Causale: causale, AmountCents: cents, DueDate: due, Instalments: inst})
		if err == nil {
			created = append(created, p)
		}
		return err
	}
	plates := []string{"FA123BC", "GB456CD", "EC789DE", "DD012EF", "FE345GH", "GF678HL"}
	fines := []struct {
		offence, article string
		notified         int
		min, max         int64
		discount         bool
	}{
		{"Sosta in area di carico e scarico", "art. 7 c. 1 e 14 CdS", -2, 4200, 17300, true},
		{"Superamento del limite di velocità di non oltre 10 km/h", "art. 142 c. 7 CdS", -20, 4200, 17300, true},
		{"Transito in zona a traffico limitato", "art. 7 c. 9 e 14 CdS", -90, 8300, 33200, true},
		{"Uso del telefono durante la guida", "art. 173 c. 2 e 3-bis CdS", -3, 16500, 66100, false},
		{"Mancato uso delle cinture di sicurezza", "art. 172 c. 1 e 10 CdS", -40, 8300, 33200, true},
	}
	for i, c := range people {
		var err error
		switch {
		case i < 10:
			err = add(c, payment.ServiceCanteen, "Refezione scolastica "+today.Format("01/2006")+" - "+name(c), 8450, day(15), nil)
		case i < 20:
			half := int64(11925)
			err = add(c, payment.ServiceTARI, fmt.Sprintf("TARI %d - tassa sui rifiuti", today.Year()), 2*half, day(60),
				[]payment.Instalment{{N: 1, AmountCents: half, DueDate: day(30)}, {N: 2, AmountCents: half, DueDate: day(60)}})
		case i < 20+len(fines):
			f := fines[i-20]
			notified := day(f.notified)
			_, err = db.PutFine(ctx, payment.Fine{Number: fmt.Sprintf("V%d/%06d", today.Year(), 100+i), Comune: comune, Plate: plates[i-20],
				Offence: f.offence, Article: f.article, ViolatedAt: notified.AddDate(0, 0, -7).Add(9 * time.Hour), NotifiedOn: notified,
				MinCents: f.min, MaxCents: f.max, CostsCents: 1250, DiscountAllowed: f.discount, OffenderCF: c.CodiceFiscale, OffenderName: name(c)})
		case i < 30:
			err = add(c, payment.ServiceCertificate, "Diritti per la carta d'identità elettronica", 2221, day(10), nil)
		}
		if err != nil {
			return fmt.Errorf("demo position for %s: %w", c.CodiceFiscale, err)
		}
	}
	// A plate with two verbali.
	if len(people) > 30 {
		notified := day(-1)
		if _, err := db.PutFine(ctx, payment.Fine{Number: fmt.Sprintf("V%d/%06d", today.Year(), 200), Comune: comune, Plate: plates[0],
			Offence: "Sosta sul marciapiede", Article: "art. 158 c. 2 e 5 CdS", ViolatedAt: notified.AddDate(0, 0, -3).Add(10 * time.Hour),
			NotifiedOn: notified, MinCents: 4200, MaxCents: 17300, CostsCents: 1250, DiscountAllowed: true,
			OffenderCF: people[20].CodiceFiscale, OffenderName: name(people[20])}); err != nil {
			return err
		}
	}
	// One canteen fee paid online, one paid twice online: the refund
	// worklist is not empty in the demo.
	if len(created) >= 2 {
		if _, err := db.RecordOnlinePayment(ctx, created[0].Avviso, created[0].AmountCents, today.Add(-48*time.Hour)); err != nil {
			return err
		}
		for range 2 {
			if _, err := db.RecordOnlinePayment(ctx, created[1].Avviso, created[1].AmountCents, today.Add(-24*time.Hour)); err != nil {
				return err
			}
		}
	}
	// The first TARI has its first instalment paid online: the rest is
	// payable one instalment at a time.
	if len(created) > 10 && len(created[10].Instalments) > 0 {
		in := created[10].Instalments[0]
		if _, err := db.RecordOnlinePayment(ctx, in.Avviso, in.AmountCents, today.Add(-72*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}
