package hub

import (
	"net"
	"net/http"
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
	mux.HandleFunc("POST /v1/accesses", s.device(s.handleAccesses)) // access.go
	mux.HandleFunc("POST /v1/queue/call", s.device(s.handleQueueCall))
	mux.HandleFunc("GET /v1/queue/tickets", s.device(s.handleQueueTickets))
	mux.HandleFunc("PUT "+attachmentsPrefix+"{sha}", s.device(s.handleAttachment))
	mux.HandleFunc("GET /v1/payments/positions", s.device(s.handlePosition)) // payments.go
	mux.HandleFunc("GET "+FollowPath, s.handleFollow)
	mux.HandleFunc("GET /v1/verify", s.handleVerifyJSON)
	mux.HandleFunc("GET /verifica", s.handleVerifyPage)
	mux.HandleFunc("POST /verifica", s.handleVerifyPage)
}

// attachmentsPrefix is where attachments are uploaded: the one route whose
// bodies may exceed Limits.MaxBody.
const attachmentsPrefix = "/v1/attachments/"

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
