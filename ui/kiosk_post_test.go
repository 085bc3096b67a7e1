package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/request"
)

// fakeKioskPost takes the request in memory; the types are the real
// choice of kiosk.Post over the policy.
type fakeKioskPost struct {
	mu    sync.Mutex
	asked []string // "slug use" of each request
	files []string // whose
}

func (f *fakeKioskPost) Types(p kiosk.Policy) []kiosk.Allowed { return (&kiosk.Post{}).Types(p) }

func (f *fakeKioskPost) Address(_ context.Context, file *app.CitizenFile) (request.Address, error) {
	return request.ParseAddress(file.Citizen.GivenName+" "+file.Citizen.Surname, "Via Giuseppe Garibaldi 12", "20099", "Sesto San Giovanni", "MI")
}

func (f *fakeKioskPost) Ask(_ context.Context, p kiosk.Policy, file *app.CitizenFile, slug string, use int) (*request.Request, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, slug+" "+string(rune('0'+use+1)))
	f.files = append(f.files, file.Citizen.CodiceFiscale)
	return &request.Request{Provisional: "PROV-I690-W002-000003"}, []byte("%PDF ricevuta"), nil
}

// TestKioskPost: the identified citizen asks for a residence certificate
// by post with the bollo; the kiosk shows the residence it goes to, takes
// the request and prints its receipt.
func TestKioskPost(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	fp := &fakeKioskPost{}
	kh.k.d.Post = fp
	kh.identify(kh.cf, kh.doc)
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.press("Certificato per posta")
	kh.waitFor("the types", func() bool { return kh.shows("Quale certificato spedire a casa?") })
	kh.assertShows("Residenza", "Stato di famiglia", "Esistenza in vita")
	kh.press("Residenza")
	kh.press("Con bollo")
	kh.waitFor("the address", func() bool { return kh.k.screen == "post-address" })
	kh.assertShows("Sarà spedito all'indirizzo di residenza:", "GIULIA CANTÙ", "Via Giuseppe Garibaldi 12", "20099 SESTO SAN GIOVANNI MI")
	kh.capture("kiosk-post.png")
	kh.press("Conferma la richiesta")
	kh.waitFor("the receipt", func() bool { return kh.k.screen == "post-done" })
	kh.assertShows("Richiesta n. PROV-I690-W002-000003 ricevuta")
	fp.mu.Lock()
	defer fp.mu.Unlock()
	if len(fp.asked) != 1 || fp.asked[0] != "residenza 0" || fp.files[0] != kh.cf {
		t.Errorf("asked %v for %v", fp.asked, fp.files)
	}
	kh.printer.mu.Lock()
	defer kh.printer.mu.Unlock()
	if len(kh.printer.pdfs) != 1 {
		t.Errorf("printed %v, want the receipt", kh.printer.pdfs)
	}
}

// TestKioskPostNotOffered: without the service, no button.
func TestKioskPostNotOffered(t *testing.T) {
	kh := newKioskHarness(t, time.Minute)
	kh.identify(kh.cf, kh.doc)
	kh.waitFor("the menu", func() bool { return kh.k.screen == "menu" })
	kh.assertHides("Certificato per posta")
}
