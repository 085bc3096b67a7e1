package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/sync/wire"
)

// FuzzPushMark sends an empty push with arbitrary mark headers (what the
// workstation says the hub confirmed to it): the hub answers 200 when the
// claim holds, 410 resnapshot when the workstation holds more than the
// hub (a restore), 400 for headers that do not read, never fails; and the
// answer carries the hub's own mark for the device.
func FuzzPushMark(f *testing.F) {
	f.Add("", "0", "0")
	f.Add("0123456789abcdef0123456789abcdef", "1", "1")
	f.Add("x", "-1", "99999999999999999999")
	f.Add("epoch", "1e3", " 2")
	h := newHub(f)
	ctx := context.Background()
	op := auditOp(h.Device, "00000000-0000-4000-8000-000000000001", 1, 1, "")
	body, _ := json.Marshal(wire.PushRequest{Ops: []wire.Op{op}})
	if rec := h.do("POST", "/v1/ops", h.Token, string(body)); rec.Code != http.StatusOK {
		f.Fatalf("seed push: %d %s", rec.Code, rec.Body)
	}
	mark, err := h.DB.DeviceMark(ctx, h.Device)
	if err != nil || mark.Seq != 1 || mark.Applied != 1 || mark.Epoch == "" {
		f.Fatalf("mark after one operation %+v, %v", mark, err)
	}
	f.Add(mark.Epoch, "1", "1")
	f.Add(mark.Epoch, "2", "1")
	f.Fuzz(func(t *testing.T, epoch, seq, applied string) {
		var hdr []string
		if epoch != "" {
			hdr = []string{wire.HeaderHubEpoch, epoch, wire.HeaderHubMark, seq, wire.HeaderHubApplied, applied}
		}
		rec := h.do("POST", "/v1/ops", h.Token, `{"ops":[]}`, hdr...)
		s, err1 := strconv.ParseInt(seq, 10, 64)
		a, err2 := strconv.ParseInt(applied, 10, 64)
		switch {
		case epoch == "":
			if rec.Code != http.StatusOK {
				t.Fatalf("a push naming no mark: %d %s", rec.Code, rec.Body)
			}
		case err1 != nil || err2 != nil:
			if rec.Code != http.StatusBadRequest && rec.Code != http.StatusGone {
				t.Fatalf("unreadable mark %q %q: %d %s", seq, applied, rec.Code, rec.Body)
			}
		case epoch == mark.Epoch && s <= mark.Seq && a <= mark.Applied:
			if rec.Code != http.StatusOK {
				t.Fatalf("a claim the hub holds (%d, %d): %d %s", s, a, rec.Code, rec.Body)
			}
		default:
			var e wire.Error
			if rec.Code != http.StatusGone || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != app.ERESNAPSHOT {
				t.Fatalf("a claim beyond the hub (%q, %d, %d): %d %s", epoch, s, a, rec.Code, rec.Body)
			}
		}
		if rec.Code != http.StatusBadRequest {
			if m, ok := wire.MarkFromHeader(rec.Header()); !ok || m != (app.HubMark{Epoch: mark.Epoch, Seq: mark.Seq, Applied: mark.Applied, BackedUp: mark.BackedUp}) {
				t.Fatalf("the answer's mark %+v (%v), the hub's %+v", m, ok, mark)
			}
		}
	})
}
