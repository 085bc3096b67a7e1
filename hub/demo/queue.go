package demo

import (
	"context"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/hub/storage"
)

// areas are the service areas of the demo comune.
var areas = []queue.Area{
	{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 6, Kiosk: true},
	{Code: "C", Name: "Carta d'identità", NameEN: "Identity card", Minutes: 20, Kiosk: true},
	{Code: "T", Name: "Tributi", NameEN: "Local taxes", Minutes: 10, Kiosk: true},
	{Code: "S", Name: "Servizi scolastici", NameEN: "School services", Minutes: 8, Kiosk: true},
	{Code: "P", Name: "Protocollo", NameEN: "Registry of documents", Minutes: 4, Kiosk: false},
}

// SeedQueue gives the demo comune its queue: the service areas,
// bookable identity-card slots at counter 1 for the next week (working
// days, 09:00-12:20 every 20 minutes) and a few acts of the albo
// pretorio. It can run at every start: what is there stays, bookings too.
func SeedQueue(ctx context.Context, db storage.Store, comune string, today time.Time) error {
	if err := db.PutAreas(ctx, comune, areas); err != nil {
		return err
	}
	var slots []queue.Slot
	for d := 0; d < 7; d++ {
		day := today.AddDate(0, 0, d)
		if wd := day.In(app.Rome).Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		s, err := queue.Slots("C", "1", day, "09:00-12:20", 20)
		if err != nil {
			return err
		}
		slots = append(slots, s...)
	}
	if err := db.PutSlots(ctx, comune, slots); err != nil {
		return err
	}
	y, m, d := today.In(app.Rome).Date()
	first := app.Date(y, m, d).AddDate(0, 0, -5)
	for _, n := range []kiosk.Notice{
		{Number: "2026/0142", Title: "Avviso di deposito della variante al Piano di Governo del Territorio", Office: "Settore Urbanistica",
			Category: "Avviso", From: first, To: first.AddDate(0, 0, 30),
			Text: "Si avvisa che la variante al Piano di Governo del Territorio è depositata presso l'Ufficio Tecnico. Chiunque può prenderne visione e presentare osservazioni entro trenta giorni dalla pubblicazione."},
		{Number: "2026/0145", Title: "Ordinanza di divieto di sosta per lavori stradali in via Giuseppe Garibaldi", Office: "Polizia Locale",
			Category: "Ordinanza", From: first.AddDate(0, 0, 2), To: first.AddDate(0, 0, 17),
			Text: "È istituito il divieto di sosta con rimozione forzata su entrambi i lati di via Giuseppe Garibaldi, dal civico 1 al civico 40, dalle 7:00 alle 19:00, per lavori di rifacimento del manto stradale."},
		{Number: "2026/0147", Title: "Bando per l'assegnazione di contributi per l'affitto", Office: "Servizi Sociali",
			Category: "Bando", From: first.AddDate(0, 0, 4), To: first.AddDate(0, 0, 45),
			Text: "Il Comune concede contributi per il pagamento del canone di locazione ai nuclei familiari residenti con ISEE inferiore a 26.000 euro. Le domande si presentano allo sportello o online."},
	} {
		if err := db.PublishNotice(ctx, comune, n); err != nil {
			return err
		}
	}
	return nil
}
