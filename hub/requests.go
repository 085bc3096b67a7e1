package hub

import (
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/hubdb"
)

// handleAttachment takes the content of a request's file from a
// workstation, before the operation of the request that names it (PUT
// /v1/attachments/{sha256}, raw bytes). Files are bounded per file here,
// so the push of operations stays small.
func (s *server) handleAttachment(w http.ResponseWriter, r *http.Request, dev *hubdb.Device) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, request.MaxAttachmentSize))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeError(w, r, app.Errorf(app.EINVALID, "allegato più grande di %d MB", request.MaxAttachmentSize>>20))
			return
		}
		s.writeError(w, r, app.Errorf(app.EINVALID, "allegato non leggibile"))
		return
	}
	if err := s.db.PutAttachment(r.Context(), dev, strings.ToLower(r.PathValue("sha")), body); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"stored": true})
}

// followPage is where the QR code of a receipt leads: the citizen, with
// no account, reads the state of the request and its history. The request
// is named by its id and the follow code printed only in the QR code, so
// numbers cannot be walked.
var followPage = template.Must(template.New("pratica").Funcs(template.FuncMap{
	"title": func(s request.Status) string { return s.Title() },
}).Parse(`<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stato della richiesta</title>
<style>body{font-family:"Titillium Web",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{color:#0066cc;font-size:1.6rem}.state{font-size:1.3rem;font-weight:bold}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}.err{color:#a00}</style></head><body>
{{if .Err}}<h1>Richiesta non trovata</h1><p class="err">{{.Err}}</p>
{{else}}{{with .R}}<h1>{{.ServiceTitle}}</h1>
<p>Richiesta n. <b>{{.DisplayNumber}}</b>{{if .Number}} (numero provvisorio {{.Provisional}}){{end}}</p>
<p class="state">{{title .Status}}</p>
<table><tr><th>Data</th><th>Stato</th><th>Nota</th></tr>
{{range .History}}<tr><td>{{.At.Format "02/01/2006 15:04"}}</td><td>{{title .Status}}</td><td>{{.Note}}</td></tr>{{end}}
</table>{{end}}{{end}}
</body></html>`))

func (s *server) handleFollow(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req, err := s.db.FollowRequest(r.Context(), q.Get("id"), q.Get("k"))
	data := struct {
		R   *request.Request
		Err string
	}{R: req}
	status := http.StatusOK
	if err != nil {
		data.Err, status = app.ErrorMessage(err), http.StatusNotFound
		if app.ErrorCode(err) == app.EINTERNAL {
			s.log.Error("follow request", "err", err)
			status = http.StatusInternalServerError
		}
	}
	if req != nil {
		// The citizen's page shows times in Italy's.
		for i := range req.History {
			req.History[i].At = req.History[i].At.In(app.Rome)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Its one stylesheet is inline; nothing else loads, nothing frames it.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(status)
	if err := followPage.Execute(w, data); err != nil {
		s.log.Debug("follow page", "err", err)
	}
}

// FollowPath is the path of the follow page on the hub; FollowURL the
// address a receipt's QR code carries.
const FollowPath = request.FollowPath

// FollowURL is the address of the page that follows request r on the hub
// at base (its public URL).
func FollowURL(base string, r *request.Request) string { return request.FollowURL(base, r) }

// SeedCatalogue publishes the built-in catalogue to the network and, when
// comune is not "", enables all of it for the comune (the demo's choice).
func SeedCatalogue(ctx context.Context, db *hubdb.DB, comune string) (int, error) {
	cat := request.DefaultCatalogue()
	if err := db.ImportCatalogue(ctx, cat); err != nil {
		return 0, err
	}
	if comune == "" {
		return len(cat), nil
	}
	ids := make([]string, len(cat))
	for i, s := range cat {
		ids[i] = s.ID
	}
	return len(cat), db.EnableServices(ctx, comune, ids)
}
