package hub

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// The previous version of the protocol (DESIGN: "the hub accepts the
// previous client version"). A workstation of protocol 2 spells some keys
// in Italian; the handlers speak only protocol 3. At this boundary, and
// only here, its request bodies are rewritten into protocol 3 and the
// answers back into protocol 2, with the one table of sync/wire (v2.go).

// v2Shapes gives the shapes of the request and answer bodies of the routes
// whose keys changed; the other routes are the same in both protocols.
func v2Shapes(r *http.Request) (req, answer *wire.Shape) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && p == "/v1/ops":
		return wire.V2PushRequest, nil // the answer: downgradeResults
	case r.Method != http.MethodGet:
		return nil, nil
	case p == "/v1/changes":
		return nil, wire.V2Changes
	case p == "/v1/snapshot":
		return nil, wire.V2Snapshot
	case p == "/v1/citizens":
		return nil, wire.V2Search
	case strings.HasPrefix(p, "/v1/citizens/"):
		return nil, wire.V2CitizenAnswer
	case strings.HasPrefix(p, "/v1/families/"):
		return nil, wire.V2Family
	case p == "/v1/payments/positions":
		return nil, wire.V2Position
	}
	return nil, nil
}

// readBody reads a request body up to the hub's limit and puts it back for
// the handler.
func (s *server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, app.Errorf(app.EINVALID, "richiesta troppo grande (massimo %d byte)", s.limits.MaxBody)
		}
		return nil, app.Errorf(app.EINVALID, "richiesta non leggibile: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// serveV2 serves a workstation of protocol 2.
func (s *server) serveV2(next http.Handler, w http.ResponseWriter, r *http.Request) {
	reqShape, answerShape := v2Shapes(r)
	var kinds map[string]string // operation id → kind, to spell the answers
	if reqShape != nil {
		b, err := s.readBody(w, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if b, err = wire.UpgradeV2(reqShape, b); err != nil {
			s.writeError(w, r, err)
			return
		}
		kinds = opKinds(b)
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
	}
	if reqShape == nil && answerShape == nil {
		next.ServeHTTP(w, r)
		return
	}
	gz := strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
	r.Header.Del("Accept-Encoding") // the handler answers plain JSON, to be rewritten
	rec := &recorder{header: w.Header(), status: http.StatusOK}
	next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status == http.StatusOK {
		var err error
		if kinds != nil {
			body, err = downgradeResults(body, kinds)
		} else {
			body, err = wire.DowngradeV2(answerShape, body)
		}
		if err != nil {
			s.writeError(w, r, app.Errorf(app.EINTERNAL, "answer for protocol 2: %v", err))
			return
		}
		body = append(body, '\n')
	}
	w.Header().Del("Content-Length")
	if gz && rec.status == http.StatusOK {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Vary", "Accept-Encoding")
		w.WriteHeader(rec.status)
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(body)
		_ = zw.Close()
		return
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// opKinds maps the ids of a push's operations to their kinds.
func opKinds(body []byte) map[string]string {
	var req struct {
		Ops []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"ops"`
	}
	kinds := map[string]string{}
	if json.Unmarshal(body, &req) == nil {
		for _, o := range req.Ops {
			kinds[o.ID] = o.Kind
		}
	}
	return kinds
}

// downgradeResults spells each operation's answer as protocol 2 did, by
// the kind of the operation it answers.
func downgradeResults(body []byte, kinds map[string]string) ([]byte, error) {
	var res wire.PushResponse
	if err := app.DecodeJSON(body, &res); err != nil {
		return nil, err
	}
	for i, r := range res.Results {
		if len(r.Data) == 0 {
			continue
		}
		d, err := wire.DowngradeV2(wire.V2Answer(kinds[r.ID]), r.Data)
		if err != nil {
			return nil, err
		}
		res.Results[i].Data = d
	}
	return json.Marshal(res)
}

// recorder keeps an answer to rewrite it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
