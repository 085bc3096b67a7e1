package app

import (
	"context"
	"regexp"
	"slices"
	"time"
)

// Role is what an operator may do. Roles come from the hub with the account.
type Role string

// The roles of the counter.
const (
	RoleOperator   Role = "operatore"   // front office: search, certificates, requests, payments
	RoleSupervisor Role = "supervisore" // operators, cash closing, reports
	RoleBackOffice Role = "backoffice"  // moves requests through their states
)

// Operator is an account of a comune. The password hash (argon2id, PHC
// string) is synced to workstations so that login works offline.
type Operator struct {
	Username     string
	Name         string
	Comune       string
	Roles        []Role
	PasswordHash string
	// KeyParams and PublicKey are the operator's signing key: its seed is
	// derived from the password with argon2id under KeyParams (a salt of
	// its own, not the hash's), so only the password unlocks it, offline
	// too; the hub checks operations signed with it (OperatorProof).
	KeyParams string
	PublicKey []byte
	Active    bool
	UpdatedAt time.Time
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// Validate checks an operator account as it crosses a boundary.
func (o *Operator) Validate() error {
	switch {
	case !usernameRE.MatchString(o.Username):
		return Errorf(EINVALID, "nome utente non valido %q: 2-32 caratteri tra a-z, 0-9, punto, trattino", o.Username)
	case o.Name == "":
		return Errorf(EINVALID, "nome dell'operatore mancante")
	case !ValidBelfiore(o.Comune):
		return Errorf(EINVALID, "comune dell'operatore non valido %q", o.Comune)
	case o.PasswordHash == "":
		return Errorf(EINVALID, "password dell'operatore mancante")
	case len(o.Roles) == 0:
		return Errorf(EINVALID, "l'operatore deve avere almeno un ruolo")
	}
	for _, r := range o.Roles {
		if r != RoleOperator && r != RoleSupervisor && r != RoleBackOffice {
			return Errorf(EINVALID, "ruolo sconosciuto %q", r)
		}
	}
	return nil
}

// Has reports whether the operator holds role r.
func (o *Operator) Has(r Role) bool { return slices.Contains(o.Roles, r) }

// Login policy: after MaxLoginFailures wrong passwords in a row an account is
// locked on that workstation for LockoutDuration; an idle session locks after
// IdleLock.
const (
	MaxLoginFailures = 5
	LockoutDuration  = 5 * time.Minute
	IdleLock         = 10 * time.Minute
)

// Operators is the operator accounts as a workstation holds them.
// Operator returns ENOTFOUND for an unknown username.
type Operators interface {
	Operator(ctx context.Context, username string) (*Operator, error)
	LoginFailures(ctx context.Context, username string) (count int, last time.Time, err error)
	RecordLogin(ctx context.Context, username string, ok bool, at time.Time) error
}

// PasswordVerifier tells whether password matches a stored hash.
type PasswordVerifier func(hash, password string) bool

// Login checks an operator's credentials against the accounts of comune, on
// the workstation alone so that it works offline. It returns EUNAUTHORIZED
// for wrong credentials (without telling which part was wrong), ELOCKED
// while the account is locked, EFORBIDDEN for another comune's account.
func Login(ctx context.Context, ops Operators, verify PasswordVerifier, comune, username, password string, now time.Time) (*Operator, error) {
	wrong := Errorf(EUNAUTHORIZED, "nome utente o password errati")
	if username == "" || password == "" {
		return nil, wrong
	}
	n, last, err := ops.LoginFailures(ctx, username)
	if err != nil {
		return nil, err
	}
	if n >= MaxLoginFailures && now.Sub(last) < LockoutDuration {
		wait := LockoutDuration - now.Sub(last)
		return nil, Errorf(ELOCKED, "troppi tentativi errati: riprovare tra %d minuti", int(wait.Minutes())+1)
	}
	op, err := ops.Operator(ctx, username)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	if op == nil || !op.Active || !verify(op.PasswordHash, password) {
		if err := ops.RecordLogin(ctx, username, false, now); err != nil {
			return nil, err
		}
		return nil, wrong
	}
	if op.Comune != comune {
		return nil, Errorf(EFORBIDDEN, "l'operatore %s non appartiene al comune di questa postazione", username)
	}
	if err := ops.RecordLogin(ctx, username, true, now); err != nil {
		return nil, err
	}
	return op, nil
}
