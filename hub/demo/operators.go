package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
	"github.com/sportello/sportello/passwd"
)

// seedOperators gives the comune its demo operator (the counter) and
// supervisor (the back office too), both with Password.
func seedOperators(ctx context.Context, db storage.Store, o Options) error {
	hash, err := o.HashPassword(Password)
	if err != nil {
		return err
	}
	// The operators' signing key, as costly to derive as the hash.
	params, pub, err := passwd.NewKeyLike(hash, Password)
	if err != nil {
		return err
	}
	ops := []app.Operator{
		{Username: Operator, Name: "Operatore dimostrativo", Roles: []app.Role{app.RoleOperator}},
		{Username: Supervisor, Name: "Supervisore dimostrativo", Roles: []app.Role{app.RoleOperator, app.RoleSupervisor, app.RoleBackOffice}},
	}
	for _, op := range ops {
		op.Username = username(ctx, db, op.Username, o.Comune)
		op.Comune, op.PasswordHash, op.KeyParams, op.PublicKey, op.Active = o.Comune, hash, params, pub, true
		if err := db.PutOperator(ctx, op); err != nil {
			return fmt.Errorf("demo operator %s: %w", op.Username, err)
		}
	}
	return nil
}

// username is a demo operator's username in comune. Usernames are
// network-wide: the first demo comune keeps the plain names, the others
// get theirs suffixed with their code ("demo.c707").
func username(ctx context.Context, db storage.Store, name, comune string) string {
	if c, err := db.OperatorComune(ctx, name); err == nil && c != comune {
		return name + "." + strings.ToLower(comune)
	}
	return name
}
