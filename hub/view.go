package hub

import (
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/sync/wire"
)

// What a device downloads beyond the kinds its role's view leaves out
// (storage.ViewOf): a kiosk holds each citizen's identity document as its
// check (kiosk.DocumentCheck), never the number.

// checkDocument puts the check of a citizen's document in place of its
// number, for a kiosk.
func checkDocument(role storage.DeviceRole, c *wire.Citizen) {
	if changesCitizens(role) && c != nil && c.DocumentNumber != "" {
		c.DocumentNumber = kiosk.DocumentCheck(c.CodiceFiscale, c.DocumentNumber)
	}
}

// changesCitizens tells whether the role's view changes the citizens it
// receives (checkDocument): the download of any other role sends them as
// the hub stores them.
func changesCitizens(role storage.DeviceRole) bool { return role == storage.RoleKiosk }

func changesFor(role storage.DeviceRole, res *wire.ChangesResponse) {
	for i := range res.Changes {
		checkDocument(role, res.Changes[i].Citizen)
	}
}

func snapshotFor(role storage.DeviceRole, res *wire.SnapshotResponse) {
	for i := range res.Citizens {
		checkDocument(role, &res.Citizens[i])
	}
	for i := range res.Records {
		checkDocument(role, res.Records[i].Citizen)
	}
}
