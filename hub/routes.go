package hub

import (
	"net"
	"net/http"
	"strings"
)

// routes lists every route of the hub.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/health", s.handleHealth)
	mux.HandleFunc("GET /v1/keys", s.handleKeys)
	mux.HandleFunc("POST /v1/enroll", s.handleEnroll)
	mux.HandleFunc("GET /v1/changes", s.device(s.handleChanges))
	mux.HandleFunc("GET /v1/snapshot", s.device(s.handleSnapshot))
	mux.HandleFunc("POST /v1/ops", s.device(s.handlePush))
	mux.HandleFunc("GET /v1/citizens", s.device(s.handleSearch))
	mux.HandleFunc("GET /v1/citizens/{cf}", s.device(s.handleCitizen))
	mux.HandleFunc("GET /v1/families/{id}", s.device(s.handleFamily))
	mux.HandleFunc("POST /v1/queue/call", s.device(s.handleQueueCall))
	mux.HandleFunc("GET /v1/queue/tickets", s.device(s.handleQueueTickets))
	mux.HandleFunc("PUT "+attachmentsPrefix+"{sha}", s.device(s.handleAttachment))
	mux.HandleFunc("GET /v1/payments/positions", s.device(s.handlePosition)) // payments.go
	mux.HandleFunc("GET "+FollowPath, s.handleFollow)
	mux.HandleFunc("GET /v1/verify", s.handleVerifyJSON)
	mux.HandleFunc("GET /verifica", s.handleVerifyPage)
	mux.HandleFunc("POST /verifica", s.handleVerifyPage)
	// The comune's public pages (public.go).
	mux.HandleFunc("GET /{$}", s.handlePublicHome)
	mux.Handle("GET /static/", s.handleStatic())
	mux.HandleFunc("GET /comuni/{code}/{$}", s.handleComune)
	mux.HandleFunc("GET /comuni/{code}", handleComuneSlash)
	mux.HandleFunc("GET /comuni/{code}/servizi", s.comunePage("servizi", "services", func(t *publicWords) string { return t.Services }, anyOf(s.services)))
	mux.HandleFunc("GET /comuni/{code}/servizi/{id}", s.handleService)
	mux.HandleFunc("GET /comuni/{code}/albo", s.comunePage("albo", "albo", func(t *publicWords) string { return t.Albo }, anyOf(s.notices)))
	mux.HandleFunc("GET /comuni/{code}/orari", s.comunePage("orari", "hours", func(t *publicWords) string { return t.Hours }, anyOf(s.hours)))
	mux.HandleFunc("GET /comuni/{code}/prenota", s.handleBookForm)
	mux.HandleFunc("POST /comuni/{code}/prenota", s.handleBook)
}

// notFound answers a GET that no route takes, outside the API, with the
// public pages' 404 page; the API keeps the mux's answers (404, 405).
func (s *server) notFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/v1/") {
			if _, pattern := mux.Handler(r); pattern == "" {
				s.publicNotFound(w, r)
				return
			}
		}
		mux.ServeHTTP(w, r)
	})
}

// attachmentsPrefix is where attachments are uploaded: the one route whose
// bodies may exceed Limits.MaxBody.
const attachmentsPrefix = "/v1/attachments/"

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
