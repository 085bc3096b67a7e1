package sync_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub"
)

var backOffice = &app.Operator{Username: "bo.milano", Name: "Back office", Comune: "F205", Roles: []app.Role{app.RoleOperator, app.RoleBackOffice}, Active: true}

func deskOf(w *workstation) *request.Desk {
	return &request.Desk{Store: w.St, Profile: w.St.Profile, Now: time.Now}
}

func openFile(t *testing.T, w *workstation, code string) *app.CitizenFile {
	t.Helper()
	online := true
	cs, _ := counterOf(w, &online)
	file, err := cs.OpenFile(context.Background(), clerk, code)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// canteen is a filled canteen enrolment of child for the file's person.
func canteen(d *request.Desk, s *request.Service, file *app.CitizenFile, child string) request.Values {
	v := d.Prefill(s, file)
	v["figlio"] = child
	v["scuola"] = "Primaria Rodari"
	v["classe"] = "primaria_3"
	v["anno_scolastico"] = "2026/2027"
	v["dieta"] = "sanitaria"
	v["dettaglio_dieta"] = "senza glutine"
	v["giorni"] = "lun,mer,ven"
	v["email"] = "genitore@example.it"
	v["dichiarazione"] = "si"
	v["privacy"] = "si"
	return v
}

func report(d *request.Desk, s *request.Service, file *app.CitizenFile, n int) request.Values {
	v := d.Prefill(s, file)
	v["categoria"] = "illuminazione"
	v["luogo"] = fmt.Sprintf("Via Roma %d", n)
	v["descrizione"] = "Lampione spento da una settimana"
	v["dichiarazione"] = "si"
	v["privacy"] = "si"
	return v
}

var pdfCert = []byte("%PDF-1.4\n% certificato medico per la dieta\n%%EOF\n")

// TestRequestsThroughTheHub follows requests from two counters of one
// comune taken at once, offline, to the hub: each gets its provisional
// number at once and its protocol number at sync, gap-free and unique
// across the workstations; a request the hub refuses takes no number; a
// back-office change reaches the other workstation, and a change made on a
// stale version is refused with the reason.
func TestRequestsThroughTheHub(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	people := append(milano(), person("F205", "Colombo", "Sofia", "F", app.Date(2016, 5, 3), "F205", "F205-7", app.RelationshipChild))
	h.replace("F205", people)
	if _, err := hub.SeedCatalogue(ctx, h.DB, "F205"); err != nil {
		t.Fatal(err)
	}
	mustPutOperator(t, h, withKey(t, app.Operator{Username: backOffice.Username, Name: backOffice.Name, Comune: "F205", Roles: backOffice.Roles,
		PasswordHash: mustHash(t, cheapHash, "password123"), Active: true}, "password123"))
	w1, w2 := h.synced("F205"), h.synced("F205")
	d1, d2 := deskOf(w1), deskOf(w2)
	// The back office logs in on both: the key its password unlocks
	// signs its status moves, which the hub checks.
	loginAs(t, w1, backOffice.Username, "password123")
	loginAs(t, w2, backOffice.Username, "password123")
	mensa, err := d1.Service(ctx, "iscrizione-mensa")
	if err != nil {
		t.Fatal(err)
	}
	guasto, err := d1.Service(ctx, "segnalazione-disservizio")
	if err != nil {
		t.Fatal(err)
	}

	// Both counters work offline: the hub is down while they take them.
	h.Stop()
	mario := openFile(t, w1, people[0].CodiceFiscale)
	luca := people[2].CodiceFiscale
	files := []request.File{{Field: "certificato_dieta", Name: "C:\\scansioni\\dieta.pdf", Data: pdfCert}}
	first, _, err := d1.Submit(ctx, clerk, mario, "iscrizione-mensa", canteen(d1, mensa, mario, luca), files)
	if err != nil {
		t.Fatal(err)
	}
	if first.Provisional != "PROV-F205-W001-000001" || !first.IsProvisional() || first.Attachments[0].Name != "dieta.pdf" {
		t.Fatalf("first request: %+v", first)
	}
	var mu stdsync.Mutex
	taken := []*request.Request{first}
	var wg stdsync.WaitGroup
	for wi, d := range []*request.Desk{d1, d2} {
		w := []*workstation{w1, w2}[wi]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				p := people[3+(i+wi)%7]
				file := openFile(t, w, p.CodiceFiscale)
				r, _, err := d.Submit(ctx, clerk, file, "segnalazione-disservizio", report(d, guasto, file, i), nil)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				taken = append(taken, r)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// A canteen request for a child who, by the time it reaches the hub,
	// has left the family: the hub's check refuses it and it takes no
	// number.
	anna := openFile(t, w2, people[8].CodiceFiscale)
	refused, _, err := d2.Submit(ctx, clerk, anna, "iscrizione-mensa", canteen(d2, mensa, anna, people[10].CodiceFiscale), nil)
	if err != nil {
		t.Fatal(err)
	}
	moved := slices.Clone(people)
	moved[10].FamilyID, moved[10].Relationship = "F205-9", app.RelationshipHead
	h.Start()
	h.replace("F205", moved)

	// Both workstations sync at once.
	errs := make(chan error, 2)
	for _, w := range []*workstation{w1, w2} {
		go func() { errs <- w.C.Round(ctx) }()
	}
	for range 2 {
		if err := <-errs; err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("round: %v", err)
		}
	}

	year := h.Clk.Now().Year()
	var numbers []string
	for _, r := range taken {
		w := w1
		if strings.Contains(r.Provisional, "W002") {
			w = w2
		}
		got, err := w.St.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IsProvisional() || got.Provisional != r.Provisional {

			t.Fatalf("%s after sync: number %q", r.Provisional, got.Number)
		}
		numbers = append(numbers, got.Number)
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if want := request.ProtocolNumber(year, int64(i+1)); n != want {
			t.Fatalf("protocol numbers not gap-free and unique: %v", numbers)
		}
	}
	if len(numbers) != 13 {
		t.Fatalf("%d numbers", len(numbers))
	}
	parked, err := w2.St.ParkedOps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(parked) != 1 || parked[0].Kind != request.FactRequest || !strings.Contains(parked[0].Reason, refused.Provisional) ||
		!strings.Contains(parked[0].Reason, "famiglia") {
		t.Fatalf("parked = %+v", parked)
	}
	if got, _ := w2.St.Request(ctx, refused.ID); !got.IsProvisional() {
		t.Fatalf("the refused request got number %s", got.Number)
	}

	t.Run("FamilyMemberNamed", func(t *testing.T) {
		want := people[2].Surname + " " + people[2].GivenName
		if first.MemberNames["figlio"] != want {
			t.Fatalf("at the counter the child is %q, want %q", first.MemberNames["figlio"], want)
		}
		// The other workstation has it from the hub, named by its anagrafe,
		// at its next round: the rounds above ran at once, and its pull may
		// have come before the first workstation's push.
		if err := w2.C.Round(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := w2.St.Request(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.MemberNames["figlio"] != want || got.Values["figlio"] != luca {
			t.Fatalf("from the hub: %v %q (%v)", got.MemberNames, got.Values["figlio"], err)
		}
	})

	t.Run("AttachmentsReachTheHub", func(t *testing.T) {
		content, typ, err := h.DB.Attachment(ctx, first.Attachments[0].SHA256)
		if err != nil || typ != "application/pdf" || string(content) != string(pdfCert) {
			t.Fatalf("hub attachment: %q %s %v", content, typ, err)
		}
		left, err := w1.St.OpAttachments(ctx, app.Operation{Kind: request.FactRequest, Data: []byte(`{"id":"` + first.ID + `"}`)})
		if err != nil || len(left) != 0 {
			t.Fatalf("the workstation still holds %d files (%v)", len(left), err)
		}
	})

	t.Run("TheOtherWorkstationSeesTheRequest", func(t *testing.T) {
		list, err := w2.St.Requests(ctx, people[0].CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != first.ID || list[0].Number == "" || list[0].Values["figlio"] != luca {
			t.Fatalf("w2 sees %+v", list)
		}
	})

	t.Run("StatusChangeReachesTheOtherWorkstation", func(t *testing.T) {
		if _, err := d1.ChangeStatus(ctx, clerk, first.ID, request.StatusWorking, ""); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Fatalf("a front-office operator changed the state: %v", err)
		}
		if _, err := d1.ChangeStatus(ctx, backOffice, first.ID, request.StatusWorking, "assegnata a Bianchi"); err != nil {
			t.Fatal(err)
		}
		if err := w1.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		if err := w2.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		got, err := w2.St.Request(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != request.StatusWorking || got.Version != 2 || got.LastNote() != "assegnata a Bianchi" || got.History[1].Operator != backOffice.Username {
			t.Fatalf("w2 sees %s v%d %+v", got.Status, got.Version, got.History)
		}
	})

	t.Run("StaleChangeIsRefused", func(t *testing.T) {
		// w2 saw version 2; w1 concludes the request first.
		if _, err := d1.ChangeStatus(ctx, backOffice, first.ID, request.StatusConcluded, "iscrizione accolta"); err != nil {
			t.Fatal(err)
		}
		if err := w1.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		if _, err := d2.ChangeStatus(ctx, backOffice, first.ID, request.StatusIntegration, "manca il certificato"); err != nil {
			t.Fatal(err)
		}
		if err := w2.C.Round(ctx); err != nil && app.ErrorCode(err) != app.ECONFLICT {
			t.Fatal(err)
		}
		parked, err := w2.St.ParkedOps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last := parked[len(parked)-1]
		if len(parked) != 2 || last.Kind != request.FactStatus || !strings.Contains(last.Reason, "cambiata nel frattempo") {
			t.Fatalf("parked = %+v", parked)
		}
		got, _ := w2.St.Request(ctx, first.ID)
		if got.Status != request.StatusConcluded || got.Version != 3 {
			t.Fatalf("w2 sees %s v%d", got.Status, got.Version)
		}
	})

	t.Run("FollowPage", func(t *testing.T) {
		got, _ := w1.St.Request(ctx, first.ID)
		page := func(url string) (int, string) {
			resp, err := http.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		code, body := page(hub.FollowURL(h.URL, got))
		if code != http.StatusOK || !strings.Contains(body, got.Number) || !strings.Contains(body, "Conclusa") || !strings.Contains(body, "iscrizione accolta") {
			t.Fatalf("follow page %d:\n%s", code, body)
		}
		wrong := *got
		wrong.FollowCode = "AAAAAAAAAAAAAAAA"
		if code, body := page(hub.FollowURL(h.URL, &wrong)); code != http.StatusNotFound || strings.Contains(body, got.Number) {
			t.Fatalf("a wrong follow code opened the page: %d", code)
		}
	})

	t.Run("NoticesQueued", func(t *testing.T) {
		ns, err := h.DB.Notices(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, n := range ns {
			if n.Channel != request.ChannelEmail || n.Recipient != "genitore@example.it" || n.State != request.NoticeQueued {
				t.Fatalf("notice %+v", n)
			}
			subjects = append(subjects, n.Subject)
		}
		if len(ns) != 3 || !strings.Contains(subjects[0], "ricevuta") || !strings.Contains(subjects[2], "conclusa") {
			t.Fatalf("notices: %q", subjects)
		}
	})
}
