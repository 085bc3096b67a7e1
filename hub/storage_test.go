package hub_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// changeLogSpy is the hub's storage with its change log watched: it
// counts the server's calls and, when refuse is set, answers them with it.
type changeLogSpy struct {
	storage.Store
	changes, snapshots int
	refuse             error
}

func (s *changeLogSpy) ChangesFor(ctx context.Context, v storage.View, scope string, after int64, limit int) (*storage.ChangesPage, error) {
	s.changes++
	if s.refuse != nil {
		return nil, s.refuse
	}
	return s.Store.ChangesFor(ctx, v, scope, after, limit)
}

func (s *changeLogSpy) SnapshotFor(ctx context.Context, v storage.View, scope, after string, limit int) (*storage.SnapshotPage, error) {
	s.snapshots++
	if s.refuse != nil {
		return nil, s.refuse
	}
	return s.Store.SnapshotFor(ctx, v, scope, after, limit)
}

// The server reaches its storage only through the interfaces it is given:
// a workstation's download goes through the change log of the Store in
// hub.Deps, and what that answers, a page or a refusal, is what the
// workstation receives.
func TestServerUsesStore(t *testing.T) {
	h := newHub(t)
	spy := &changeLogSpy{Store: h.DB}
	h.H = hub.NewServer(hub.Deps{DB: spy, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: limits})

	rec := h.do("GET", "/v1/changes?scope=F205&after=0", h.Token, "")
	var changes wire.ChangesResponse
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &changes) != nil || len(changes.Changes) == 0 || changes.Changes[0].Citizen == nil {
		t.Fatalf("changes: %d %s", rec.Code, rec.Body)
	}
	rec = h.do("GET", "/v1/snapshot?scope=F205", h.Token, "")
	var snap wire.SnapshotResponse
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &snap) != nil || len(snap.Citizens) != 1 || snap.Citizens[0].Surname != "Rossi" {
		t.Fatalf("snapshot: %d %s", rec.Code, rec.Body)
	}
	if spy.changes != 1 || spy.snapshots != 1 {
		t.Fatalf("the change log was asked for %d change pages and %d snapshot pages, want 1 and 1", spy.changes, spy.snapshots)
	}

	spy.refuse = app.Errorf(app.ERESNAPSHOT, "serve un nuovo scaricamento completo")
	for _, target := range []string{"/v1/changes?scope=F205&after=0", "/v1/snapshot?scope=F205"} {
		rec := h.do("GET", target, h.Token, "")
		var e wire.Error
		if rec.Code == 200 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != app.ERESNAPSHOT {
			t.Errorf("%s with the change log refusing: %d %s", target, rec.Code, rec.Body)
		}
	}
}
