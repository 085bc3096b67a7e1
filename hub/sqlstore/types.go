package sqlstore

import "github.com/sportello/sportello/hub/storage"

// The storage's types are declared in package storage, beside the
// interfaces the hub's server uses; sqlstore names them too, so that its SQL
// and its callers read as before.
type (
	AwaitedDevice     = storage.AwaitedDevice
	CatalogueResult   = storage.CatalogueResult
	CitizenRead       = storage.CitizenRead
	Comune            = storage.Comune
	Device            = storage.Device
	DeviceRole        = storage.DeviceRole
	Enrollment        = storage.Enrollment
	HubPayment        = storage.HubPayment
	ImportResult      = storage.ImportResult
	IssuedCertificate = storage.IssuedCertificate
	Mark              = storage.Mark
	NoticeState       = storage.NoticeState
	OnlinePayment     = storage.OnlinePayment
	RecoveryEvent     = storage.RecoveryEvent
	View              = storage.View
)

// The roles of a workstation (storage.DeviceRole).
const (
	RoleCounter = storage.RoleCounter
	RoleKiosk   = storage.RoleKiosk
	RoleBoard   = storage.RoleBoard
)

// FlagMismatch is storage.FlagMismatch.
const FlagMismatch = storage.FlagMismatch

// ErrCodeUsed is storage.ErrCodeUsed, Enroll's answer to a code already
// redeemed.
var ErrCodeUsed = storage.ErrCodeUsed

// Compile-time check that DB is the whole of the hub's storage.
var _ storage.Store = (*DB)(nil)
