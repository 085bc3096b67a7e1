package hub

import (
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/storage"
)

// route is one route of the hub and the device roles that may call it:
// none for the public ones (no token), and otherwise only those listed,
// checked before the handler runs. A kiosk or a board in a public hall
// reaches only what its screens need.
type route struct {
	pattern string
	roles   []storage.DeviceRole
	public  http.HandlerFunc
	device  deviceHandler
}

// deviceHandler serves a route for the device its token authenticated. A
// handler that needs one capability of the storage takes it when the
// table is built, so the table shows what each route may touch.
type deviceHandler func(http.ResponseWriter, *http.Request, *storage.Device)

var (
	anyDevice   = []storage.DeviceRole{storage.RoleCounter, storage.RoleKiosk, storage.RoleBoard}
	counterOnly = []storage.DeviceRole{storage.RoleCounter}
)

// table lists every route of the hub.
func (s *server) table() []route {
	return []route{
		{pattern: "GET /v1/health", public: s.handleHealth},
		{pattern: "GET /v1/keys", public: s.handleKeys},
		{pattern: "POST /v1/enroll", public: s.unauthenticated(s.handleEnroll)},
		// Every device syncs, each seeing what its role may hold
		// (view.go), and pushes the facts its role makes (handlePush).
		{pattern: "GET /v1/changes", roles: anyDevice, device: s.handleChanges},
		{pattern: "GET /v1/snapshot", roles: anyDevice, device: s.handleSnapshot},
		{pattern: "GET /v1/anagrafe", roles: anyDevice, device: s.handleAnagrafe},
		{pattern: "POST /v1/ops", roles: anyDevice, device: s.handlePush},
		{pattern: "GET /v1/pins", roles: anyDevice, device: s.handlePins}, // pins.go
		// The anagrafe is for an operator at the desk.
		{pattern: "GET /v1/citizens", roles: counterOnly, device: s.handleSearch},
		{pattern: "GET /v1/citizens/{cf}", roles: counterOnly, device: s.handleCitizen},
		{pattern: "GET /v1/families/{id}", roles: counterOnly, device: s.handleFamily},
		{pattern: "POST /v1/accesses", roles: counterOnly, device: s.handleAccesses(s.db)}, // access.go
		{pattern: "POST /v1/queue/call", roles: counterOnly, device: s.handleQueueCall(s.db)},
		{pattern: "GET /v1/queue/tickets", roles: counterOnly, device: s.handleQueueTickets(s.db)},
		{pattern: "PUT " + attachmentsPrefix + "{sha}", roles: counterOnly, device: s.handleAttachment},
		{pattern: "GET /v1/payments/positions", roles: counterOnly, device: s.handlePosition(s.db)}, // payments.go
		{pattern: "GET " + FollowPath, public: s.unauthenticated(s.handleFollow)},
		{pattern: "GET /v1/verify", public: s.unauthenticated(s.handleVerifyJSON)},
		{pattern: "GET /verifica", public: s.unauthenticated(s.handleVerifyPage)},
		{pattern: "POST /verifica", public: s.unauthenticated(s.handleVerifyPage)},
		{pattern: "GET " + PostPagePath, public: s.unauthenticated(s.handlePostPage)}, // post.go
		{pattern: "POST " + PostPagePath, public: s.unauthenticated(s.handlePostPage)},
		// The comune's public pages (public.go): read-only pages and their
		// assets; the booking form has a limiter of its own.
		{pattern: "GET /{$}", public: s.handlePublicHome},
		{pattern: "GET /static/", public: s.handleStatic().ServeHTTP},
		{pattern: "GET /comuni/{code}/{$}", public: s.handleComune},
		{pattern: "GET /comuni/{code}", public: handleComuneSlash},
		{pattern: "GET /comuni/{code}/servizi", public: s.comunePage("servizi", "services", func(t *publicWords) string { return t.Services }, anyOf(s.services))},
		{pattern: "GET /comuni/{code}/servizi/{id}", public: s.handleService},
		{pattern: "GET /comuni/{code}/albo", public: s.comunePage("albo", "albo", func(t *publicWords) string { return t.Albo }, anyOf(s.notices))},
		{pattern: "GET /comuni/{code}/orari", public: s.comunePage("orari", "hours", func(t *publicWords) string { return t.Hours }, anyOf(s.hours))},
		{pattern: "GET /comuni/{code}/prenota", public: s.handleBookForm},
		{pattern: "POST /comuni/{code}/prenota", public: s.handleBook},
	}
}

// routes registers every route of the table.
func (s *server) routes(mux *http.ServeMux) {
	for _, rt := range s.table() {
		if rt.public != nil {
			mux.HandleFunc(rt.pattern, s.metrics.instrument(rt.pattern, rt.public))
			continue
		}
		mux.HandleFunc(rt.pattern, s.metrics.instrument(rt.pattern, s.device(rt.roles, rt.device)))
	}
}

// RouteRoles is the table for tests and documentation: each route's
// pattern and the roles that may call it (nil: public).
func RouteRoles() map[string][]storage.DeviceRole {
	out := map[string][]storage.DeviceRole{}
	for _, rt := range (&server{}).table() {
		out[rt.pattern] = rt.roles
	}
	return out
}

// allowed refuses a device whose role the route does not serve.
func allowed(roles []storage.DeviceRole, dev *storage.Device) error {
	if !slices.Contains(roles, dev.Role) {
		return app.Errorf(app.EFORBIDDEN, "questa postazione (%s) non ha accesso a questa funzione dell'hub", dev.Role)
	}
	return nil
}

// pushes are the operation kinds a kiosk and a board may push; a counter
// pushes every kind. A kiosk issues certificates, tickets and appointments
// to the citizen in front of it, and takes requests of certificates by post
// (no other service: sqlstore.applyRequest); a board only keeps its audit trail.
var pushes = map[storage.DeviceRole][]string{
	storage.RoleKiosk: {app.OpAudit, app.OpCertificate, queue.FactTicket, queue.FactAppointment, request.FactRequest},
	storage.RoleBoard: {app.OpAudit},
}

// mayPush refuses an operation kind the device's role does not make.
func mayPush(dev *storage.Device, kind string) error {
	if kinds, ok := pushes[dev.Role]; ok && !slices.Contains(kinds, kind) {
		return app.Errorf(app.EFORBIDDEN, "questa postazione (%s) non registra operazioni di tipo %q", dev.Role, kind)
	}
	return nil
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
