package hub

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/storage"
)

// handleAttachment takes the content of a request's file from a
// workstation, before the operation of the request that names it (PUT
// /v1/attachments/{sha256}, raw bytes). Files are bounded per file here,
// so the push of operations stays small.
func (s *server) handleAttachment(w http.ResponseWriter, r *http.Request, dev *storage.Device) {
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

// handleFollow is where the QR code of a receipt leads: the citizen, with
// no account, reads the state of the request and its history, on a page of
// its comune's public pages. The request is named by its id and the follow
// code printed only in the QR code, so numbers cannot be walked; without
// either, the page says how to get there.
func (s *server) handleFollow(w http.ResponseWriter, r *http.Request) {
	p := s.newPublicPage(r, "", "")
	p.Title = p.T.Follow
	p.Crumbs = []crumb{{p.T.Network, p.Link("/")}}
	q := r.URL.Query()
	v := followView{}
	status := http.StatusOK
	if q.Get("id") != "" || q.Get("k") != "" {
		req, err := s.db.FollowRequest(r.Context(), q.Get("id"), q.Get("k"))
		switch app.ErrorCode(err) {
		case "":
			v.Request = newRequestView(p.T, req)
			if c, err := s.db.Comune(r.Context(), req.Comune); err == nil {
				p.Comune = &comuneView{Code: c.Code, Name: app.PlaceTitle(c.Name)}
				p.Crumbs = append(p.Crumbs, crumb{p.Comune.Name, p.Home()})
			}
		case app.ENOTFOUND:
			v.Problem, status = p.T.FollowNotFoundText, http.StatusNotFound
		default:
			s.publicFailed(w, r, err)
			return
		}
	}
	p.Data = v
	s.renderPublic(w, status, "follow", p)
}

// followView is the follow page: a request, a problem, or neither (how to
// get there).
type followView struct {
	Request *requestView
	Problem string
}

// requestView is a request as its applicant reads it, times in Italy's.
type requestView struct {
	Service, Number, Provisional, Status string
	History                              []stepView
}

type stepView struct{ At, Status, Note string }

func newRequestView(t *publicWords, r *request.Request) *requestView {
	v := &requestView{Service: r.ServiceTitle, Number: r.DisplayNumber(), Status: t.status(r.Status)}
	if r.Number != "" {
		v.Provisional = r.Provisional
	}
	for _, h := range r.History {
		v.History = append(v.History, stepView{h.At.In(app.Rome).Format("02/01/2006 15:04"), t.status(h.Status), h.Note})
	}
	return v
}

// FollowPath is the path of the follow page on the hub; FollowURL the
// address a receipt's QR code carries.
const FollowPath = request.FollowPath

// FollowURL is the address of the page that follows request r on the hub
// at base (its public URL).
func FollowURL(base string, r *request.Request) string { return request.FollowURL(base, r) }

// SeedCatalogue publishes the built-in catalogue to the network and, when
// comune is not "", enables all of it for the comune (the demo's choice).
func SeedCatalogue(ctx context.Context, db storage.Services, comune string) (int, error) {
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
